import { outcomeStorage } from '../failover/outcome-record.js';
import { defaultRegistry } from '../registry/default-registry.js';
import { ChainStream, type StreamLevelRules } from '../streams/chain-stream.js';
import { isContentChunk } from '../streams/content.js';
import { boundRegistry } from './bound-registry.js';
import { callChain, ChainFailure } from './method-chain.js';
import type { MethodMeta } from './method-meta.js';

const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor as object;

/** Whether `fn` was written `async *`: its calls are streams. @internal */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function isAsyncGeneratorFunction(fn: Function): boolean {
  return fn instanceof (AsyncGeneratorFunction as typeof Function);
}

const RULES: StreamLevelRules<unknown> = Object.freeze({
  isContent: isContentChunk,
  resume: undefined,
});

/**
 * One call of a decorated `async *` method on `self`: its chain as a stream, guarded as
 * `failoverStream` guards one (failover before the first content chunk, held preamble,
 * `StreamInterruptedError` after content), with the default content detector at every level.
 * Like the generator it replaces, it runs nothing until it is iterated, and reports a bad `this`
 * or a broken chain from the first `next()`.
 * @internal
 */
export function streamDecorated(
  meta: MethodMeta,
  self: unknown,
  args: unknown[],
): AsyncIterableIterator<unknown> {
  const label = `method "${String(meta.method)}"`;
  const chain = callChain(meta, self);
  if (chain instanceof ChainFailure) return failing(chain.error);
  const rules = chain.map(() => RULES);
  const registry = boundRegistry(self as object) ?? defaultRegistry;
  return new ChainStream(chain, rules, registry, self, args, outcomeStorage.getStore(), label);
}

/** A stream whose first `next()` rejects with `error`, as a generator's body would throw. */
async function* failing(error: unknown): AsyncGenerator<never> {
  throw error;
}
