import type { RollingWindow } from './rolling-window.js';
import type { TripPolicy } from './trip-policy.js';

/**
 * Opens when failures reach `thresholdPercent` of the calls in the rolling window, once the
 * window holds at least `volumeThreshold` calls. The breaker records calls into the window.
 */
export class FailureRate implements TripPolicy {
  get reason(): 'failure_rate' {
    return 'failure_rate';
  }

  constructor(
    private readonly window: RollingWindow,
    readonly thresholdPercent: number,
    readonly volumeThreshold: number,
  ) {}

  onSuccess(): boolean {
    return false;
  }

  onFailure(): boolean {
    const w = this.window;
    return (
      w.totalCalls >= this.volumeThreshold &&
      w.totalFailures * 100 >= this.thresholdPercent * w.totalCalls
    );
  }

  reset(): void {
    // The window belongs to the breaker, which clears it when it closes.
  }
}
