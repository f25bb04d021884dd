import { show } from '../core/show.js';

/** The most a timer may wait in Node: larger delays fire at once. */
const MAX_MS = 2_147_483_647;

/**
 * When to start the next level beside a slow one: a fixed number of ms, or adaptive, from the
 * level's recent latency (its `percentile`-th, e.g. 95 for p95), kept within `min`..`max` ms and
 * `initial` until `samples` latencies are known.
 */
export type HedgeDelay =
  | number
  | {
      readonly percentile: number;
      readonly min?: number | undefined;
      readonly max?: number | undefined;
      readonly initial?: number | undefined;
      readonly samples?: number | undefined;
    };

/** Options of hedging, `failover(levels, { hedge })` and `failoverStream(levels, { hedge })`. */
export interface HedgeOptions {
  /** How long a level may go without answering before the next one starts beside it. */
  readonly delay: HedgeDelay;
  /** Extra attempts per call at most. Default 1. */
  readonly max?: number | undefined;
  /**
   * The share of calls that may be hedged, in percent over the budget's window (a token bucket,
   * as gRPC's hedging throttle): a slow provider cannot double the load. Default 10.
   */
  readonly budgetPercent?: number | undefined;
  /** How many hedges the budget may hold in reserve, for bursts. Default 10. */
  readonly budgetBurst?: number | undefined;
}

/** Hedge options with every default filled in. */
export interface ResolvedHedge {
  readonly delay:
    | { readonly kind: 'fixed'; readonly ms: number }
    | {
        readonly kind: 'adaptive';
        readonly percentile: number;
        readonly min: number;
        readonly max: number;
        readonly initial: number;
        readonly samples: number;
      };
  readonly max: number;
  readonly budgetPercent: number;
  readonly budgetBurst: number;
}

const HEDGE_KEYS = ['delay', 'max', 'budgetPercent', 'budgetBurst'];
const DELAY_KEYS = ['percentile', 'min', 'max', 'initial', 'samples'];

function ms(where: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_MS) {
    throw new RangeError(`${where} must be a number of ms from 0 to ${MAX_MS}, got ${show(value)}`);
  }
  return value;
}

function keys(where: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where}: unknown option "${key}"; known options: ${known.join(', ')}`);
    }
  }
}

/**
 * Checks `hedge` and fills in the defaults; a bad value throws a `TypeError` or `RangeError` that
 * names it (`hedge.delay must be ...`).
 */
export function resolveHedge(hedge: unknown): ResolvedHedge {
  if (typeof hedge !== 'object' || hedge === null || Array.isArray(hedge)) {
    throw new TypeError(`hedge must be an object like { delay: 200 }, got ${show(hedge)}`);
  }
  keys('hedge', hedge, HEDGE_KEYS);
  const o = hedge as HedgeOptions;
  if (o.delay === undefined) throw new TypeError('hedge.delay is required: ms, or { percentile }');
  let delay: ResolvedHedge['delay'];
  if (typeof o.delay === 'number') {
    delay = { kind: 'fixed', ms: ms('hedge.delay', o.delay, 0) };
  } else if (typeof o.delay === 'object' && o.delay !== null) {
    keys('hedge.delay', o.delay, DELAY_KEYS);
    const p = o.delay.percentile;
    if (typeof p !== 'number' || !(p > 0 && p < 100)) {
      throw new RangeError(`hedge.delay.percentile must be above 0 and below 100, got ${show(p)}`);
    }
    const min = ms('hedge.delay.min', o.delay.min, 0);
    const max = ms('hedge.delay.max', o.delay.max, MAX_MS);
    if (max < min) {
      throw new RangeError(`hedge.delay.max (${max}) must not be below hedge.delay.min (${min})`);
    }
    const samples = o.delay.samples ?? 20;
    if (!Number.isInteger(samples) || samples < 1 || samples > 1_000) {
      throw new RangeError(
        `hedge.delay.samples must be an integer from 1 to 1000, got ${show(samples)}`,
      );
    }
    const initial = ms('hedge.delay.initial', o.delay.initial, Math.max(min, Math.min(max, 1_000)));
    delay = { kind: 'adaptive', percentile: p, min, max, initial, samples };
  } else {
    throw new TypeError(`hedge.delay must be ms or { percentile }, got ${show(o.delay)}`);
  }
  const max = o.max ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > 10) {
    throw new RangeError(`hedge.max must be an integer from 1 to 10, got ${show(max)}`);
  }
  const budgetPercent = o.budgetPercent ?? 10;
  if (typeof budgetPercent !== 'number' || !(budgetPercent > 0 && budgetPercent <= 100)) {
    throw new RangeError(
      `hedge.budgetPercent must be above 0 and at most 100, got ${show(budgetPercent)}`,
    );
  }
  const budgetBurst = o.budgetBurst ?? 10;
  if (!Number.isInteger(budgetBurst) || budgetBurst < 1 || budgetBurst > 10_000) {
    throw new RangeError(
      `hedge.budgetBurst must be an integer from 1 to 10000, got ${show(budgetBurst)}`,
    );
  }
  return { delay, max, budgetPercent, budgetBurst };
}
