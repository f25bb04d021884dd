import { DEFAULTS, systemClock, type BreakerOptions, type ResolvedOptions } from './options.js';
import { MAX_TIMER_MS, ownOptions } from './own-options.js';
import { show } from '../core/show.js';

type Check = (name: string, value: unknown) => void;

const positiveInteger: Check = (name, value) => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${show(value)}`);
  }
};
const nonNegativeInteger: Check = (name, value) => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${show(value)}`);
  }
};
const positiveMs: Check = (name, value) => {
  // Below 1 ms a wait is no wait: `now + 0.001` opens and half-opens in the same instant.
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
    throw new RangeError(
      `${name} must be a positive number of ms, got ${show(value)} (the least is 1)`,
    );
  }
  if (value > MAX_TIMER_MS) {
    throw new RangeError(
      `${name} must be at most ${MAX_TIMER_MS} ms (2^31-1, the longest delay Node's timers honour), got ${show(value)}`,
    );
  }
};
const percent: Check = (name, value) => {
  if (typeof value !== 'number' || !(value > 0 && value <= 100)) {
    throw new RangeError(`${name} must be a percentage in (0, 100], got ${show(value)}`);
  }
  // errorRate is a fraction, so 0.5 is an easy slip for 50: as a percentage it would trip on one
  // failure in 200. A real threshold below 1% is not a circuit breaker's job.
  if (value < 1) {
    throw new RangeError(
      `${name} is a percentage from 1 to 100, not a fraction: got ${show(value)}; did you mean ${+(value * 100).toPrecision(12)}?`,
    );
  }
};
const nonEmptyString: Check = (name, value) => {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${name} must be a non-empty string, got ${show(value)}`);
  }
};
/**
 * A breaker's name is a path segment of the admin routes (`/circuit-breakers/:name`), sent
 * percent-encoded. `.` and `..` are the only names no URL can carry: browsers and clients
 * resolve them (even as `%2E%2E`) before sending, so they are refused here.
 */
const breakerName: Check = (name, value) => {
  nonEmptyString(name, value);
  if (value === '.' || value === '..') {
    throw new TypeError(
      `${name} must not be "." or "..": the admin routes carry a name in a URL path, where these resolve away; got ${show(value)}`,
    );
  }
  if (/[\u0000-\u001f\u007f]/.test(value as string)) {
    throw new TypeError(`${name} must not contain control characters, got ${show(value)}`);
  }
};
const boolean: Check = (name, value) => {
  if (typeof value !== 'boolean')
    throw new TypeError(`${name} must be a boolean, got ${show(value)}`);
};
const func: Check = (name, value) => {
  if (typeof value !== 'function')
    throw new TypeError(`${name} must be a function, got ${show(value)}`);
};
const orFalse =
  (check: Check): Check =>
  (name, value) => {
    if (value !== false) check(name, value);
  };
const capacity: Check = (name, value) => {
  if (value !== Number.POSITIVE_INFINITY) positiveInteger(name, value);
};
const clock: Check = (name, value) => {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as { now?: unknown }).now !== 'function'
  ) {
    throw new TypeError(`${name} must be an object with a now() method, got ${show(value)}`);
  }
};

/** Every option a breaker accepts, with its check. */
const CHECKS: Record<keyof BreakerOptions, Check> = {
  name: breakerName,
  group: nonEmptyString,
  enabled: boolean,
  timeout: orFalse(positiveMs),
  resetTimeout: positiveMs,
  maxResetTimeout: positiveMs,
  failureThreshold: orFalse(positiveInteger),
  errorThresholdPercentage: percent,
  volumeThreshold: nonNegativeInteger,
  rollingCountTimeout: positiveMs,
  rollingCountBuckets: positiveInteger,
  slowCallDurationThreshold: positiveMs,
  slowCallRateThreshold: percent,
  halfOpenMaxCalls: positiveInteger,
  successThreshold: positiveInteger,
  capacity,
  errorFilter: func,
  classify: func,
  clock,
  firstChunkTimeout: orFalse(positiveMs),
  idleTimeout: orFalse(positiveMs),
};

/** The option names a breaker accepts. */
export const OPTION_NAMES: readonly string[] = Object.freeze(Object.keys(CHECKS));
/** {@link OPTION_NAMES} as a set, for the readers of options objects. */
export const KNOWN_OPTIONS: ReadonlySet<string> = new Set(OPTION_NAMES);

/**
 * Checks `options` and fills in defaults. Throws a `TypeError` for an unknown option name or a
 * value of the wrong type and a `RangeError` for a value out of range, naming the option and the
 * value. `where` prefixes the message (`registry defaults`, say).
 */
export function validateOptions(
  options: BreakerOptions | undefined,
  where = 'Breaker',
): ResolvedOptions {
  // Own keys only, read once: an inherited `timeout` is ignored rather than used unchecked, and
  // `toString` or a JSON `__proto__` is an unknown option, not a lookup on Object.prototype.
  const own = ownOptions(options, where, KNOWN_OPTIONS, suggestOption);
  for (const key in own) {
    const value = own[key];
    if (value !== undefined) CHECKS[key as keyof BreakerOptions](key, value);
  }
  const o = own as BreakerOptions;
  if (o.slowCallRateThreshold !== undefined && o.slowCallDurationThreshold === undefined) {
    throw new TypeError(
      `slowCallRateThreshold needs slowCallDurationThreshold (the ms above which a call is slow), got ${show(o.slowCallRateThreshold)} alone`,
    );
  }
  const resetTimeout = o.resetTimeout ?? DEFAULTS.resetTimeout;
  if (o.maxResetTimeout !== undefined && o.maxResetTimeout < resetTimeout) {
    throw new RangeError(
      `maxResetTimeout must be at least resetTimeout (${resetTimeout}), got ${show(o.maxResetTimeout)}`,
    );
  }
  const rollingCountTimeout = o.rollingCountTimeout ?? DEFAULTS.rollingCountTimeout;
  const rollingCountBuckets = o.rollingCountBuckets ?? DEFAULTS.rollingCountBuckets;
  if (rollingCountTimeout / rollingCountBuckets < 1) {
    throw new RangeError(
      `rollingCountBuckets must leave slices of at least 1 ms of rollingCountTimeout (${rollingCountTimeout}), got ${show(rollingCountBuckets)}`,
    );
  }
  return {
    name: o.name ?? DEFAULTS.name,
    group: o.group,
    enabled: o.enabled ?? DEFAULTS.enabled,
    timeout: o.timeout ?? DEFAULTS.timeout,
    resetTimeout,
    maxResetTimeout: o.maxResetTimeout,
    failureThreshold: o.failureThreshold ?? DEFAULTS.failureThreshold,
    errorThresholdPercentage: o.errorThresholdPercentage,
    volumeThreshold: o.volumeThreshold ?? DEFAULTS.volumeThreshold,
    rollingCountTimeout,
    rollingCountBuckets,
    slowCallDurationThreshold: o.slowCallDurationThreshold,
    slowCallRateThreshold: o.slowCallRateThreshold,
    halfOpenMaxCalls: o.halfOpenMaxCalls ?? DEFAULTS.halfOpenMaxCalls,
    successThreshold: o.successThreshold ?? DEFAULTS.successThreshold,
    capacity: o.capacity ?? DEFAULTS.capacity,
    errorFilter: o.errorFilter,
    classify: o.classify,
    clock: o.clock ?? systemClock,
    firstChunkTimeout: o.firstChunkTimeout,
    idleTimeout: o.idleTimeout,
  };
}

/** The hint for an unknown breaker option `key`: the nearest known name, or the list of them. */
export function suggestOption(key: string): string {
  return suggestAmong(OPTION_NAMES, key);
}

/** The hint for an unknown `key` among `names`: the nearest (within 2 edits), or the list. */
export function suggestAmong(names: Iterable<string>, key: string): string {
  const known = [...names];
  const lower = key.toLowerCase();
  const near = known.find(
    (n) => n.toLowerCase() === lower || distance(n.toLowerCase(), lower) <= 2,
  );
  return near === undefined ? `; known options: ${known.join(', ')}` : `; did you mean "${near}"?`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}
