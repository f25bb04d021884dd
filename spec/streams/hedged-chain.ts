import { BreakerRegistry, failoverStream } from '../../lib/index.js';
import { ScriptedProvider, type OpenAiChunk, type Step } from './fixtures.js';

/** A hedged stream chain of scripted providers p1, p2, ... and every `hedge` event it emits. */
export function hedged(scripts: Step<OpenAiChunk>[][], hedge: object) {
  const registry = new BreakerRegistry();
  const events: string[] = [];
  registry.on('hedge', ({ breaker, kind }) => events.push(`${breaker} ${kind}`));
  const providers = scripts.map((s) => new ScriptedProvider(s));
  const levels = providers.map((provider, i) => ({
    name: `p${i + 1}`,
    call: (signal: AbortSignal) => provider.open(signal),
  }));
  const chat = failoverStream(levels as [(typeof levels)[0], ...typeof levels], {
    registry,
    hedge: hedge as never,
  });
  const hedges = (name: string) => registry.get(name).snapshot().hedges;
  return { chat, registry, providers, events, hedges };
}
