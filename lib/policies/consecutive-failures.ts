import type { TripPolicy } from './trip-policy.js';

/** Opens after `threshold` failures in a row; any success starts the count again. */
export class ConsecutiveFailures implements TripPolicy {
  get reason(): 'consecutive_failures' {
    return 'consecutive_failures';
  }
  /** Failures since the last success or reset. */
  count = 0;

  constructor(readonly threshold: number) {}

  onSuccess(): boolean {
    this.count = 0;
    return false;
  }

  onFailure(): boolean {
    return ++this.count >= this.threshold;
  }

  reset(): void {
    this.count = 0;
  }
}
