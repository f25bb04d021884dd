import type { BreakerOptions } from '../breaker/options.js';
import { ownOptions } from '../breaker/own-options.js';
import { show } from '../core/show.js';
import { registryOption, toLevel, type FailoverOptions } from '../failover/failover.js';
import { resolveHedge, type HedgeOptions } from '../failover/hedge-options.js';
import { outcomeStorage } from '../failover/outcome-record.js';
import { HedgePlan } from '../failover/hedge-plan.js';
import { ChainStream, type StreamLevelRules } from './chain-stream.js';
import { isContentChunk } from './content.js';
import type { Resume } from './resume-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any function may head a chain
type AnyFunction = (...args: any[]) => any;

/** What a stream level's `call` may return: an `AsyncIterable` of chunks, or a promise of one. */
export type StreamResult<C> = AsyncIterable<C> | PromiseLike<AsyncIterable<C>>;

/** The arguments of a stream chain whose first `call` is `F`: its parameters, signal left off. */
export type StreamArgs<F extends AnyFunction> =
  Parameters<F> extends [...infer A, AbortSignal] ? A : Parameters<F>;

/** The chunks of a stream chain whose first `call` is `F`. */
export type StreamChunk<F extends AnyFunction> =
  Awaited<ReturnType<F>> extends AsyncIterable<infer C> ? C : never;

/**
 * A guarded level of a {@link failoverStream} chain: `call` gets the chain's arguments followed by
 * the stream's own `AbortSignal`, and returns the provider's stream.
 */
export interface StreamProviderLevel<A extends unknown[], C> {
  /** The breaker's name in the registry; also the level's name in attempts and errors. */
  readonly name: string;
  call(...args: [...A, AbortSignal]): StreamResult<C>;
  /** Options of the level's breaker (`firstChunkTimeout`, `idleTimeout`, ...). */
  readonly options?: BreakerOptions | undefined;
  /** Which chunks carry content. Default {@link isContentChunk}. */
  readonly isContent?: ((chunk: C) => boolean) | undefined;
  /** How to go on at the next level when this one is cut after content. Default: end the stream. */
  readonly resume?: Resume<A, C> | undefined;
  /** Never set: keeps a function from passing for a provider level. */
  readonly apply?: never | undefined;
}

/** An unguarded level (a last resort): given the arguments and the last error, returns a stream. */
export type StreamLastResort<A extends unknown[], C> = (
  ...args: [...A, unknown]
) => AsyncIterable<C> | Iterable<C> | PromiseLike<AsyncIterable<C> | Iterable<C>>;

/** Any level of a stream chain taking `A` and yielding `C`. */
export type StreamLevel<A extends unknown[], C> =
  StreamProviderLevel<A, C> | StreamLastResort<A, C>;

/** Options of {@link failoverStream}: as {@link failover}'s, and `hedge`. */
export interface FailoverStreamOptions extends FailoverOptions {
  /**
   * Start the next level beside one that has sent no content for `hedge.delay` ms; the first
   * content chunk wins, the others are aborted and recorded `cancelled`. Default: no hedging.
   */
  readonly hedge?: HedgeOptions | undefined;
}

const EXTRA_KEYS = ['isContent', 'resume'];
const STREAM_OPTIONS: ReadonlySet<string> = new Set(['registry', 'append', 'hedge']);

/**
 * {@link failover} for streams. `levels` are as there, plus, on a provider level, `isContent` (the
 * content detector, default {@link isContentChunk}) and `resume`. It returns a function that
 * returns an `AsyncIterable` at once; iterating it runs the chain:
 *
 * - before a level's first content chunk, a refusal, failure or timeout moves to the next level
 *   and the consumer sees nothing of it; the level's chunks without content (role-only deltas,
 *   `message_start`, `ping`, `response.created`, ...) are held and delivered unchanged with the
 *   first content chunk;
 * - after content, a failure ends the stream with {@link StreamInterruptedError}, unless the
 *   level's `resume` gives the next level's arguments (see {@link resumeOpenAiChat});
 * - a caller's error (a 400) is thrown as it is; a consumer that stops early aborts the level
 *   streaming, which is recorded `cancelled`;
 * - `withOutcome` around code consuming the stream tells who served it (the level that finished)
 *   and every attempt, `interrupted` for a level cut after content;
 * - with `hedge`, the next level starts beside one that has sent no content for `hedge.delay` ms,
 *   and the first content chunk wins (the others are aborted and recorded `cancelled`).
 *
 * @example
 * const chat = failoverStream([
 *   { name: 'openai', call: (body: Body, signal: AbortSignal) => openai.chat.completions.create({ ...body, stream: true }, { signal }), options: { firstChunkTimeout: 5_000, idleTimeout: 10_000 } },
 *   { name: 'azure', call: (body: Body, signal: AbortSignal) => azure.chat.completions.create({ ...body, stream: true }, { signal }) },
 * ]);
 * for await (const chunk of chat(body)) process.stdout.write(chunk.choices[0]?.delta.content ?? '');
 */
export function failoverStream<F extends AnyFunction>(
  levels: readonly [
    {
      readonly name: string;
      call: F;
      readonly options?: BreakerOptions | undefined;
      readonly isContent?: ((chunk: StreamChunk<F>) => boolean) | undefined;
      readonly resume?: Resume<StreamArgs<F>, StreamChunk<F>> | undefined;
    },
    ...NoInfer<StreamLevel<StreamArgs<F>, StreamChunk<F>>>[],
  ],
  options?: FailoverStreamOptions,
): (...args: StreamArgs<F>) => AsyncIterable<StreamChunk<F>> {
  // Own keys only, read once (an inherited `append` is ignored); `hedge` is the streams' own.
  const { hedge: given, ...chainOptions } = ownOptions(options, 'failoverStream', STREAM_OPTIONS);
  const hedge = given === undefined ? null : new HedgePlan(resolveHedge(given));
  const registry = registryOption(chainOptions as FailoverOptions, 'failoverStream');
  if (!Array.isArray(levels) || levels.length === 0) {
    throw new TypeError(`failoverStream levels must be a non-empty array, got ${show(levels)}`);
  }
  // Everything is checked before any breaker is made: a bad chain leaves the registry as it was.
  const append = chainOptions['append'] !== false;
  const chain = levels.map((level: unknown, index) =>
    toLevel(level, index, append, EXTRA_KEYS, 'failoverStream'),
  );
  const rules = levels.map((level: unknown, index) => rulesOf(level, index));
  const seen = new Set<string>();
  for (const level of chain) {
    if (level.guard === null) continue;
    if (seen.has(level.name))
      throw new TypeError(`failoverStream: breaker "${level.name}" appears twice in the chain`);
    seen.add(level.name);
  }
  for (const level of chain) {
    if (level.guard !== null) registry.get(level.name, level.guard.options);
  }
  const label = `failoverStream(${chain.map((l) => l.name).join(', ')})`;
  const run = (...args: unknown[]) =>
    new ChainStream(
      chain,
      rules,
      registry,
      undefined,
      args,
      outcomeStorage.getStore(),
      label,
      hedge,
    );
  Object.defineProperty(run, 'name', { value: label });
  return run as unknown as (...args: StreamArgs<F>) => AsyncIterable<StreamChunk<F>>;
}

const DEFAULT_RULES: StreamLevelRules<unknown> = Object.freeze({
  isContent: isContentChunk,
  resume: undefined,
});

function rulesOf(level: unknown, index: number): StreamLevelRules<unknown> {
  if (typeof level === 'function') return DEFAULT_RULES;
  // Own keys only: an inherited `resume` is ignored, as toLevel ignores an inherited `options`.
  const own = level as Record<string, unknown>;
  const read = (key: string): unknown => (Object.hasOwn(own, key) ? own[key] : undefined);
  const name = read('name') as string;
  const isContent = read('isContent');
  const resume = read('resume');
  const where = `failoverStream level ${index} ("${name}")`;
  if (isContent !== undefined && typeof isContent !== 'function')
    throw new TypeError(`${where}: isContent must be a function, got ${show(isContent)}`);
  if (resume !== undefined && typeof resume !== 'function')
    throw new TypeError(`${where}: resume must be a function, got ${show(resume)}`);
  if (isContent === undefined && resume === undefined) return DEFAULT_RULES;
  return {
    isContent: (isContent as ((chunk: unknown) => boolean) | undefined) ?? isContentChunk,
    resume: resume as Resume<unknown[], unknown> | undefined,
  };
}
