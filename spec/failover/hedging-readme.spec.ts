/**
 * docs/hedging.md, run: its example is the code below (the last spec checks that the snippet is in
 * this file, line for line).
 */
import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { BreakerRegistry, failover, withOutcome } from '../../lib/index.js';

/** What the example needs from an SDK client: an answer, cancelled by `signal`. */
interface Client {
  complete(prompt: string, signal: AbortSignal): Promise<string>;
}

function client(name: string, ms: number): Client {
  return {
    complete: (prompt, signal) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, ms, `${name}: ${prompt}`);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
  };
}

describe('docs/hedging.md example', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => (clock = FakeTimers.install({ now: 0 })));
  afterEach(() => clock.uninstall());

  it('answers from anthropic when openai is slow, and cancels openai', async () => {
    const openai = client('openai', 5_000); // stuck in its long tail
    const anthropic = client('anthropic', 300);
    const registry = new BreakerRegistry();

    const complete = failover(
      [
        {
          name: 'openai',
          call: (prompt: string, signal: AbortSignal) => openai.complete(prompt, signal),
        },
        {
          name: 'anthropic',
          call: (prompt: string, signal: AbortSignal) => anthropic.complete(prompt, signal),
        },
      ],
      { registry, hedge: { delay: { percentile: 95, min: 200, max: 2_000 }, budgetPercent: 10 } },
    );
    const answer = withOutcome(() => complete('hi'));
    // openai has not answered after 1 s (the delay until p95 is known): anthropic starts beside it.

    await clock.tickAsync(1_300);
    const { value, servedBy, attempts } = await answer;
    expect(value).to.equal('anthropic: hi');
    expect(servedBy).to.equal('anthropic');
    await clock.tickAsync(0);
    expect(attempts.map((a) => `${a.name}:${a.outcome}`)).to.deep.equal([
      'anthropic:success',
      'openai:cancelled',
    ]);
    expect(registry.get('openai').snapshot()).to.include({ failedRequests: 0, cancelled: 1 });
  });

  it('is shown in the docs as it is', () => {
    const doc = readFileSync(new URL('../../../docs/hedging.md', import.meta.url), 'utf8');
    const source = readFileSync(
      new URL('../../../spec/failover/hedging-readme.spec.ts', import.meta.url),
      'utf8',
    );
    const norm = (code: string) =>
      code
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .join('\n');
    const snippets = [...doc.matchAll(/<!-- from (\S+) -->\s*```ts\n([\s\S]*?)```/g)];
    expect(snippets).to.have.length(1);
    expect(norm(source)).to.include(norm(snippets[0]![2]!));
  });
});
