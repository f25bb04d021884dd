import { suggestAmong } from './validate-options.js';
import { show } from '../core/show.js';

/**
 * The largest delay Node's timers honour, in ms (2³¹−1, about 24.8 days). A larger one fires
 * after 1 ms with a `TimeoutOverflowWarning`, so every option that ends up in a timer (or in a
 * wait measured from now) is refused above it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** An options object read into a plain record of its own keys: no prototype, nothing inherited. */
export type OwnOptions = Readonly<Record<string, unknown>>;

/**
 * Reads the options object every constructor and factory of breakwater takes, the same way for
 * all of them:
 * - `undefined` is no options; anything but a plain object (`null`, an array, a number) is a
 *   `TypeError` naming `where`;
 * - only own enumerable string keys are read, once each (a getter runs once; what is checked is
 *   what is used); a key whose value is `undefined` is known-checked, then left out, as not given. Inherited properties (`Object.create({ timeout: -1 })`) are ignored, never
 *   "skipped by validation but taken into effect";
 * - a key not in `known` is refused as unknown, whatever it is called: `toString`,
 *   `constructor`, `hasOwnProperty`, `valueOf`, or a `__proto__` key that `JSON.parse` made own.
 *
 * The result has no prototype, so `result.toString` is `undefined` unless the caller gave it.
 *
 * @param hint ends the message of an unknown key: by default the nearest known name ("did you
 * mean"), or the list of them.
 */
export function ownOptions(
  options: unknown,
  where: string,
  known: ReadonlySet<string>,
  hint: (key: string) => string = (key) => suggestAmong(known, key),
): OwnOptions {
  const own = Object.create(null) as Record<string, unknown>;
  if (options === undefined) return own;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where} options must be an object, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`${where}: unknown option "${key}"${hint(key)}`);
    const value = (options as Record<string, unknown>)[key];
    // `undefined` means "not given": left out, so spreading the result keeps the defaults.
    if (value !== undefined) own[key] = value;
  }
  return own;
}

/** Whether `options` (a record {@link ownOptions} made, or any object) has `key` of its own. */
export function hasOwn(options: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(options, key);
}

/**
 * Checks a number of ms that ends up in a timer: finite, at least `min`, at most
 * {@link MAX_TIMER_MS}. A `RangeError` names the option (`name`, prefixed with `where` when given)
 * and the value.
 */
export function checkTimerMs(name: string, value: unknown, min = 0, where?: string): number {
  const label = where === undefined ? name : `${where}: ${name}`;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    const bound = min === 0 ? 'a non-negative number of ms' : `a number of ms >= ${min}`;
    throw new RangeError(`${label} must be ${bound}, got ${show(value)}`);
  }
  if (value > MAX_TIMER_MS) {
    throw new RangeError(
      `${label} must be at most ${MAX_TIMER_MS} ms (2^31-1, the longest delay Node's timers honour), got ${show(value)}`,
    );
  }
  return value;
}
