/**
 * The cost per chunk of a guarded stream beside iterating the same stream directly, over
 * streams of 1,000 chunks: an in-memory async generator (the bare floor: nothing but promise
 * turns) and the official `openai` SDK's `Stream` decoding an SSE body held in memory (what a
 * guarded GenAI call iterates, minus the network). opossum and cockatiel have no stream guard to
 * set beside these.
 */
import { Stream } from 'openai/streaming';
import { Breaker, BreakerRegistry, failoverStream } from '../lib/index.js';
import { fmt, measure, table, type Contender } from './harness.js';

const CHUNKS = 1_000;

async function* generator(): AsyncGenerator<{ i: number }> {
  for (let i = 0; i < CHUNKS; i++) yield { i };
}

/** An SSE body of CHUNKS OpenAI chat completion chunks, encoded once. */
const sse = new TextEncoder().encode(
  Array.from(
    { length: CHUNKS },
    (_, i) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: `t${i}` }, finish_reason: null }] })}\n\n`,
  ).join('') + 'data: [DONE]\n\n',
);

function sdkStream(signal?: AbortSignal): Stream<unknown> {
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return Stream.fromSSEResponse(new Response(sse), controller);
}

/** A contender iterating `n` streams made by `open`, each to its end. */
function streams(name: string, open: () => AsyncIterable<unknown>): Contender {
  return {
    name,
    async run(n) {
      let chunks = 0;
      for (let i = 0; i < n; i++) {
        for await (const _ of open()) chunks++;
      }
      if (chunks !== n * CHUNKS)
        throw new Error(`${name}: ${chunks} chunks, expected ${n * CHUNKS}`);
      return n;
    },
  };
}

export async function benchStreams(quick: boolean, log: (line: string) => void): Promise<void> {
  const n = quick ? 20 : 100;
  const rounds = quick ? 3 : 7;
  const breaker = new Breaker({ name: 'bench-stream', idleTimeout: 30_000 });
  const registry = new BreakerRegistry();
  const chain = failoverStream(
    [
      { name: 'primary', call: (signal: AbortSignal) => sdkStream(signal) },
      { name: 'backup', call: (signal: AbortSignal) => sdkStream(signal) },
    ],
    { registry },
  );
  const generators = await measure(
    [
      streams('direct', generator),
      streams('breaker.stream', () => breaker.stream(() => generator())),
    ],
    n,
    rounds,
  );
  const sdk = await measure(
    [
      streams('direct', () => sdkStream()),
      streams('breaker.stream', () => breaker.stream((signal) => sdkStream(signal))),
      streams('failoverStream', () => chain()),
    ],
    n,
    rounds,
  );
  const perChunk = (ns: number) => fmt(ns / CHUNKS, 1);
  const rows = [['stream of 1,000 chunks', 'ns/chunk', 'x direct']];
  for (const [title, result] of [
    ['async generator', generators],
    ['openai SDK Stream (SSE in memory)', sdk],
  ] as const) {
    const direct = result.get('direct')!;
    for (const [name, ns] of result)
      rows.push([`${title}: ${name}`, perChunk(ns), fmt(ns / direct, 2)]);
  }
  log(`## streams (${n} streams x ${rounds} rounds, medians; a busy shared machine: rough)\n`);
  log(table(rows));
  const ratio = sdk.get('breaker.stream')! / sdk.get('direct')!;
  log(
    `\nbreaker.stream over the SDK stream: ${fmt(ratio, 2)}x direct, target <= 1.10x: ${ratio <= 1.1 ? 'met' : 'MISSED'}\n`,
  );
}
