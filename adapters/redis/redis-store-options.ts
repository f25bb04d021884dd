import type { Cluster, Redis } from 'ioredis';
import { ownOptions } from '../../lib/breaker/own-options.js';
import { show } from '../../lib/core/show.js';

/** Options of a {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * Your ioredis client: a `Redis`, or a `Cluster` (a breaker's keys share one hash tag). The
   * store runs its scripts on it and makes one more connection for SUBSCRIBE with
   * `redis.duplicate()`. `close()` closes that one and leaves yours open.
   */
  redis: Redis | Cluster;
  /** Put before every key and the channel name. Default `'breakwater:'`. */
  keyPrefix?: string | undefined;
  /**
   * How long a breaker's shared state lives in Redis after its last write, in ms: keys of
   * breakers nobody uses any more go away. Default 7 days.
   */
  stateTtlMs?: number | undefined;
  /**
   * How long a half-open period's trial-permit count lives, from its first permit, in ms. A
   * permit is a lease of at most this long: a trial still running after it no longer counts.
   * Default 30 000.
   */
  trialTtlMs?: number | undefined;
  /**
   * How long a half-open call may wait for its replica's claim of a fleet trial permit before it
   * is refused, in ms. Only half-open calls that find no permit at hand wait. Default 5.
   */
  claimWaitMs?: number | undefined;
  /**
   * Told of every Redis error (failed writes, lost connections, malformed values). The store never
   * throws them into a breaker: it keeps working on local state. Default: one process warning
   * each time Redis goes from healthy to failing.
   */
  onError?: ((error: Error) => void) | undefined;
}

/** {@link RedisStoreOptions} with every default filled in. */
export interface ResolvedRedisStoreOptions {
  readonly redis: Redis | Cluster;
  readonly keyPrefix: string;
  readonly claimWaitMs: number;
  readonly stateTtlMs: number;
  readonly trialTtlMs: number;
  readonly onError: ((error: Error) => void) | undefined;
}

const NAMES: ReadonlySet<string> = new Set([
  'redis',
  'keyPrefix',
  'stateTtlMs',
  'trialTtlMs',
  'claimWaitMs',
  'onError',
]);

/** Checks `options` and fills in defaults; throws a TypeError or RangeError naming the option. */
export function resolveRedisStoreOptions(options: RedisStoreOptions): ResolvedRedisStoreOptions {
  if (options === undefined) {
    throw new TypeError(`RedisStore options must be an object, got ${show(options)}`);
  }
  // Own keys only, read once: an inherited `redis` or TTL is ignored, never used unchecked.
  const o = ownOptions(options, 'RedisStore', NAMES) as Partial<RedisStoreOptions>;
  const { redis, keyPrefix = 'breakwater:', onError } = o;
  if (
    typeof redis !== 'object' ||
    redis === null ||
    typeof redis.duplicate !== 'function' ||
    typeof redis.eval !== 'function'
  ) {
    // Never shown: what was passed may be connection options, password and all.
    const got =
      typeof redis === 'object' && redis !== null
        ? 'an object without duplicate() and eval()'
        : show(redis);
    throw new TypeError(`RedisStore: redis must be an ioredis client, got ${got}`);
  }
  if (typeof keyPrefix !== 'string') {
    throw new TypeError(`RedisStore: keyPrefix must be a string, got ${show(keyPrefix)}`);
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw new TypeError(`RedisStore: onError must be a function, got ${show(onError)}`);
  }
  return {
    redis: redis as Redis | Cluster,
    keyPrefix,
    stateTtlMs: positiveMs('stateTtlMs', o.stateTtlMs, 7 * 24 * 3600_000),
    trialTtlMs: positiveMs('trialTtlMs', o.trialTtlMs, 30_000),
    claimWaitMs: positiveMs('claimWaitMs', o.claimWaitMs, 5),
    onError,
  };
}

/**
 * A TTL Redis keeps (`PX`), not a Node timer, so it may exceed 2^31-1 ms; it must still be a
 * whole number Redis and Lua read exactly.
 */
function positiveMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(
      `RedisStore: ${name} must be a positive whole number of ms, got ${show(value)}`,
    );
  }
  return value;
}
