import type { Outcome } from './attempt.js';
import { OutcomeRecord, outcomeStorage } from './outcome-record.js';

/** How many `withOutcome` calls are in flight. */
let active = 0;

/**
 * Runs `fn` and tells which provider served it: resolves to `fn`'s value, the name of the level
 * that answered (`servedBy`) and every level tried or skipped on the way (`attempts`), for the
 * calls made inside `fn` through decorated methods and {@link failover} functions.
 *
 * Outcomes follow the async context (`AsyncLocalStorage`), so concurrent calls never mix theirs,
 * and the decorated method's own return type stays as written. A `withOutcome` inside another one
 * sees only its own calls; the outer one sees those too. When `fn` throws, `withOutcome` rejects
 * with that same error (an {@link AllProvidersFailedError} lists every level's cause).
 *
 * On Node 20, async context tracking makes every `await` in the process dearer while it is on;
 * breakwater turns it on for the duration of `withOutcome` calls only, and off again when none is
 * in flight. Chain calls made outside any `withOutcome` measure nothing for it.
 *
 * @example
 * const { value, servedBy, attempts } = await withOutcome(() => llm.complete('hi'));
 * // servedBy === 'anthropic'; attempts[0] is { name: 'openai', outcome: 'rejected', ... }
 */
export async function withOutcome<T>(fn: () => T | PromiseLike<T>): Promise<Outcome<Awaited<T>>> {
  if (typeof fn !== 'function') {
    throw new TypeError(`withOutcome needs a function to run, got ${typeof fn}`);
  }
  const record = new OutcomeRecord(outcomeStorage.getStore());
  active++;
  try {
    const value = await outcomeStorage.run(record, fn);
    return { value, servedBy: record.servedBy, attempts: record.attempts };
  } finally {
    record.finish();
    if (--active === 0) outcomeStorage.disable();
  }
}
