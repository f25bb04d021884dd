import FakeTimers from '@sinonjs/fake-timers';
import { BreakerRegistry, failover, withOutcome } from '../../lib/index.js';
import {
  PRIMARY_OPTIONS,
  TimelinePrimary,
  expectFailback,
  replayFailbackTimeline,
} from './failback-timeline.js';

describe('failover(): priority and failback timeline', () => {
  it('serves from the backup while the primary is open, and returns to the primary after its trial', async () => {
    const start = Date.UTC(2026, 0, 1);
    const clock = FakeTimers.install({
      now: start,
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    const registry = new BreakerRegistry();
    try {
      const primary = new TimelinePrimary(start);
      const complete = failover(
        [
          {
            name: 'primary',
            call: (prompt: string, signal: AbortSignal) => primary.answer(prompt, signal),
            options: PRIMARY_OPTIONS,
          },
          { name: 'backup', call: async (prompt: string) => `backup:${prompt}` },
        ],
        { registry },
      );
      const report = await replayFailbackTimeline(
        clock,
        registry,
        primary,
        (prompt) => withOutcome(() => complete(prompt)),
        start,
      );
      expectFailback(report);
    } finally {
      clock.uninstall();
      await registry.close(0);
    }
  });
});
