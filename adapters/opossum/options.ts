import type { EventEmitter } from 'node:events';
import type { BreakerRegistry } from '../../lib/registry/breaker-registry.js';
import { MemoryCache, type CacheTransport } from './memory-cache.js';
import { Status, type Stats } from './status.js';

/** When a coalesced call's shared promise is dropped early. */
export type CoalesceResetOn = 'error' | 'success' | 'timeout';

/** A breaker's state as `toJSON()` gives it and the `state` option takes it back. */
export interface State {
  name: string;
  enabled: boolean;
  closed: boolean;
  open: boolean;
  halfOpen: boolean;
  warmUp: boolean;
  shutdown: boolean;
  /** Epoch ms when the breaker last opened (or was made, if it never opened). */
  lastTimerAt: number | undefined;
}

/**
 * opossum 10's options, with its defaults, plus `registry`. Names, meanings and defaults are
 * opossum's, not those of breakwater's own `Breaker`.
 */
export interface Options<TI extends unknown[] = unknown[]> {
  /** A {@link Status} (or its stats) to start from, as `toJSON().status` gives them. */
  status?: Status | Partial<Stats> | undefined;
  /** A state to start in, as `toJSON().state` gives it. */
  state?: Partial<State> | undefined;
  /** Ms an action may run before the call fails with `ETIMEDOUT`; `false` (or 0) for none. Default 10 000. */
  timeout?: number | false | undefined;
  /** Deprecated in opossum, ignored there and here (a warning is emitted). */
  maxFailures?: number | undefined;
  /** Ms an opened breaker waits before letting one trial call through. Default 30 000. */
  resetTimeout?: number | undefined;
  /** Length of the rolling window in ms. Default 10 000. */
  rollingCountTimeout?: number | undefined;
  /** Slices of the rolling window. Default 10. */
  rollingCountBuckets?: number | undefined;
  /** The breaker's name. Default: the action's name, else a UUID. */
  name?: string | undefined;
  /** A label for reporting. Default: the name. */
  group?: string | undefined;
  /** Keep latencies and percentiles in the window; `false` reports them as -1. Default `true`. */
  rollingPercentilesEnabled?: boolean | undefined;
  /** Calls in flight at once; more fail with `ESEMLOCKED`. Default `Number.MAX_SAFE_INTEGER`. */
  capacity?: number | undefined;
  /** Opens when failures exceed this percentage of the window's fires. Default 50. */
  errorThresholdPercentage?: number | undefined;
  /** `false` starts disabled (pass-through). Default `true`. */
  enabled?: boolean | undefined;
  /** Never open during the first `rollingCountTimeout` ms. Default `false`. */
  allowWarmUp?: boolean | undefined;
  /** Fires the window must hold before the breaker may open. Default 0. */
  volumeThreshold?: number | undefined;
  /** Return truthy for an error that is not a failure: rethrown, counted as a success. */
  errorFilter?: ((err: any, ...args: TI) => boolean) | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any -- opossum's signature
  /** Cache the first success per key and answer later calls with it. Default `false`. */
  cache?: boolean | undefined;
  /** Ms a cached result lives; 0 for ever. Default 0. */
  cacheTTL?: number | undefined;
  /** The cache key of a call's arguments. Default `JSON.stringify(args)`. */
  cacheGetKey?: ((...args: TI) => string) | undefined;
  /** Where to cache. Default: a {@link MemoryCache} of `cacheSize` entries. */
  cacheTransport?: CacheTransport | undefined;
  /** Entries of the default in-memory cache. Default 2^24 - 1. */
  cacheSize?: number | undefined;
  /** Share one call among concurrent calls with the same key. Default `false`. */
  coalesce?: boolean | undefined;
  /** Ms a coalesced call is shared; 0 for ever. Default: `timeout`. */
  coalesceTTL?: number | false | undefined;
  /** Entries of the coalescing cache. Default 2^24 - 1. */
  coalesceSize?: number | undefined;
  /** Outcomes that end the sharing of a coalesced call at once. Default: none (TTL only). */
  coalesceResetOn?: CoalesceResetOn[] | undefined;
  /** Aborted when a call times out, so the action can stop. */
  abortController?: AbortController | undefined;
  /** Replace an aborted `abortController` when the breaker half-opens or closes. Default `false`. */
  autoRenewAbortController?: boolean | undefined;
  /** Emit `snapshot` events from the status. Default `true`. */
  enableSnapshots?: boolean | undefined;
  /** An emitter whose `rotate` events rotate the window, instead of time. */
  rotateBucketController?: EventEmitter | undefined;
  /**
   * breakwater: join this registry under the breaker's name, so the breaker shows on its admin
   * router, dashboard and metrics and shares state through its store.
   */
  registry?: BreakerRegistry | undefined;
}

/** The options as the breaker runs with them: opossum's defaults filled in. */
export interface ResolvedOptions<TI extends unknown[] = unknown[]> extends Options<TI> {
  timeout: number | false;
  resetTimeout: number;
  errorThresholdPercentage: number;
  rollingCountTimeout: number;
  rollingCountBuckets: number;
  rollingPercentilesEnabled: boolean;
  capacity: number;
  errorFilter: (err: unknown, ...args: TI) => boolean;
  cacheTTL: number;
  cacheGetKey: (...args: TI) => string;
  enableSnapshots: boolean;
  coalesce: boolean;
  coalesceTTL: number | false;
  coalesceResetOn: CoalesceResetOn[];
  coalesceCache: MemoryCache | undefined;
}

const RESET_ON: readonly string[] = ['error', 'success', 'timeout'];
const neverFiltered = (): boolean => false;

/** opossum's defaults, filled into the caller's own object as opossum does (it is `breaker.options`). */
export function resolveOptions<TI extends unknown[]>(options: Options<TI>): ResolvedOptions<TI> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`CircuitBreaker options must be an object, got ${String(options)}`);
  }
  const o = options as ResolvedOptions<TI>;
  o.timeout = options.timeout ?? 10_000;
  o.resetTimeout = options.resetTimeout ?? 30_000;
  o.errorThresholdPercentage = options.errorThresholdPercentage ?? 50;
  o.rollingCountTimeout = options.rollingCountTimeout ?? 10_000;
  o.rollingCountBuckets = options.rollingCountBuckets ?? 10;
  o.rollingPercentilesEnabled = options.rollingPercentilesEnabled !== false;
  o.capacity = Number.isInteger(options.capacity) ? options.capacity! : Number.MAX_SAFE_INTEGER;
  o.errorFilter = options.errorFilter || neverFiltered;
  o.cacheTTL = options.cacheTTL ?? 0;
  o.cacheGetKey = options.cacheGetKey ?? ((...args: TI) => JSON.stringify(args));
  o.enableSnapshots = options.enableSnapshots !== false;
  o.coalesce = !!options.coalesce;
  o.coalesceTTL = options.coalesceTTL ?? o.timeout;
  o.coalesceResetOn = (options.coalesceResetOn ?? []).filter((on) => RESET_ON.includes(on));
  if (o.cache) {
    const transport = o.cacheTransport;
    if (transport === undefined) o.cacheTransport = new MemoryCache(options.cacheSize);
    else if (
      typeof transport !== 'object' ||
      transport === null ||
      typeof transport.get !== 'function' ||
      typeof transport.set !== 'function' ||
      typeof transport.flush !== 'function'
    ) {
      throw new TypeError(
        'options.cacheTransport should be an object with `get`, `set` and `flush` methods',
      );
    }
  }
  o.coalesceCache = o.coalesce ? new MemoryCache(options.coalesceSize) : undefined;
  if (o.autoRenewAbortController && !o.abortController) o.abortController = new AbortController();
  if (o.abortController && typeof o.abortController.abort !== 'function') {
    throw new TypeError('AbortController does not contain `abort()` method');
  }
  if (o.maxFailures) {
    process.emitWarning(
      'options.maxFailures is deprecated. Please use options.errorThresholdPercentage',
      'DeprecationWarning',
    );
  }
  return o;
}

/** The status a breaker starts with: the one given, one primed with the stats given, or a new one. */
export function statusFor(o: ResolvedOptions<unknown[]>): Status {
  const rolling = {
    rollingCountBuckets: o.rollingCountBuckets,
    rollingCountTimeout: o.rollingCountTimeout,
    rollingPercentilesEnabled: o.rollingPercentilesEnabled,
    enableSnapshots: o.enableSnapshots,
    rotateBucketController: o.rotateBucketController,
  };
  if (o.status instanceof Status) return o.status;
  return new Status(o.status ? { ...rolling, stats: o.status } : rolling);
}
