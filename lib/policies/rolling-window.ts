/**
 * Call counts over the last `durationMs`, in `buckets` slices. Slices are rotated when a call is
 * recorded or the totals are read, by comparing timestamps: there is no timer. Totals are kept
 * as running sums, so recording and reading cost the same however many calls the window holds.
 * The counters are allocated on the first call, so an idle breaker pays nothing for them.
 */
export class RollingWindow {
  /** calls, failures and slow calls per slice, one after the other. */
  private counts: Uint32Array | null = null;
  private readonly width: number;
  private head = 0;
  private headStart: number;
  private pending = 0;
  /** Calls in the window. */
  totalCalls = 0;
  /** Failed calls in the window. */
  totalFailures = 0;
  /** Calls in the window slower than the slow-call threshold. */
  totalSlow = 0;

  constructor(
    readonly durationMs: number,
    readonly buckets: number,
    now: number,
  ) {
    this.width = durationMs / buckets;
    this.headStart = now;
  }

  /**
   * Counts a success whose time was not read (the breaker times only some calls at high rates).
   * It is placed in the window at the next {@link flush}, which the breaker calls at every clock
   * read, so counts stay exact and only their slice may be a sampling gap late.
   */
  countUntimed(): void {
    this.pending++;
  }

  /** Places the untimed successes at `now`; returns how many there were. */
  flush(now: number): number {
    const count = this.pending;
    if (count === 0) return 0;
    this.pending = 0;
    if (now - this.headStart >= this.width) this.rotate(now);
    const counts = (this.counts ??= new Uint32Array(this.buckets * 3));
    counts[this.head]! += count;
    this.totalCalls += count;
    return count;
  }

  /** Records one call at `now`. */
  record(now: number, failed: boolean, slow: boolean): void {
    if (now - this.headStart >= this.width) this.rotate(now);
    const counts = (this.counts ??= new Uint32Array(this.buckets * 3));
    const h = this.head;
    counts[h]!++;
    this.totalCalls++;
    if (failed) {
      counts[h + this.buckets]!++;
      this.totalFailures++;
    }
    if (slow) {
      counts[h + 2 * this.buckets]!++;
      this.totalSlow++;
    }
  }

  /** Drops the slices that have aged out by `now`. */
  rotate(now: number): void {
    const elapsed = now - this.headStart;
    if (elapsed < this.width) return;
    const steps = Math.floor(elapsed / this.width);
    const counts = this.counts;
    if (steps >= this.buckets || counts === null) {
      this.clear(now);
      return;
    }
    const n = this.buckets;
    for (let i = 0; i < steps; i++) {
      const h = (this.head = (this.head + 1) % n);
      this.totalCalls -= counts[h]!;
      this.totalFailures -= counts[h + n]!;
      this.totalSlow -= counts[h + 2 * n]!;
      counts[h] = 0;
      counts[h + n] = 0;
      counts[h + 2 * n] = 0;
    }
    this.headStart += steps * this.width;
  }

  /** Failed calls as a fraction (0–1) of the calls in the window, 0 when empty. */
  errorRate(now: number): number {
    this.rotate(now);
    return this.totalCalls === 0 ? 0 : this.totalFailures / this.totalCalls;
  }

  /** Slow calls as a fraction (0–1) of the calls in the window, 0 when empty. */
  slowRate(now: number): number {
    this.rotate(now);
    return this.totalCalls === 0 ? 0 : this.totalSlow / this.totalCalls;
  }

  /**
   * A window of another length or slicing that starts with this one's counts, all in its newest
   * slice: a breaker reconfigured live keeps what it has seen, which then ages out at once.
   */
  resized(durationMs: number, buckets: number, now: number): RollingWindow {
    this.rotate(now);
    const next = new RollingWindow(durationMs, buckets, now);
    next.pending = this.pending;
    if (this.totalCalls > 0) {
      const counts = (next.counts = new Uint32Array(buckets * 3));
      counts[0] = next.totalCalls = this.totalCalls;
      counts[buckets] = next.totalFailures = this.totalFailures;
      counts[2 * buckets] = next.totalSlow = this.totalSlow;
    }
    return next;
  }

  /** Forgets every call. */
  clear(now: number): void {
    this.counts?.fill(0);
    this.pending = 0;
    this.totalCalls = 0;
    this.totalFailures = 0;
    this.totalSlow = 0;
    this.head = 0;
    this.headStart = now;
  }
}
