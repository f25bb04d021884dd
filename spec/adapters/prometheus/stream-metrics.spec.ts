import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { BreakerRegistry } from '../../../lib/index.js';
import { collectBreakerMetrics } from '../../../adapters/prometheus/index.js';
import {
  ScriptedProvider,
  chunk,
  drain,
  fail,
  httpError,
  stall,
  wait,
} from '../../streams/fixtures.js';

describe('breakwater/prometheus: stream outcomes and time to first chunk', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
  });
  afterEach(() => clock.uninstall());

  it('counts how streams ended and observes their time to first content', async () => {
    const registry = new BreakerRegistry({ defaults: { failureThreshold: false, timeout: false } });
    const register = new Registry();
    const metrics = collectBreakerMetrics(registry, { register });
    const breaker = registry.get('openai', { idleTimeout: 1_000 });

    const ok = drain(
      breaker.stream(new ScriptedProvider([wait(300), chunk('a'), chunk('b')]).open),
    );
    await clock.tickAsync(300);
    await ok;
    await drain(breaker.stream(new ScriptedProvider([chunk('a'), fail(httpError(502))]).open));
    await drain(breaker.stream(new ScriptedProvider([fail(httpError(503))]).open));
    await drain(breaker.stream(new ScriptedProvider([fail(httpError(400))]).open));
    const stalled = drain(breaker.stream(new ScriptedProvider([chunk('a'), stall]).open));
    await clock.tickAsync(1_000);
    await stalled;
    for await (const _ of breaker.stream(new ScriptedProvider([chunk('a'), chunk('b')]).open))
      break;

    const text = await register.metrics();
    const line = (outcome: string) =>
      text.match(
        new RegExp(
          `^circuit_breaker_streams_total\\{breaker="openai",outcome="${outcome}"\\} (\\d+)$`,
          'm',
        ),
      )?.[1];
    expect(line('success')).to.equal('1');
    expect(line('interrupted')).to.equal('2'); // the cut and the stall, both after content
    expect(line('failure')).to.equal('1');
    expect(line('caller_error')).to.equal('1');
    expect(line('cancelled')).to.equal('1');
    expect(text).to.match(
      /^circuit_breaker_stream_first_chunk_seconds_count\{breaker="openai"\} 4$/m,
    );
    expect(text).to.match(
      /^circuit_breaker_stream_first_chunk_seconds_bucket\{le="0.25",breaker="openai"\} 3$/m,
    );
    expect(text).to.match(
      /^circuit_breaker_stream_first_chunk_seconds_bucket\{le="0.5",breaker="openai"\} 4$/m,
    );
    metrics.dispose();
    expect(register.getSingleMetric('circuit_breaker_streams_total')).to.equal(undefined);
  });
});
