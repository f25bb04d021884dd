import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { BreakerRegistry, defaultRegistry, failover, providerStats } from '../../lib/index.js';
import { HttpError } from '../decorators/fixtures/fake-provider.js';

describe('providerStats()', () => {
  it('reports requests, successes, failures, rejections, mean latency and the last provider', async () => {
    const start = Date.UTC(2026, 0, 1);
    const clock = FakeTimers.install({
      now: start,
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    const registry = new BreakerRegistry();
    try {
      let openaiDown = false;
      const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const complete = failover(
        [
          {
            name: 'openai',
            options: { failureThreshold: 2 },
            call: async (prompt: string) => {
              await delay(100);
              if (openaiDown) throw new HttpError(503);
              return `openai:${prompt}`;
            },
          },
          {
            name: 'anthropic',
            call: async (prompt: string) => {
              await delay(300);
              return `anthropic:${prompt}`;
            },
          },
          function degraded(prompt: string) {
            return `degraded:${prompt}`;
          },
        ],
        { registry },
      );
      const run = async (prompt: string) => {
        const pending = complete(prompt);
        await clock.tickAsync(1_000);
        return pending;
      };
      expect(providerStats(registry).lastProvider).to.equal(null);
      await run('1');
      openaiDown = true;
      await run('2'); // openai fails, anthropic answers
      await run('3'); // openai fails again: its circuit opens; anthropic answers
      await run('4'); // openai refused at once; anthropic answers after 300 ms
      registry.get('anthropic').isolate();
      await run('5'); // both refused; degraded answers
      const stats = providerStats(registry);
      expect(stats.providers).to.deep.equal([
        {
          name: 'openai',
          kind: 'breaker',
          state: 'open',
          requests: 5,
          successes: 1,
          failures: 2,
          rejections: 2,
          meanLatencyMs: 100,
          lastSuccessTime: new Date(start + 100).toISOString(),
        },
        {
          name: 'anthropic',
          kind: 'breaker',
          state: 'isolated',
          requests: 4,
          successes: 3,
          failures: 0,
          rejections: 1,
          meanLatencyMs: 300,
          lastSuccessTime: new Date(start + 3_000 + 300).toISOString(),
        },
        {
          name: 'degraded',
          kind: 'fallback',
          state: null,
          requests: 1,
          successes: 1,
          failures: 0,
          rejections: 0,
          meanLatencyMs: 0,
          lastSuccessTime: new Date(start + 4_000).toISOString(),
        },
      ]);
      expect(stats.lastProvider).to.equal('degraded');
      expect(stats.lastProviderTime).to.equal(new Date(start + 4_000).toISOString());
    } finally {
      clock.uninstall();
      await registry.close(0);
    }
  });

  it('reads the default registry unless given one, and refuses anything else', () => {
    expect(providerStats().providers.length).to.equal(defaultRegistry.list().length);
    expect(() => providerStats({} as never)).to.throw(TypeError, /needs a BreakerRegistry/);
  });
});
