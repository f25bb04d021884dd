/**
 * In-memory providers for stream specs: async generators that follow a script of chunks, waits,
 * stalls and errors, and record what the engine did to them (how far they were read, whether
 * their signal aborted, whether they were closed).
 */

/** One step of a scripted stream. */
export type Step<C> =
  | { readonly chunk: C }
  | { readonly wait: number }
  | { readonly fail: unknown }
  /** Never sends another chunk, until its signal aborts. */
  | { readonly stall: true };

/** A scripted provider and what happened to it. */
export class ScriptedProvider<C> {
  /** Chunks handed out (pulled by the engine). */
  pulled = 0;
  /** Times the stream was opened. */
  opened = 0;
  /** Whether the generator's `finally` ran: the engine closed it, or it ended. */
  closed = false;
  signal: AbortSignal | undefined = undefined;

  constructor(private readonly script: readonly Step<C>[]) {}

  /** The provider's call: what a guarded `fn` or a level's `call` returns. */
  readonly open = (signal?: AbortSignal): AsyncGenerator<C> => {
    this.opened++;
    this.signal = signal;
    return this.run(signal);
  };

  private async *run(signal: AbortSignal | undefined): AsyncGenerator<C> {
    try {
      for (const step of this.script) {
        if ('chunk' in step) {
          this.pulled++;
          yield step.chunk;
        } else if ('wait' in step) {
          await sleep(step.wait, signal);
        } else if ('fail' in step) {
          throw step.fail;
        } else {
          await sleep(Number.POSITIVE_INFINITY, signal);
        }
      }
    } finally {
      this.closed = true;
    }
  }
}

/** Resolves after `ms` (fake timers drive it), or rejects with the signal's reason when it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = ms === Number.POSITIVE_INFINITY ? undefined : setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export const chunk = <C>(value: C): Step<C> => ({ chunk: value });
export const wait = (ms: number): Step<never> => ({ wait: ms });
export const fail = (error: unknown): Step<never> => ({ fail: error });
export const stall: Step<never> = { stall: true };

/** An OpenAI chat completion chunk with a delta. */
export function openAiChunk(delta: Record<string, unknown>, finish: string | null = null) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk' as const,
    created: 0,
    model: 'gpt-test',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}
export type OpenAiChunk = ReturnType<typeof openAiChunk>;

/** The OpenAI chunks of an answer: a role-only delta, one chunk per piece, a finish chunk. */
export function openAiAnswer(...pieces: string[]): Step<OpenAiChunk>[] {
  return [
    chunk(openAiChunk({ role: 'assistant', content: '' })),
    ...pieces.map((piece) => chunk(openAiChunk({ content: piece }))),
    chunk(openAiChunk({}, 'stop')),
  ];
}

/** The text of OpenAI chunks. */
export function textOf(chunks: readonly OpenAiChunk[]): string {
  return chunks.map((c) => (c.choices[0]?.delta as { content?: string }).content ?? '').join('');
}

/** An error a provider answered with `status`. */
export function httpError(status: number): Error {
  return Object.assign(new Error(`HTTP ${status}`), { status });
}

/** Reads a stream to its end, or to its error; what it got and how it ended. */
export async function drain<C>(
  stream: AsyncIterable<C>,
): Promise<{ chunks: C[]; error: unknown; ended: boolean }> {
  const chunks: C[] = [];
  try {
    for await (const c of stream) chunks.push(c);
    return { chunks, error: undefined, ended: true };
  } catch (error) {
    return { chunks, error, ended: false };
  }
}
