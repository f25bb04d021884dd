/**
 * The code of docs/decorators.md, run. Each snippet there names the file it comes from, and
 * the last spec checks that every snippet still appears in its file, line for line.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import {
  AllProvidersFailedError,
  BreakerRegistry,
  bindRegistry,
  failover,
  getBreakerMetadata,
  providerStats,
  withOutcome,
} from '../../lib/index.js';
import { HttpError } from './fixtures/fake-provider.js';
import { Llm, type ChatClient } from './fixtures/readme-llm.js';
import { Assistant, type SignalClient } from './fixtures/readme-assistant.js';

const root = new URL('../../../', import.meta.url);

describe('docs/decorators.md examples', () => {
  let registry: BreakerRegistry;
  beforeEach(() => {
    registry = new BreakerRegistry();
  });
  afterEach(() => registry.close(0));

  it('tells which provider served a decorated call', async () => {
    let openaiUp = true;
    const openai: ChatClient = {
      complete: async (prompt) => {
        if (!openaiUp) throw new HttpError(503);
        return `openai says ${prompt}`;
      },
    };
    const anthropic: ChatClient = { complete: async (prompt) => `claude says ${prompt}` };
    const llm = bindRegistry(new Llm(openai, anthropic), registry);

    openaiUp = false;
    const { value, servedBy, attempts } = await withOutcome(() => llm.complete('hi'));
    // value === 'claude says hi', servedBy === 'anthropic'
    // attempts: [{ name: 'openai', outcome: 'failure', ... }, { name: 'anthropic', outcome: 'success', ... }]

    expect(value).to.equal('claude says hi');
    expect(servedBy).to.equal('anthropic');
    expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
      ['openai', 'failure'],
      ['anthropic', 'success'],
    ]);
    registry.get('anthropic').isolate();
    expect(await llm.complete('hi')).to.equal('Service temporarily unavailable');
  });

  it('runs the same chain without decorators', async () => {
    const openai = {
      complete: async (_prompt: string, _signal: AbortSignal): Promise<string> => {
        throw new HttpError(502);
      },
    };
    const anthropic = { complete: async (prompt: string) => `claude says ${prompt}` };

    const complete = failover(
      [
        {
          name: 'openai',
          call: (prompt: string, signal: AbortSignal) => openai.complete(prompt, signal),
          options: { failureThreshold: 3, timeout: 20_000 },
        },
        { name: 'anthropic', call: (prompt: string) => anthropic.complete(prompt) },
        function degraded(_prompt: string, _error: unknown) {
          return 'Service temporarily unavailable';
        },
      ],
      { registry },
    );
    const answer = await complete('hi'); // 'claude says hi'

    expect(answer).to.equal('claude says hi');
    registry.get('anthropic').isolate();
    expect(await complete('hi')).to.equal('Service temporarily unavailable');
    const { lastProvider, providers } = providerStats(registry);
    expect(lastProvider).to.equal('degraded');
    expect(providers.map((p) => `${p.name}:${p.requests}`)).to.deep.equal([
      'openai:2',
      'anthropic:2',
      'degraded:1',
    ]);
  });

  it('reports every cause when every level fails', async () => {
    const down =
      (name: string) =>
      async (_prompt: string): Promise<string> => {
        throw new HttpError(503, `${name} is down`);
      };
    const complete = failover(
      [
        { name: 'openai', call: down('openai') },
        { name: 'anthropic', call: down('anthropic') },
      ],
      { registry },
    );

    const logged: string[] = [];
    const logger = { warn: (message: string) => logged.push(message) };

    try {
      await complete('hi');
    } catch (error) {
      if (error instanceof AllProvidersFailedError) {
        for (const { name, error: cause } of error.causes) logger.warn(`${name}: ${String(cause)}`);
      }
    }

    expect(logged).to.deep.equal([
      'openai: Error: openai is down',
      'anthropic: Error: anthropic is down',
    ]);
  });

  it('lists the decorated methods', () => {
    const [complete] = getBreakerMetadata(Llm);
    // { method: 'complete', static: false, fallback: 'anthropic',
    //   breaker: { name: 'openai', options: { failureThreshold: 3, resetTimeout: 60000 }, registry: undefined } }

    expect(complete).to.deep.equal({
      method: 'complete',
      static: false,
      fallback: 'anthropic',
      breaker: {
        name: 'openai',
        options: { failureThreshold: 3, resetTimeout: 60_000 },
        registry: undefined,
      },
    });
    expect(getBreakerMetadata(Llm).map((m) => m.method)).to.deep.equal(['complete', 'anthropic']);
  });

  it('gives the optional-parameter example its signal, and its fallback the error in the context', async () => {
    const registry = new BreakerRegistry();
    const seen: { options: unknown; signal: AbortSignal }[] = [];
    const failing: SignalClient = {
      complete: (_prompt, options) => {
        seen.push({ options, signal: options.signal });
        return Promise.reject(new HttpError(503, 'openai down'));
      },
    };
    const answering: SignalClient = {
      complete: (prompt, options) => {
        seen.push({ options, signal: options.signal });
        return Promise.resolve(`claude:${prompt}`);
      },
    };
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (line: string) => warnings.push(line);
    try {
      const assistant = bindRegistry(new Assistant(failing, answering), registry);
      expect(await assistant.ask('hi')).to.equal('claude:hi');
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.deep.equal(['openai failed: Error: openai down']);
    expect(seen.map((s) => Object.keys(s.options as object))).to.deep.equal([
      ['signal'],
      ['signal'],
    ]);
    expect(seen.every((s) => s.signal instanceof AbortSignal && !s.signal.aborted)).to.equal(true);
  });

  it('shows only code that the specs run (every snippet is in the file it names)', () => {
    const doc = readFileSync(new URL('docs/decorators.md', root), 'utf8');
    const snippets = [...doc.matchAll(/<!-- from (\S+) -->\s*```ts\n([\s\S]*?)```/g)];
    expect(snippets.length).to.be.greaterThan(4);
    for (const [, file, code] of snippets) {
      const source = normalise(readFileSync(new URL(file!, root), 'utf8'));
      const snippet = normalise(code!);
      expect(source.includes(snippet), `docs snippet from ${file}:\n${code}`).to.equal(true);
    }
  });
});

/** Lines trimmed, blank lines and `// ...` elisions dropped, joined: indentation may differ. */
function normalise(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== '// ...')
    .join('\n');
}
