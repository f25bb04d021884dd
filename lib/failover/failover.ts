import { ownOptions } from '../breaker/own-options.js';
import { KNOWN_OPTIONS, suggestOption, validateOptions } from '../breaker/validate-options.js';
import { show } from '../core/show.js';
import type { BreakerOptions } from '../breaker/options.js';
import type { BreakerRegistry } from '../registry/breaker-registry.js';
import { defaultRegistry } from '../registry/default-registry.js';
import type { ChainLevel, LevelGuard } from './chain-level.js';
import { resolveHedge, type HedgeOptions } from './hedge-options.js';
import { runChain } from './run-chain.js';
import { HedgePlan } from './hedge-plan.js';
import { runHedged } from './run-hedged.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any function may head a chain
type AnyFunction = (...args: any[]) => any;

/** The arguments of a chain whose first provider's `call` is `F`: its parameters, signal left off. */
export type ChainArgs<F extends AnyFunction> =
  Parameters<F> extends [...infer A, AbortSignal] ? A : Parameters<F>;

/**
 * Whether every element of the argument list `A` is required: then a value appended after the
 * arguments always lands in the same place. An optional, default or rest parameter breaks that:
 * when the caller leaves it out, the appended signal or error would take its place.
 */
export type FixedArgs<A extends readonly unknown[]> = number extends A['length']
  ? false
  : A extends Required<A>
    ? true
    : false;

/**
 * What a function is checked against where breakwater would append a signal or an error after
 * arguments that may be left out: no function fits, so the code does not compile. Pass
 * `{ append: false }` and read the signal and the error from `callContext()`.
 */
export interface AppendRefused {
  readonly 'optional, default or rest parameters could receive the appended signal or error: pass { append: false } and read callContext()': never;
}

/** `unknown` (no constraint) when appending after `A` is safe; {@link AppendRefused} when not. */
export type AppendSafe<A extends readonly unknown[]> =
  FixedArgs<A> extends true ? unknown : AppendRefused;

/** What a chain whose first provider's `call` is `F` resolves to. */
export type ChainResult<F extends AnyFunction> = Awaited<ReturnType<F>>;

/**
 * A guarded level of a {@link failover} chain: a provider behind the breaker called `name`.
 * `call` gets the chain's arguments followed by the breaker's `AbortSignal` (aborted on timeout
 * and shutdown) when it declares a parameter for it.
 */
export interface ProviderLevel<A extends unknown[], R> {
  /** The breaker's name in the registry; also the level's name in attempts and causes. */
  readonly name: string;
  call(...args: [...A, AbortSignal]): R | PromiseLike<R>;
  /** Options of the level's breaker, used when the registry makes it. */
  readonly options?: BreakerOptions | undefined;
  /**
   * Never set. A function has `name` and `call` too; this keeps one from passing for a provider
   * level, so a last resort is checked as a {@link LastResort}.
   */
  readonly apply?: never | undefined;
}

/**
 * An unguarded level of a {@link failover} chain, usually the last resort: a plain function given
 * the chain's arguments followed by the error of the level before it.
 */
export type LastResort<A extends unknown[], R> = (...args: [...A, unknown]) => R | PromiseLike<R>;

/** Any level of a chain taking `A` and resolving to `R`. */
export type FailoverLevel<A extends unknown[], R> = ProviderLevel<A, R> | LastResort<A, R>;

/**
 * A level of a chain made with `{ append: false }`: the arguments exactly as the caller passed
 * them, nothing appended; the signal and the error are in `callContext()`.
 */
export type PlainLevel<A extends unknown[], R> =
  | {
      readonly name: string;
      call(...args: A): R | PromiseLike<R>;
      readonly options?: BreakerOptions | undefined;
      readonly apply?: never | undefined;
    }
  | ((...args: A) => R | PromiseLike<R>);

/** Options of {@link failover}. */
export interface FailoverOptions {
  /** Where the levels' breakers live. Default {@link defaultRegistry}. */
  readonly registry?: BreakerRegistry | undefined;
  /**
   * `true` (the default): a provider's `call` gets the arguments followed by the signal, a last
   * resort the arguments followed by the error. `false`: every level gets the arguments alone,
   * and reads the signal and the error from `callContext()`: the form for arguments that may be
   * left out (optional, default or rest parameters), where an appended value could take their
   * place. The types refuse the default form for such arguments.
   */
  readonly append?: boolean | undefined;
  /**
   * Hedging: when a level has not answered after `hedge.delay` ms (or its adaptive delay), the
   * next level starts beside it; the first answer wins and the others are aborted and recorded
   * `cancelled`. See {@link HedgeOptions}. Default: no hedging.
   */
  readonly hedge?: HedgeOptions | undefined;
}

/**
 * The priority chains of `@CircuitBreaker` and `@Fallback`, without decorators. `levels` are in
 * priority order: `{ name, call, options? }` is a provider guarded by the breaker `name`; a plain
 * function is an unguarded level, typically the last resort, given the arguments and the last
 * error. Each call starts at the first level whose breaker admits it and moves down when a breaker
 * refuses or a provider fails in a way that may fail over; a caller's error (a 400) is rethrown.
 * When every level fails, the call rejects with {@link AllProvidersFailedError}.
 *
 * The breakers are made in the registry at once (bad options throw here), so they show on admin
 * routes before the first call. The argument and result types come from the first level.
 *
 * @example
 * const complete = failover([
 *   { name: 'openai', call: (prompt: string, signal: AbortSignal) => openai.complete(prompt, signal) },
 *   { name: 'anthropic', call: (prompt: string) => anthropic.complete(prompt) },
 *   (prompt: string) => 'Service temporarily unavailable',
 * ]);
 * const answer = await complete('hi');
 */
export function failover<F extends AnyFunction>(
  levels: readonly [
    {
      readonly name: string;
      call: F & AppendSafe<ChainArgs<F>>;
      readonly options?: BreakerOptions | undefined;
    },
    ...NoInfer<FailoverLevel<ChainArgs<F>, ChainResult<F>>>[],
  ],
  options?: FailoverOptions & { readonly append?: true | undefined },
): (...args: ChainArgs<F>) => Promise<ChainResult<F>>;
export function failover<F extends AnyFunction>(
  levels: readonly [
    { readonly name: string; call: F; readonly options?: BreakerOptions | undefined },
    ...NoInfer<PlainLevel<Parameters<F>, ChainResult<F>>>[],
  ],
  options: FailoverOptions & { readonly append: false },
): (...args: Parameters<F>) => Promise<ChainResult<F>>;
export function failover(
  levels: readonly unknown[],
  options?: FailoverOptions,
): (...args: unknown[]) => Promise<unknown> {
  const registry = registryOption(options);
  const hedge = ownOptions(options, 'failover', FAILOVER_OPTIONS)['hedge'];
  const hedged = hedge === undefined ? null : resolveHedge(hedge);
  if (!Array.isArray(levels) || levels.length === 0) {
    throw new TypeError(`failover levels must be a non-empty array, got ${show(levels)}`);
  }
  // Everything is checked before any breaker is made: a bad chain leaves the registry as it was.
  const append = ownOptions(options, 'failover', FAILOVER_OPTIONS)['append'] !== false;
  const chain = levels.map((level: unknown, index) => toLevel(level, index, append));
  const seen = new Set<string>();
  for (const level of chain) {
    if (level.guard === null) continue;
    if (seen.has(level.name))
      throw new TypeError(`failover: breaker "${level.name}" appears twice in the chain`);
    seen.add(level.name);
  }
  for (const level of chain) {
    if (level.guard !== null) registry.get(level.name, level.guard.options);
  }
  const state = hedged === null ? null : new HedgePlan(hedged, chain.length);
  const run =
    state === null
      ? (...args: unknown[]) => runChain(chain, registry, undefined, args)
      : (...args: unknown[]) => runHedged(chain, registry, args, state);
  Object.defineProperty(run, 'name', { value: `failover(${chain.map((l) => l.name).join(', ')})` });
  return run;
}

/** @internal Checks a chain's options (`where` names the function) and returns its registry. */
export function registryOption(
  options: FailoverOptions | undefined,
  where = 'failover',
): BreakerRegistry {
  // Own keys only, read once: an inherited `registry` is ignored, never used unchecked.
  const own = ownOptions(options, where, FAILOVER_OPTIONS);
  const append = own['append'];
  if (where !== 'failover' && own['hedge'] !== undefined) {
    throw new TypeError(`${where} option hedge is not supported yet; failover() hedges promises`);
  }
  if (append !== undefined && typeof append !== 'boolean') {
    throw new TypeError(`${where} option append must be true or false, got ${show(append)}`);
  }
  const registry = own['registry'] as BreakerRegistry | undefined;
  if (registry === undefined) return defaultRegistry;
  if (typeof registry !== 'object' || registry === null || typeof registry.get !== 'function') {
    throw new TypeError(
      `${where} option registry must be a BreakerRegistry, got ${show(registry)}`,
    );
  }
  return registry;
}

const FAILOVER_OPTIONS: ReadonlySet<string> = new Set(['registry', 'append', 'hedge']);
const LEVEL_KEYS: ReadonlySet<string> = new Set(['name', 'call', 'options']);

/**
 * @internal Checks one level of a chain and makes it. `extraKeys` are the keys a caller such as
 * `failoverStream` accepts beyond `name`, `call` and `options` (and checks itself); `fn` names
 * that caller in messages.
 */
export function toLevel(
  level: unknown,
  index: number,
  append: boolean,
  extraKeys: readonly string[] = [],
  fn = 'failover',
): ChainLevel {
  if (typeof level === 'function') return new LastResortLevel(level as AnyFunction, append);
  const where = `${fn} level ${index}`;
  if (typeof level !== 'object' || level === null) {
    throw new TypeError(
      `${where} must be { name, call, options? } or a function, got ${show(level)}`,
    );
  }
  for (const key of Object.keys(level)) {
    if (!LEVEL_KEYS.has(key) && !extraKeys.includes(key))
      throw new TypeError(
        `${where}: unknown key "${key}"; known keys: ${['name', 'call', 'options', ...extraKeys].join(', ')}`,
      );
  }
  // Own keys only: an inherited `options` is ignored rather than used unchecked.
  const own = ownOptions(level, where, new Set([...LEVEL_KEYS, ...extraKeys]));
  const name = own['name'];
  const call = own['call'];
  let options = own['options'];
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`${where}: name must be a non-empty string, got ${show(name)}`);
  }
  if (typeof call !== 'function')
    throw new TypeError(`${where} ("${name}"): call must be a function, got ${show(call)}`);
  if (options !== undefined) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${where} ("${name}"): options must be an object, got ${show(options)}`);
    }
    options = ownOptions(options, `failover level "${name}"`, KNOWN_OPTIONS, suggestOption);
    if ((options as BreakerOptions).name !== undefined)
      throw new TypeError(
        `${where} ("${name}"): options.name is not allowed; the level's name names its breaker`,
      );
    validateOptions({ ...(options as BreakerOptions), name }, `${fn} level "${name}"`);
  }
  return new ProviderCallLevel(
    name,
    call as AnyFunction,
    options as BreakerOptions | undefined,
    append,
  );
}

/**
 * A `{ name, call, options? }` level: `call(...args, signal)` through the breaker `name`, or
 * `call(...args)` in a chain made with `{ append: false }`. The signal is passed whatever `call`
 * declares: nothing is guessed from `call.length`.
 */
class ProviderCallLevel implements ChainLevel {
  readonly guard: LevelGuard;

  constructor(
    readonly name: string,
    private readonly call: AnyFunction,
    options: BreakerOptions | undefined,
    private readonly append: boolean,
  ) {
    this.guard = { breaker: name, options, registry: undefined };
  }

  run(_self: unknown, args: readonly unknown[], _lastError: unknown, signal: AbortSignal): unknown {
    const call = this.call;
    return this.append ? call(...args, signal) : call(...args);
  }
}

/** A plain-function level: `fn(...args, lastError)` (or `fn(...args)`), unguarded. */
class LastResortLevel implements ChainLevel {
  readonly guard = null;
  readonly name: string;

  constructor(
    private readonly fn: AnyFunction,
    private readonly append: boolean,
  ) {
    this.name = fn.name === '' ? 'fallback' : fn.name;
  }

  run(_self: unknown, args: readonly unknown[], lastError: unknown): unknown {
    return this.append ? this.fn(...args, lastError) : this.fn(...args);
  }
}
