import { EventEmitter } from 'node:events';

/** One slice of the rolling window: opossum's counters, plus the latencies of settled calls. */
export interface Bucket {
  failures: number;
  fallbacks: number;
  successes: number;
  rejects: number;
  fires: number;
  timeouts: number;
  cacheHits: number;
  cacheMisses: number;
  coalesceCacheHits: number;
  coalesceCacheMisses: number;
  semaphoreRejections: number;
  percentiles: { [percentile: number]: number };
  latencyTimes: number[];
  /** Set in the slice in which the breaker opened (`true`) or closed (`false`). */
  isCircuitBreakerOpen?: boolean | undefined;
}

/** The window summed: every counter, the sorted latencies, their mean and percentiles. */
export interface Stats extends Bucket {
  /** Mean latency in ms; -1 when `rollingPercentilesEnabled` is false. */
  latencyMean: number;
}

/** The counters a bucket sums (everything but the latencies and percentiles). */
export type Counter = Exclude<
  keyof Bucket,
  'percentiles' | 'latencyTimes' | 'isCircuitBreakerOpen'
>;

/** Options of a {@link Status}; the breaker passes its own. */
export interface StatusOptions {
  /** Slices of the window. Default 10. */
  rollingCountBuckets?: number | undefined;
  /** Length of the window in ms. Default 10 000. */
  rollingCountTimeout?: number | undefined;
  /** Keep latencies and compute percentiles; `false` reports them as -1. Default `true`. */
  rollingPercentilesEnabled?: boolean | undefined;
  /** Emit a `snapshot` event at every slice. Default `true`. */
  enableSnapshots?: boolean | undefined;
  /** An emitter whose `rotate` events rotate the window, instead of time. */
  rotateBucketController?: EventEmitter | undefined;
  /** Counters to start from: put in the newest slice. */
  stats?: Partial<Stats> | undefined;
}

const COUNTERS: readonly Counter[] = [
  'failures',
  'fallbacks',
  'successes',
  'rejects',
  'fires',
  'timeouts',
  'cacheHits',
  'cacheMisses',
  'coalesceCacheHits',
  'coalesceCacheMisses',
  'semaphoreRejections',
];
const PERCENTILES = [0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 1];
const ROTATE = 'rotate';

/**
 * A slice. Its latencies are kept as counts per ms (`Date.now()` differences are whole ms, and
 * most calls of one dependency take a few distinct durations), so a busy breaker does not grow an
 * array by one number per call; `latencyTimes` lists them when read.
 */
class Slice implements Bucket {
  failures = 0;
  fallbacks = 0;
  successes = 0;
  rejects = 0;
  fires = 0;
  timeouts = 0;
  cacheHits = 0;
  cacheMisses = 0;
  coalesceCacheHits = 0;
  coalesceCacheMisses = 0;
  semaphoreRejections = 0;
  percentiles: { [percentile: number]: number } = {};
  isCircuitBreakerOpen?: boolean | undefined;
  /** How many calls took each duration, in ms. */
  counts: Map<number, number> | null = null;
  /** The latest run of equal latencies, not yet in `counts`: most calls repeat the last one. */
  private runMs = 0;
  private runLength = 0;

  /** Every latency recorded in the slice. */
  get latencyTimes(): number[] {
    this.flush();
    const list: number[] = [];
    if (this.counts !== null) {
      for (const [ms, n] of this.counts) for (let i = 0; i < n; i++) list.push(ms);
    }
    return list;
  }

  set latencyTimes(list: number[]) {
    this.counts = null;
    this.runLength = 0;
    for (const ms of list) this.record(ms);
  }

  record(ms: number): void {
    if (ms === this.runMs) {
      this.runLength++;
      return;
    }
    this.flush();
    this.runMs = ms;
    this.runLength = 1;
  }

  private flush(): void {
    if (this.runLength === 0) return;
    const counts = (this.counts ??= new Map());
    counts.set(this.runMs, (counts.get(this.runMs) ?? 0) + this.runLength);
    this.runLength = 0;
  }
}

/** A bucket of zeroes as a plain object, for sums. */
function plainBucket(): Bucket {
  return {
    failures: 0,
    fallbacks: 0,
    successes: 0,
    rejects: 0,
    fires: 0,
    timeouts: 0,
    cacheHits: 0,
    cacheMisses: 0,
    coalesceCacheHits: 0,
    coalesceCacheMisses: 0,
    semaphoreRejections: 0,
    percentiles: {},
    latencyTimes: [],
  };
}

/**
 * opossum's `Status`: a breaker's counters in a rolling window of `rollingCountBuckets` slices
 * over `rollingCountTimeout` ms, newest first, emitting `snapshot` (the window summed) at every
 * slice.
 *
 * Unlike opossum's, the window needs no interval: a slice is due when the clock says so, and the
 * window catches up on the next count or read. The snapshot interval runs only while someone
 * listens to `snapshot`. The sums of `fires` and `failures`, which the breaker reads after every
 * failure to decide whether to open, are kept as running totals rather than summed each time.
 */
export class Status extends EventEmitter {
  readonly rollingPercentilesEnabled: boolean;
  readonly enableSnapshots: boolean;
  readonly rotateBucketController: EventEmitter | undefined;
  /** Fires in the window. */
  fires = 0;
  /** Failures in the window. */
  failures = 0;
  private readonly slices: Slice[];
  private readonly sliceMs: number;
  /** When the newest slice ends; `Infinity` when a controller rotates the window. */
  private sliceEnd: number;
  private readonly born: number;
  private snapshotTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(options: StatusOptions = {}) {
    super();
    const count = options.rollingCountBuckets || 10;
    const timeout = options.rollingCountTimeout || 10_000;
    this.rollingPercentilesEnabled = options.rollingPercentilesEnabled !== false;
    this.enableSnapshots = options.enableSnapshots !== false;
    this.rotateBucketController = options.rotateBucketController;
    this.sliceMs = Math.max(1, Math.floor(timeout / count));
    this.slices = Array.from({ length: count }, () => new Slice());
    this.born = Date.now();
    this.sliceEnd = this.rotateBucketController ? Infinity : this.born + this.sliceMs;
    if (options.stats) {
      const primed = new Slice();
      for (const key of COUNTERS) primed[key] = Number(options.stats[key]) || 0;
      primed.latencyTimes = options.stats.latencyTimes ?? [];
      this.slices[0] = primed;
      this.fires = primed.fires;
      this.failures = primed.failures;
    }
    this.startListeneningForRotateEvent();
    if (this.enableSnapshots) {
      this.on('newListener', (event: string | symbol) => {
        if (event === 'snapshot') this.startSnapshots();
      });
      this.on('removeListener', (event: string | symbol) => {
        if (event === 'snapshot' && this.listenerCount('snapshot') === 0) this.stopSnapshots();
      });
    }
  }

  /** The window summed, with latencies sorted and their mean and percentiles. */
  get stats(): Stats {
    this.catchUp(Date.now());
    const totals: Stats = { ...plainBucket(), latencyMean: 0 };
    const latencies: number[] = [];
    for (const slice of this.slices) {
      for (const key of COUNTERS) totals[key] += slice[key];
      if (this.rollingPercentilesEnabled) for (const t of slice.latencyTimes) latencies.push(t);
    }
    if (this.rollingPercentilesEnabled) {
      latencies.sort((a, b) => a - b);
      totals.latencyTimes = latencies;
      let sum = 0;
      for (const t of latencies) sum += t;
      totals.latencyMean = latencies.length > 0 ? sum / latencies.length : 0;
      for (const p of PERCENTILES) totals.percentiles[p] = percentile(p, latencies);
    } else {
      totals.latencyMean = -1;
      for (const p of PERCENTILES) totals.percentiles[p] = -1;
    }
    return totals;
  }

  /** The slices, newest first (a copy of the array; the slices themselves are live). */
  get window(): Bucket[] {
    this.catchUp(Date.now());
    return this.slices.slice();
  }

  /** Adds one to `counter`; successes, failures and timeouts also record `latency`. */
  increment(counter: Counter, latency?: number): void {
    if (counter === 'fires') return this.fire(Date.now());
    const slice = this.current(Date.now());
    slice[counter]++;
    if (counter === 'failures') this.failures++;
    if (
      (counter === 'successes' || counter === 'failures' || counter === 'timeouts') &&
      this.rollingPercentilesEnabled
    ) {
      slice.record(latency || 0);
    }
  }

  /**
   * Counts a fire at `now`: the breaker's hot path, so a method of its own. `now` is `NaN` when
   * the caller did not read the clock: the count goes to the newest slice, which catches up at
   * the next read.
   */
  fire(now: number): void {
    this.current(now).fires++;
    this.fires++;
  }

  /** Counts a success that took `latency` ms, at `now`. */
  success(latency: number, now: number): void {
    const slice = this.current(now);
    slice.successes++;
    if (this.rollingPercentilesEnabled) slice.record(latency);
  }

  private current(now: number): Slice {
    if (now >= this.sliceEnd) this.catchUp(now);
    return this.slices[0]!;
  }

  /** Marks the newest slice as the one the breaker opened in. */
  open(): void {
    this.slices[0]!.isCircuitBreakerOpen = true;
  }

  /** Marks the newest slice as the one the breaker closed in. */
  close(): void {
    this.slices[0]!.isCircuitBreakerOpen = false;
  }

  /** Starts a new slice and drops the oldest: what the clock, or a controller's `rotate`, does. */
  readonly rotateBucket = (): void => {
    const dropped = this.slices.pop()!;
    this.fires -= dropped.fires || 0;
    this.failures -= dropped.failures || 0;
    this.slices.unshift(new Slice());
  };

  /** Stops the snapshots and the controller's rotations; drops every listener. */
  shutdown(): void {
    this.stopped = true;
    this.removeAllListeners();
    this.stopSnapshots();
    this.removeRotateBucketControllerListener();
  }

  /** Stops following the controller's `rotate` events (the breaker is disabled). */
  removeRotateBucketControllerListener(): void {
    this.rotateBucketController?.removeListener(ROTATE, this.rotateBucket);
  }

  /** Follows the controller's `rotate` events again (opossum's spelling, kept for its callers). */
  startListeneningForRotateEvent(): void {
    const controller = this.rotateBucketController;
    if (controller && controller.listenerCount(ROTATE, this.rotateBucket) === 0) {
      controller.on(ROTATE, this.rotateBucket);
    }
  }

  /** Rotates once per slice that ended before `now`; a whole window's worth empties it. */
  private catchUp(now: number): void {
    if (now < this.sliceEnd) return;
    const due = Math.floor((now - this.sliceEnd) / this.sliceMs) + 1;
    for (let i = Math.min(due, this.slices.length); i > 0; i--) this.rotateBucket();
    this.sliceEnd += due * this.sliceMs;
  }

  /** Emits `snapshot` at every slice boundary counted from construction, as opossum's interval. */
  private startSnapshots(): void {
    if (this.snapshotTimer !== null || this.stopped) return;
    const ms = this.sliceMs;
    const tick = (): void => {
      this.snapshotTimer = setTimeout(tick, ms - ((Date.now() - this.born) % ms));
      this.snapshotTimer.unref();
      this.emit('snapshot', this.stats);
    };
    this.snapshotTimer = setTimeout(tick, ms - ((Date.now() - this.born) % ms));
    this.snapshotTimer.unref();
  }

  private stopSnapshots(): void {
    if (this.snapshotTimer !== null) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
  }
}

/** opossum's percentile: the value at rank ceil(p·n) of the sorted latencies; 0 when empty. */
function percentile(p: number, sorted: readonly number[]): number {
  if (p === 0) return sorted[0] || 0;
  return sorted[Math.ceil(p * sorted.length) - 1] || 0;
}
