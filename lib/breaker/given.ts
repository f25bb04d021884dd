/**
 * `options` without the keys whose value is `undefined`. Under `exactOptionalPropertyTypes` the
 * option types accept `undefined` (`{ timeout: config.timeout }` with an unset value), and it
 * means "not given": spreading such an object over defaults must not wipe the defaults out.
 */
export function given<T extends object>(options: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (options === undefined) return out;
  for (const key of Object.keys(options) as (keyof T)[]) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  return out;
}
