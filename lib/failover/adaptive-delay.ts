/**
 * A hedge delay learnt from a level's recent answers: the `percentile`-th of its last `samples`
 * latencies (time to answer; for streams, to first content), within `min`..`max` ms, and
 * `initial` until `samples` answers were seen. The latencies are kept in a ring of fixed size.
 */
export class AdaptiveDelay {
  private readonly ring: Float64Array;
  private count = 0;
  private next = 0;
  private cached = -1;

  constructor(
    private readonly percentile: number,
    private readonly min: number,
    private readonly max: number,
    private readonly initial: number,
    samples: number,
  ) {
    this.ring = new Float64Array(samples);
  }

  /** Notes that a level answered after `ms`. */
  record(ms: number): void {
    this.ring[this.next] = ms;
    this.next = (this.next + 1) % this.ring.length;
    if (this.count < this.ring.length) this.count++;
    this.cached = -1;
  }

  /** The delay to wait before hedging now, in ms. */
  current(): number {
    if (this.count < this.ring.length) return this.initial;
    if (this.cached >= 0) return this.cached;
    const sorted = Array.from(this.ring).sort((a, b) => a - b);
    const rank = Math.min(
      sorted.length - 1,
      Math.ceil((this.percentile / 100) * sorted.length) - 1,
    );
    return (this.cached = Math.min(this.max, Math.max(this.min, sorted[Math.max(0, rank)]!)));
  }
}
