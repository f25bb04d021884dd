/* eslint-disable @typescript-eslint/no-explicit-any -- decorator signatures must accept any method */
import type { AppendRefused, FixedArgs } from '../failover/failover.js';

/** What a method the decorators accept returns: a promise, or a stream (an `async *` method). */
export type GuardedReturn = Promise<any> | AsyncIterable<any>;

/** A method the decorators accept: one that returns a promise, or an `async *` method. */
export type AsyncMethod = (...args: any[]) => GuardedReturn;

/**
 * What a fallback for `M` answers with: what `M` resolves to (directly or as a promise), or for an
 * `async *` method a stream of the same chunks.
 */
export type AnswerOf<M extends AsyncMethod> =
  ReturnType<M> extends AsyncIterable<infer C>
    ? AsyncIterable<C> | Iterable<C> | PromiseLike<AsyncIterable<C>>
    : Awaited<ReturnType<M>> | PromiseLike<Awaited<ReturnType<M>>>;

/**
 * What may stand in for the method `M`: it takes `M`'s arguments followed by the error, and
 * answers as `M` does ({@link AnswerOf}). When `M` has an optional, default or rest parameter, the
 * error could land in it: nothing fits ({@link AppendRefused}), and the fallback is named with
 * `{ append: false }` ({@link PlainFallbackFor}) instead.
 */
export type FallbackFor<M extends AsyncMethod> =
  FixedArgs<Parameters<M>> extends true
    ? (...args: [...Parameters<M>, unknown]) => AnswerOf<M>
    : AppendRefused;

/**
 * What may stand in for the method `M` under `@Fallback(name, { append: false })`: it takes `M`'s
 * arguments exactly (the error is in `callContext()`) and answers as `M` does.
 */
export type PlainFallbackFor<M extends AsyncMethod> = (...args: Parameters<M>) => AnswerOf<M>;

/** The fallback type for `M`: {@link FallbackFor} or, with `append` false, {@link PlainFallbackFor}. */
export type FallbackOf<M extends AsyncMethod, Append extends boolean> = Append extends false
  ? PlainFallbackFor<M>
  : FallbackFor<M>;

/**
 * A decorator of async methods that works both as a standard (TC39) decorator and under
 * `experimentalDecorators`, and returns the method with exactly the type it was written with.
 */
export interface AsyncMethodDecorator {
  <This, M extends (this: This, ...args: any[]) => GuardedReturn>(
    method: M,
    context: ClassMethodDecoratorContext<This, M>,
  ): M;
  <M extends AsyncMethod>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): TypedPropertyDescriptor<M>;
}

/**
 * `@Fallback('name')`: the class must have a method `name` that can stand in for the decorated
 * one ({@link FallbackFor}); otherwise the decorator does not compile.
 */
export interface FallbackByNameDecorator<K extends PropertyKey, Append extends boolean = true> {
  <
    This extends { [P in K]: FallbackOf<M, Append> },
    M extends (this: This, ...args: any[]) => GuardedReturn,
  >(
    method: M,
    context: ClassMethodDecoratorContext<This, M>,
  ): M;
  <This extends { [P in K]: FallbackOf<M, Append> }, M extends AsyncMethod>(
    target: This,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): TypedPropertyDescriptor<M>;
}

/** Marks a fallback function that cannot stand in for the decorated method. */
export interface FallbackMismatch<G> {
  readonly 'fallback does not fit the method': G;
}

/**
 * `@Fallback(fn)`: `fn` must take the decorated method's arguments followed by the error and
 * answer with what the method resolves to; otherwise the decorator does not compile.
 */
export interface FallbackByFunctionDecorator<G, Append extends boolean = true> {
  <This, M extends (this: This, ...args: any[]) => GuardedReturn>(
    method: M & (G extends FallbackOf<M, Append> ? unknown : FallbackMismatch<G>),
    context: ClassMethodDecoratorContext<This, M>,
  ): M;
  <M extends AsyncMethod>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M> &
      (G extends FallbackOf<M, Append> ? unknown : FallbackMismatch<G>),
  ): TypedPropertyDescriptor<M>;
}
