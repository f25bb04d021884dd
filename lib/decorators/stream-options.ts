/* eslint-disable @typescript-eslint/no-explicit-any -- decorator signatures must accept any method */
import { show } from '../core/show.js';
import type { Resume } from '../streams/resume-types.js';

/**
 * What `@CircuitBreaker(name, { stream })` says about the chunks of the `async *` method it
 * guards: the level's content detector and how to go on when it is cut, as a `failoverStream`
 * level's `isContent` and `resume`.
 */
export interface StreamMethodOptions<C> {
  /** Which chunks carry content. Default `isContentChunk`. */
  readonly isContent?: ((chunk: C) => boolean) | undefined;
  /**
   * The next level's arguments when this method's stream is cut after content (for a `@Fallback`
   * method: its arguments before the error), or `undefined` to give up. Default: the stream ends
   * with `StreamInterruptedError`. `resumeOpenAiChat()` and `resumeAnthropicMessages()` fit.
   */
  readonly resume?: Resume<any, C> | undefined;
}

/**
 * `@CircuitBreaker(name, { stream })`: applies to `async *` methods (any method returning an
 * `AsyncIterable` of `C`) only, as a standard decorator or under `experimentalDecorators`, and
 * keeps the method's type.
 */
export interface StreamMethodDecorator<C> {
  <This, M extends (this: This, ...args: any[]) => AsyncIterable<C>>(
    method: M,
    context: ClassMethodDecoratorContext<This, M>,
  ): M;
  <M extends (...args: any[]) => AsyncIterable<C>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): TypedPropertyDescriptor<M>;
}

const KEYS: ReadonlySet<string> = new Set(['isContent', 'resume']);

/**
 * Checks `@CircuitBreaker`'s `stream` option (own keys only) and returns it frozen, or
 * `undefined` when not given. Throws a TypeError naming the bad key and value.
 * @internal
 */
export function streamOptions(
  given: unknown,
  label: string,
): Readonly<StreamMethodOptions<unknown>> | undefined {
  if (given === undefined) return undefined;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new TypeError(
      `${label}: stream must be an object ({ isContent?, resume? }), got ${show(given)}`,
    );
  }
  for (const key of Object.keys(given)) {
    if (!KEYS.has(key)) {
      throw new TypeError(
        `${label}: unknown option stream.${key}; stream takes isContent and resume`,
      );
    }
  }
  const own = given as Record<string, unknown>;
  const read = (key: string): unknown => (Object.hasOwn(own, key) ? own[key] : undefined);
  const isContent = read('isContent');
  const resume = read('resume');
  if (isContent !== undefined && typeof isContent !== 'function')
    throw new TypeError(`${label}: stream.isContent must be a function, got ${show(isContent)}`);
  if (resume !== undefined && typeof resume !== 'function')
    throw new TypeError(`${label}: stream.resume must be a function, got ${show(resume)}`);
  return Object.freeze({
    isContent: isContent as ((chunk: unknown) => boolean) | undefined,
    resume: resume as Resume<any, unknown> | undefined,
  });
}
