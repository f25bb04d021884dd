/**
 * What a guarded function may need besides its arguments, for the shapes where breakwater cannot
 * pass it positionally: a decorated method (its parameters are its callers'), or any level or
 * fallback whose arguments may be left out (an optional, default or rest parameter would receive
 * it). Read it with {@link callContext}.
 */
export interface CallContext {
  /**
   * Aborts when this level's call is given up: at its breaker's deadline, when the caller's
   * signal aborts, at shutdown. Pass it to the SDK. An unguarded level gets the caller's signal,
   * or one that never aborts.
   */
  readonly signal: AbortSignal;
  /** What the level before this one threw (or its breaker's refusal); `undefined` on the first level. */
  readonly error: unknown;
  /** Which level of the chain this is: 0 for the first, 1 for its fallback, and so on. */
  readonly attempt: number;
  /** The level's name: its breaker's, or the method or function name of an unguarded level. */
  readonly level: string;
}

/**
 * The context of the level starting, kept in plain variables: the object is made only when
 * {@link callContext} asks for it, so a level that never reads it costs no allocation.
 */
let depth = 0;
let signalNow: AbortSignal | null = null;
let errorNow: unknown = undefined;
let attemptNow = 0;
let levelNow = '';

/**
 * The context of the guarded call that is starting: its `signal`, the `error` of the level
 * before, the `attempt` number and the `level` name. Call it synchronously at the start of a
 * decorated method, a `failover` level or a fallback, before its first `await` (it is held only
 * while breakwater calls the function, so that reading it costs nothing and concurrent calls never
 * see each other's); elsewhere it throws.
 *
 * @example
 * class Llm {
 *   @CircuitBreaker('openai', { timeout: 20_000 })
 *   @Fallback('backup', { append: false })
 *   async ask(prompt: string, opts?: AskOptions): Promise<string> {
 *     const { signal } = callContext();
 *     return openai.complete(prompt, { ...opts, signal });
 *   }
 *
 *   async backup(prompt: string, opts?: AskOptions): Promise<string> {
 *     const { error } = callContext(); // what `ask` threw; never in `opts`
 *     return anthropic.complete(prompt, opts);
 *   }
 * }
 */
export function callContext(): CallContext {
  if (signalNow === null) {
    throw new TypeError(
      'callContext() is only available while breakwater starts a guarded call: read it at the ' +
        'start of the decorated method, failover level or fallback, before its first await',
    );
  }
  return { signal: signalNow, error: errorNow, attempt: attemptNow, level: levelNow };
}

/**
 * Makes a level's context the current one, given as an object or as its four parts (which
 * allocates nothing); returns what it replaces (`null` when nothing was current, the usual case),
 * for {@link leaveContext}. @internal
 */
export function enterContext(context: CallContext): CallContext | null;
export function enterContext(
  signal: AbortSignal,
  error: unknown,
  attempt: number,
  level: string,
): CallContext | null;
export function enterContext(
  first: CallContext | AbortSignal,
  error?: unknown,
  attempt?: number,
  level?: string,
): CallContext | null {
  const saved =
    depth++ === 0 || signalNow === null
      ? null
      : { signal: signalNow, error: errorNow, attempt: attemptNow, level: levelNow };
  if (first instanceof AbortSignal) {
    signalNow = first;
    errorNow = error;
    attemptNow = attempt!;
    levelNow = level!;
  } else {
    signalNow = first.signal;
    errorNow = first.error;
    attemptNow = first.attempt;
    levelNow = first.level;
  }
  return saved;
}

/** Puts back the context {@link enterContext} replaced. @internal */
export function leaveContext(saved: CallContext | null): void {
  depth--;
  if (saved === null) {
    signalNow = null;
    errorNow = undefined;
  } else {
    signalNow = saved.signal;
    errorNow = saved.error;
    attemptNow = saved.attempt;
    levelNow = saved.level;
  }
}

/** A signal that never aborts: the context signal of an unguarded level without a caller's signal. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;
