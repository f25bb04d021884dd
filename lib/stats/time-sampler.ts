/** The most calls one timed call may stand for. */
const MAX_EVERY = 64;

/**
 * Decides which calls a breaker times. Reading the clock twice per call costs more than the rest
 * of the bookkeeping on a fast path, so at high rates only one call in `every` is timed; at low
 * rates, where a clock read is nothing beside the call, every call is.
 *
 * `every` adapts to the gap between timed calls: under 1 ms it doubles (up to 64), over 4 ms it
 * halves, and over 16 ms it falls back to 1, so a quiet breaker is always timed exactly and a
 * busy one keeps its timed calls about a millisecond apart. Only durations are sampled: counts stay
 * exact (see `Breaker`), and breakers that need every duration (a slow-call policy, outcome
 * listeners) time every call.
 */
export class TimeSampler {
  private every = 1;
  private countdown = 1;
  /** Far in the past (and a small integer, so the field needs no boxed number). */
  private lastTimed = -1_000_000_000;

  /** Whether the next call should be timed; counts it either way. */
  due(): boolean {
    return --this.countdown <= 0;
  }

  /** Notes that a timed call starts at `now` (read by the caller) and adapts the rate. */
  start(now: number): number {
    const gap = now - this.lastTimed;
    this.lastTimed = now;
    if (gap < 1) {
      if (this.every < MAX_EVERY) this.every *= 2;
    } else if (gap > 16) {
      this.every = 1;
    } else if (gap > 4 && this.every > 1) {
      this.every /= 2;
    }
    this.countdown = this.every;
    return now;
  }
}
