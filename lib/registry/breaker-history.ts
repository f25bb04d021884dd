import type { Breaker } from '../breaker/breaker.js';
import type { CircuitStateName, OpenReason } from '../core/circuit-state.js';
import type { ConfigureEvent, StateChangeEvent } from '../events/breaker-events.js';
import { HISTOGRAM_SIZE, LatencyHistogram, quantileOfCounts } from '../stats/latency-histogram.js';

/**
 * Why a state band began: an open's {@link OpenReason}, `operator` for a reset, hold-open,
 * disable or enable, `wait_over` for half-open, `trials_passed` for a close after trials.
 */
export type BandReason = OpenReason | 'operator' | 'wait_over' | 'trials_passed';

/** A stretch of time a breaker spent in one state. Times are epoch ms of the breaker's clock. */
export interface StateBand {
  readonly state: CircuitStateName;
  readonly from: number;
  /** `null` while it lasts. */
  readonly to: number | null;
  readonly reason: BandReason | null;
  /** Another replica made the move (shared store). */
  readonly remote: boolean;
}

/** Something an operator did that a chart should mark: a config change. */
export interface HistoryMark {
  readonly t: number;
  readonly text: string;
}

/**
 * A breaker's recent past, column by column (what a chart library takes as it is). One entry
 * per sample: `t` its epoch ms; rates and p95 over the time since the sample before.
 */
export interface HistorySeries {
  readonly t: number[];
  /** Calls offered per second, refused ones included. */
  readonly requestsPerSecond: number[];
  /** The rolling window's error rate (0–1) at the sample: what the failure-rate policy sees. */
  readonly errorRate: number[];
  /** p95 latency in ms of the calls settled since the sample before; `null` when none did. */
  readonly p95: (number | null)[];
  /** p95 time to first chunk of streams, when the breaker measures it; else `null`. */
  readonly firstChunkP95: (number | null)[];
  /** Fallbacks served since the sample before. */
  readonly fallbacks: number[];
  /** Calls refused since the sample before. */
  readonly rejections: number[];
  /** Hedges started at this breaker's level since the sample before (`snapshot.hedges.started`). */
  readonly hedges: number[];
}

/** What {@link BreakerHistory.toJSON} gives: the samples, the state bands and the marks. */
export interface BreakerHistoryJSON {
  readonly name: string;
  /** The breaker's clock at the time of reading, epoch ms: the right edge of a timeline. */
  readonly now: number;
  readonly intervalMs: number;
  readonly keepMs: number;
  readonly samples: HistorySeries;
  readonly bands: readonly StateBand[];
  readonly marks: readonly HistoryMark[];
}

/** The counters a sample is diffed against. */
interface Baseline {
  t: number;
  total: number;
  fallbacks: number;
  rejected: number;
  hedges: number;
  latency: LatencyHistogram | null;
  firstChunk: LatencyHistogram | null;
}

const MAX_BANDS = 200;
const MAX_MARKS = 50;

/**
 * A bounded ring of one breaker's recent samples and state bands: at most `keepMs / intervalMs`
 * samples (180 for 15 minutes at 5 s) and {@link MAX_BANDS} bands. It holds no timer: a
 * {@link RegistryHistory} samples every breaker of a registry on one.
 */
export class BreakerHistory {
  private readonly columns: HistorySeries = {
    t: [],
    requestsPerSecond: [],
    errorRate: [],
    p95: [],
    firstChunkP95: [],
    fallbacks: [],
    rejections: [],
    hedges: [],
  };
  private readonly bands: StateBand[] = [];
  private readonly marks: HistoryMark[] = [];
  private baseline: Baseline | null = null;
  /** Streams' times to first chunk, from `streamFirstChunk` events; made on the first. */
  private firstChunks: LatencyHistogram | null = null;
  private latencyCounts = new Uint32Array(HISTOGRAM_SIZE);
  private firstChunkCounts = new Uint32Array(HISTOGRAM_SIZE);
  private readonly scratch = new Uint32Array(HISTOGRAM_SIZE);

  constructor(
    private readonly breaker: Breaker,
    readonly intervalMs: number,
    readonly keepMs: number,
    /** Whether to start with a band of the breaker's state now; not when a move starts it. */
    seed = true,
  ) {
    if (!seed) return;
    const snapshot = breaker.snapshot();
    this.bands.push({
      state: snapshot.state,
      from: Date.parse(snapshot.stateChangedAt),
      to: null,
      reason: snapshot.reason,
      remote: false,
    });
  }

  /**
   * Takes a sample at the breaker's clock's now, unless the last was under half an interval
   * ago (a sample over a sliver of time would be noise). The first sample only sets the baseline.
   */
  sample(): void {
    const breaker = this.breaker;
    const now = breaker.options.clock.now();
    const last = this.baseline;
    if (last !== null && now - last.t < this.intervalMs / 2) return;
    const snapshot = breaker.snapshot();
    const stats = breaker.stats;
    const next: Baseline = {
      t: now,
      total: stats.totalRequests,
      fallbacks: stats.fallbacks,
      rejected: stats.rejectedRequests,
      hedges: stats.hedgesStarted,
      latency: stats.latency,
      firstChunk: this.firstChunks,
    };
    const p95 = this.intervalQuantile(next.latency, last?.latency ?? null, 'latencyCounts');
    const firstChunkP95 = this.intervalQuantile(
      next.firstChunk,
      last?.firstChunk ?? null,
      'firstChunkCounts',
    );
    this.baseline = next;
    if (last === null) return;
    const seconds = (now - last.t) / 1000;
    const c = this.columns;
    c.t.push(now);
    c.requestsPerSecond.push(round(since(next.total, last.total) / seconds));
    c.errorRate.push(round(snapshot.errorRate));
    c.p95.push(p95);
    c.firstChunkP95.push(firstChunkP95);
    c.fallbacks.push(since(next.fallbacks, last.fallbacks));
    c.rejections.push(since(next.rejected, last.rejected));
    c.hedges.push(since(next.hedges, last.hedges));
    this.trim(now);
  }

  /** Notes a state change: ends the current band and starts the next, with its reason. */
  moved(event: StateChangeEvent): void {
    const open = this.bands[this.bands.length - 1];
    if (open !== undefined && open.to === null) {
      this.bands[this.bands.length - 1] = { ...open, to: event.at };
    }
    this.bands.push({
      state: event.to,
      from: event.at,
      to: null,
      reason: reasonOf(event),
      remote: event.remote,
    });
    if (this.bands.length > MAX_BANDS) this.bands.shift();
  }

  /** Notes a stream's time to its first content chunk. */
  firstChunk(durationMs: number): void {
    (this.firstChunks ??= new LatencyHistogram()).record(durationMs);
  }

  /** Notes a live config change. */
  configured(event: ConfigureEvent): void {
    if (event.changed.length === 0) return;
    const text = event.changed.map((key) => `${key} ${show(event.config[key])}`).join(', ');
    this.marks.push({ t: event.at, text: `config: ${text}` });
    if (this.marks.length > MAX_MARKS) this.marks.shift();
  }

  toJSON(): BreakerHistoryJSON {
    return {
      name: this.breaker.name,
      now: this.breaker.options.clock.now(),
      intervalMs: this.intervalMs,
      keepMs: this.keepMs,
      samples: this.columns,
      bands: this.bands,
      marks: this.marks,
    };
  }

  /**
   * The quantile 0.95 of the calls a histogram counted since `before` was copied into the
   * counts named `slot`; the copy is then brought up to date. A histogram made anew (the
   * breaker was reset) counts from zero.
   */
  private intervalQuantile(
    current: LatencyHistogram | null,
    before: LatencyHistogram | null,
    slot: 'latencyCounts' | 'firstChunkCounts',
  ): number | null {
    if (current === null) return null;
    const previous = this[slot];
    const now = current.countsInto(this.scratch);
    const diff = new Uint32Array(HISTOGRAM_SIZE);
    const fresh = current !== before;
    for (let i = 0; i < HISTOGRAM_SIZE; i++) {
      const d = fresh ? now[i]! : now[i]! - previous[i]!;
      diff[i] = d > 0 ? d : 0;
    }
    previous.set(now);
    return quantileOfCounts(diff, 0.95);
  }

  /** Drops samples, bands and marks older than `keepMs`. */
  private trim(now: number): void {
    const oldest = now - this.keepMs;
    const c = this.columns;
    let drop = 0;
    while (drop < c.t.length && c.t[drop]! < oldest) drop++;
    if (drop > 0) for (const column of Object.values(c) as unknown[][]) column.splice(0, drop);
    while (this.bands.length > 1 && this.bands[0]!.to !== null && this.bands[0]!.to < oldest)
      this.bands.shift();
    while (this.marks.length > 0 && this.marks[0]!.t < oldest) this.marks.shift();
  }
}

function reasonOf(event: StateChangeEvent): BandReason | null {
  switch (event.to) {
    case 'open':
      return event.reason;
    case 'half_open':
      return 'wait_over';
    case 'closed':
      return event.from === 'half_open' ? 'trials_passed' : 'operator';
    case 'isolated':
    case 'disabled':
      return 'operator';
  }
}

/** Counters only grow, except at a reset: then the count since is the count itself. */
function since(now: number, before: number): number {
  return now >= before ? now - before : now;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function show(value: unknown): string {
  return value === null ? 'off' : String(value);
}
