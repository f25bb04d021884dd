import { DEFAULTS, systemClock, type BreakerOptions, type ResolvedOptions } from './options.js';

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
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of ms, got ${show(value)}`);
  }
};
const percent: Check = (name, value) => {
  if (typeof value !== 'number' || !(value > 0 && value <= 100)) {
    throw new RangeError(`${name} must be a percentage in (0, 100], got ${show(value)}`);
  }
};
const nonEmptyString: Check = (name, value) => {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${name} must be a non-empty string, got ${show(value)}`);
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
  name: nonEmptyString,
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

/**
 * Checks `options` and fills in defaults. Throws a `TypeError` for an unknown option name or a
 * value of the wrong type and a `RangeError` for a value out of range, naming the option and the
 * value. `where` prefixes the message (`registry defaults`, say).
 */
export function validateOptions(
  options: BreakerOptions | undefined,
  where = 'Breaker',
): ResolvedOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where} options must be an object, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    const check = (CHECKS as Record<string, Check | undefined>)[key];
    if (check === undefined) {
      throw new TypeError(`${where}: unknown option "${key}"${suggest(key)}`);
    }
    if (value !== undefined) check(key, value);
  }
  const o = options;
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

/** Renders a value for an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

function suggest(key: string): string {
  const lower = key.toLowerCase();
  const near = OPTION_NAMES.find(
    (n) => n.toLowerCase() === lower || distance(n.toLowerCase(), lower) <= 2,
  );
  return near === undefined
    ? `; known options: ${OPTION_NAMES.join(', ')}`
    : `; did you mean "${near}"?`;
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
