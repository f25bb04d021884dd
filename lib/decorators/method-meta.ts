import type { BreakerOptions } from '../breaker/options.js';
import type { ChainLevel } from '../failover/chain-level.js';
import type { BreakerRegistry } from '../registry/breaker-registry.js';
import type { StreamMethodOptions } from './stream-options.js';

/** What `@CircuitBreaker` says about a method. */
export interface BreakerSpec {
  readonly name: string;
  /** The breaker's options, without `registry`. */
  readonly options: Readonly<Omit<BreakerOptions, 'name'>> | undefined;
  readonly registry: BreakerRegistry | undefined;
  /** For an `async *` method: its `isContent` and `resume`, when given. */
  readonly stream?: Readonly<StreamMethodOptions<unknown>> | undefined;
}

/** A fallback: the name of a method of the same class, or a function. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any function may be a fallback
export type FallbackSpec = string | symbol | Function;

/**
 * Everything the decorators know about one decorated method, kept beside the wrapper that
 * replaced it. Both decorators add to the same record, in whichever order they run.
 * @internal
 */
export class MethodMeta {
  breaker: BreakerSpec | undefined = undefined;
  fallback: FallbackSpec | undefined = undefined;
  /** Whether the fallback gets the error after the arguments (`@Fallback(x, { append })`). */
  fallbackAppend = true;
  /** Whether a TC39 initializer already checks the chain at construction. */
  checksAtConstruction = false;
  /** Resolved chains, per receiver prototype (a subclass may override a fallback). */
  readonly chains = new WeakMap<object, readonly ChainLevel[]>();

  constructor(
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    readonly original: Function,
    readonly method: string | symbol,
  ) {}
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const metas = new WeakMap<Function, MethodMeta>();

/** The record of a decorated method's wrapper; `undefined` for any other function. @internal */
export function metaOf(fn: unknown): MethodMeta | undefined {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  return typeof fn === 'function' ? metas.get(fn as Function) : undefined;
}

/** Records `meta` as the record of `wrapper`. @internal */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function setMeta(wrapper: Function, meta: MethodMeta): void {
  metas.set(wrapper, meta);
}
