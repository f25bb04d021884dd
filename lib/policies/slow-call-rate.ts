import type { RollingWindow } from './rolling-window.js';
import type { TripPolicy } from './trip-policy.js';

/**
 * Opens when calls slower than the slow-call threshold reach `thresholdPercent` of the calls in
 * the rolling window, once it holds at least `volumeThreshold` calls. A provider that answers,
 * but too slowly to be useful, trips the breaker as surely as one that fails.
 */
export class SlowCallRate implements TripPolicy {
  get reason(): 'slow_call_rate' {
    return 'slow_call_rate';
  }

  constructor(
    private readonly window: RollingWindow,
    readonly thresholdPercent: number,
    readonly volumeThreshold: number,
  ) {}

  onSuccess(): boolean {
    return this.tripped();
  }

  onFailure(): boolean {
    return this.tripped();
  }

  reset(): void {
    // The window belongs to the breaker, which clears it when it closes.
  }

  private tripped(): boolean {
    const w = this.window;
    return (
      w.totalCalls >= this.volumeThreshold &&
      w.totalSlow * 100 >= this.thresholdPercent * w.totalCalls
    );
  }
}
