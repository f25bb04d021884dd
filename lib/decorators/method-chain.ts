import type { ChainLevel, LevelGuard } from '../failover/chain-level.js';
import { metaOf, type MethodMeta } from './method-meta.js';

/**
 * The chain a call of the method described by `meta` on `self` runs, resolved on first use per
 * prototype (a subclass may override a fallback) and kept.
 * @internal
 */
export function chainFor(meta: MethodMeta, self: object): readonly ChainLevel[] {
  const key = typeof self === 'function' ? self : (Object.getPrototypeOf(self) ?? self);
  let chain = meta.chains.get(key);
  if (chain === undefined) meta.chains.set(key, (chain = resolveChain(meta, self)));
  return chain;
}

/**
 * The chain a call of the decorated method `meta` on `self` runs, or a {@link ChainFailure} with
 * what the call must fail with: a `TypeError` when `this` is not an object (a detached method), or
 * the chain's own error (a fallback that is not a method, a loop), as thrown. Shared by promise
 * and `async *` methods.
 * @internal
 */
export function callChain(meta: MethodMeta, self: unknown): readonly ChainLevel[] | ChainFailure {
  if ((typeof self !== 'object' && typeof self !== 'function') || self === null) {
    return new ChainFailure(
      new TypeError(
        `decorated method "${String(meta.method)}" was called on ${String(self)}; ` +
          'call it on its object (or bind it) so that `this` is set',
      ),
    );
  }
  try {
    return chainFor(meta, self);
  } catch (error) {
    return new ChainFailure(error);
  }
}

/** Why a decorated call cannot run: what it must fail with, kept as thrown. @internal */
export class ChainFailure {
  constructor(readonly error: unknown) {}
}

/**
 * Follows `@Fallback` links from `start` through the methods of `receiver` and returns the
 * chain's levels. Throws a `TypeError` naming the chain for a fallback that is not a method, a
 * loop (`a -> b -> a`), or a breaker that appears twice.
 * @internal
 */
export function resolveChain(start: MethodMeta, receiver: object): ChainLevel[] {
  const owner = ownerName(receiver);
  const levels: ChainLevel[] = [];
  const path: string[] = [];
  const visited = new Set<MethodMeta>();
  const breakers = new Set<string>();
  let meta = start;
  /** Whether the level being added gets the error appended: as its caller's `@Fallback` says. */
  let append = false;
  for (;;) {
    path.push(String(meta.method));
    if (visited.has(meta)) {
      throw new TypeError(
        `@Fallback chain of ${owner}.${String(start.method)} loops: ${path.join(' -> ')}`,
      );
    }
    visited.add(meta);
    if (meta.breaker !== undefined) {
      if (breakers.has(meta.breaker.name)) {
        throw new TypeError(
          `@Fallback chain of ${owner}.${String(start.method)} uses breaker "${meta.breaker.name}" twice: ${path.join(' -> ')}`,
        );
      }
      breakers.add(meta.breaker.name);
    }
    levels.push(new DecoratedMethodLevel(meta, append));
    const fallback = meta.fallback;
    if (fallback === undefined) return levels;
    append = meta.fallbackAppend;
    if (typeof fallback === 'function') {
      levels.push(new FallbackFunctionLevel(fallback as (...args: unknown[]) => unknown, append));
      return levels;
    }
    const target = (receiver as Record<string | symbol, unknown>)[fallback];
    if (typeof target !== 'function') {
      path.push(String(fallback));
      throw new TypeError(
        `@Fallback(${JSON.stringify(String(fallback))}) on ${owner}.${String(meta.method)}: ` +
          `${owner} has no method "${String(fallback)}" (chain: ${path.join(' -> ')})`,
      );
    }
    const next = metaOf(target);
    if (next === undefined) {
      levels.push(new FallbackMethodLevel(fallback, append));
      return levels;
    }
    meta = next;
  }
}

function ownerName(receiver: object): string {
  if (typeof receiver === 'function') return receiver.name || 'class';
  const ctor = (receiver as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'object';
}

/**
 * A decorated method: guarded when it has `@CircuitBreaker`, its original body run as written.
 * It never gets the signal as an argument (its parameters are its callers'): it reads
 * `callContext().signal`.
 */
class DecoratedMethodLevel implements ChainLevel {
  readonly name: string;
  readonly guard: LevelGuard | null;

  constructor(
    private readonly meta: MethodMeta,
    /** A fallback level gets the error after the arguments, unless its `@Fallback` says not. */
    private readonly appendError: boolean,
  ) {
    const breaker = meta.breaker;
    this.name = breaker === undefined ? String(meta.method) : breaker.name;
    this.guard =
      breaker === undefined
        ? null
        : { breaker: breaker.name, options: breaker.options, registry: breaker.registry };
  }

  run(self: unknown, args: readonly unknown[], lastError: unknown): unknown {
    return this.meta.original.apply(self, this.appendError ? [...args, lastError] : args);
  }
}

/** A plain method named by `@Fallback`: looked up on the instance at each call (stubs work). */
class FallbackMethodLevel implements ChainLevel {
  readonly guard = null;
  readonly name: string;

  constructor(
    private readonly method: string | symbol,
    private readonly append: boolean,
  ) {
    this.name = String(method);
  }

  run(self: unknown, args: readonly unknown[], lastError: unknown): unknown {
    const fn = (self as Record<string | symbol, unknown>)[this.method];
    if (typeof fn !== 'function')
      throw new TypeError(`fallback method "${this.name}" is gone from the instance`);
    return this.append ? fn.call(self, ...args, lastError) : fn.apply(self, args as unknown[]);
  }
}

/** A function given to `@Fallback(fn)`: called with `this` the instance, the arguments and the error. */
class FallbackFunctionLevel implements ChainLevel {
  readonly guard = null;
  readonly name: string;

  constructor(
    private readonly fn: (...args: unknown[]) => unknown,
    private readonly append: boolean,
  ) {
    this.name = fn.name === '' ? 'fallback' : fn.name;
  }

  run(self: unknown, args: readonly unknown[], lastError: unknown): unknown {
    return this.append
      ? this.fn.call(self, ...args, lastError)
      : this.fn.apply(self, args as unknown[]);
  }
}
