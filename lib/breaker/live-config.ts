import { FailureRate } from '../policies/failure-rate.js';
import type { RollingWindow } from '../policies/rolling-window.js';
import { SlowCallRate } from '../policies/slow-call-rate.js';
import type { TripPolicy } from '../policies/trip-policy.js';
import type { BreakerOptions, ResolvedOptions } from './options.js';
import type { ConfigSnapshot } from './snapshot.js';
import { OPTION_NAMES, validateOptions } from './validate-options.js';
import { LIVE_OPTION_NAMES, type LiveOptionName } from '../core/live-option-names.js';
import { show } from '../core/show.js';

export { LIVE_OPTION_NAMES, type LiveOptionName };

/**
 * Changes for {@link Breaker.configure}: any of the {@link LIVE_OPTION_NAMES}, each checked as at
 * construction. `null` turns an optional setting back to its default (off for the rate policies
 * and backoff, no limit for `capacity`, `timeout` for the stream deadlines), so a JSON body can
 * say it.
 */
export type ConfigChanges = {
  readonly [K in LiveOptionName]?: BreakerOptions[K] | null;
};

/** Why an option cannot change live, for the error message. */
const FIXED: Record<string, string> = {
  name: 'it is who the breaker is; make another breaker',
  group: 'metrics and the dashboard group by it; make another breaker',
  clock: 'the breaker keeps time with it',
  enabled: 'use disable() and enable() (POST .../disable and .../enable)',
  errorFilter: 'it is code, fixed at construction',
  classify: 'it is code, fixed at construction',
};

/**
 * The options a breaker runs with after `changes`, checked as the constructor checks them
 * (every value, and across options: `maxResetTimeout` against `resetTimeout`, ...). Throws a
 * `TypeError` or `RangeError` naming the option and the value; `where` prefixes the message.
 */
export function applyChanges(
  current: ResolvedOptions,
  changes: ConfigChanges,
  where = `Breaker "${current.name}" configure`,
): ResolvedOptions {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
    throw new TypeError(`${where}: changes must be an object, got ${show(changes)}`);
  }
  // Only the options a constructor takes: a resolved field derived from them is not one.
  const merged: Record<string, unknown> = {};
  for (const key of OPTION_NAMES)
    merged[key] = (current as unknown as Record<string, unknown>)[key];
  for (const key of Object.keys(changes)) {
    if (!(LIVE_OPTION_NAMES as readonly string[]).includes(key)) {
      if (OPTION_NAMES.includes(key)) {
        const why = FIXED[key] ?? 'it is fixed at construction';
        throw new TypeError(`${where}: ${key} cannot change on a live breaker: ${why}`);
      }
      validateOptions({ [key]: undefined } as BreakerOptions, where); // unknown: names the near ones
    }
    const value = (changes as Record<string, unknown>)[key];
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  if (merged.capacity === Number.POSITIVE_INFINITY) delete merged.capacity;
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return validateOptions(merged as BreakerOptions, where);
}

/** The options a breaker runs with, as JSON: no functions, no clock. */
export function configOf(o: ResolvedOptions): ConfigSnapshot {
  return {
    group: o.group ?? null,
    timeout: o.timeout,
    resetTimeout: o.resetTimeout,
    maxResetTimeout: o.maxResetTimeout ?? null,
    failureThreshold: o.failureThreshold,
    errorThresholdPercentage: o.errorThresholdPercentage ?? null,
    volumeThreshold: o.volumeThreshold,
    rollingCountTimeout: o.rollingCountTimeout,
    rollingCountBuckets: o.rollingCountBuckets,
    slowCallDurationThreshold: o.slowCallDurationThreshold ?? null,
    slowCallRateThreshold: o.slowCallRateThreshold ?? null,
    halfOpenMaxCalls: o.halfOpenMaxCalls,
    successThreshold: o.successThreshold,
    capacity: Number.isFinite(o.capacity) ? o.capacity : null,
    firstChunkTimeout: o.firstChunkTimeout ?? null,
    idleTimeout: o.idleTimeout ?? null,
  };
}

/** The live options whose values differ between `a` and `b`. */
export function changedOptions(a: ResolvedOptions, b: ResolvedOptions): LiveOptionName[] {
  return LIVE_OPTION_NAMES.filter((key) => a[key] !== b[key]);
}

/** The rate policies `o` asks for over `window`, `null` when it asks for none. */
export function ratePolicies(window: RollingWindow, o: ResolvedOptions): TripPolicy[] | null {
  const rates: TripPolicy[] = [];
  if (o.errorThresholdPercentage !== undefined) {
    rates.push(new FailureRate(window, o.errorThresholdPercentage, o.volumeThreshold));
  }
  if (o.slowCallRateThreshold !== undefined) {
    rates.push(new SlowCallRate(window, o.slowCallRateThreshold, o.volumeThreshold));
  }
  return rates.length > 0 ? rates : null;
}
