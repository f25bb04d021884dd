import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ask, openai, type Provider } from '../../examples/quick-start/index.js';

const root = new URL('../../../', import.meta.url);

describe('README quick start (examples/quick-start)', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
    openai.reset();
  });
  afterEach(() => clock.uninstall());

  it('answers through the breaker, rests after 3 failures, and tries again 30 s later', async () => {
    let calls = 0;
    let healthy = false;
    const provider: Provider = async (prompt) => {
      calls++;
      if (!healthy) throw Object.assign(new Error('upstream 503'), { status: 503 });
      return `echo: ${prompt}`;
    };
    for (let i = 0; i < 3; i++) {
      const error = await ask(provider, 'hi').catch((e: Error) => e);
      expect((error as Error).message).to.equal('upstream 503');
    }
    expect(await ask(provider, 'hi')).to.equal('OpenAI is resting; try again in 30 s');
    expect(calls).to.equal(3);
    healthy = true;
    await clock.tickAsync(30_000);
    expect(await ask(provider, 'hi')).to.equal('echo: hi');
    expect(openai.state).to.equal('closed');
  });

  it('gives up on a hung call after 10 s, aborting its signal', async () => {
    let aborted = false;
    const hung: Provider = (_prompt, signal) =>
      new Promise((_, reject) =>
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(signal.reason);
        }),
      );
    const answer = ask(hung, 'hi').catch((e: Error) => e.name);
    await clock.tickAsync(10_000);
    expect(await answer).to.equal('CallTimeoutError');
    expect(aborted).to.equal(true);
  });

  it('is shown in the docs as it is', () => {
    const code = readFileSync(new URL('examples/quick-start/index.ts', root), 'utf8');
    const doc = readFileSync(new URL('docs/engine.md', root), 'utf8');
    expect(doc).to.include(code.trim());
  });
});
