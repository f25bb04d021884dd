import type Anthropic from '@anthropic-ai/sdk';
import type { GenerateContentResponse } from '@google/genai';
import type OpenAI from 'openai';
import type { ChatAnswer } from './chat-answer.js';

/**
 * One chunk of a streamed answer as the gateway sends it: an OpenAI `chat.completion.chunk`,
 * whichever provider wrote it, plus `served_by`, the tier that wrote this chunk. Because it has
 * OpenAI's shape, breakwater's content detector, text reader and resume helpers know it as it is.
 */
export interface GatewayChunk {
  readonly id: string;
  readonly object: 'chat.completion.chunk';
  readonly created: number;
  readonly model: string;
  readonly choices: readonly {
    readonly index: number;
    readonly delta: { readonly role?: 'assistant'; readonly content?: string | null };
    readonly logprobs: null;
    readonly finish_reason: string | null;
  }[];
  readonly usage?: unknown;
  /** The tier that wrote the chunk: `openai`, `anthropic`, `google`, `cache` or `degraded`. */
  readonly served_by: string;
}

let sequence = 0;

/** Makes the chunks of one answer: the same id and creation time on each, as OpenAI sends them. */
export function chunkMaker(tier: string, model: string) {
  const id = `chatcmpl-${tier}-${Date.now().toString(36)}-${++sequence}`;
  const created = Math.floor(Date.now() / 1000);
  return (
    delta: GatewayChunk['choices'][number]['delta'],
    finish: string | null,
  ): GatewayChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    served_by: tier,
  });
}

/** OpenAI's chunks, passed through as they arrive, each tagged with its tier. */
export async function* fromOpenAI(
  stream: AsyncIterable<OpenAI.ChatCompletionChunk>,
  tier = 'openai',
): AsyncGenerator<GatewayChunk> {
  for await (const chunk of stream)
    yield { ...(chunk as unknown as GatewayChunk), served_by: tier };
}

/**
 * Anthropic's message events as chat chunks, one for one where they mean something to an
 * OpenAI client: `message_start` is the role chunk, a text delta a content chunk, the
 * `message_delta` that carries the stop reason the finishing chunk. `ping`, block starts and
 * stops have no counterpart and are skipped.
 */
export async function* fromAnthropic(
  stream: AsyncIterable<Anthropic.RawMessageStreamEvent>,
  tier = 'anthropic',
): AsyncGenerator<GatewayChunk> {
  let make: ReturnType<typeof chunkMaker> | null = null;
  for await (const event of stream) {
    switch (event.type) {
      case 'message_start':
        make = chunkMaker(tier, event.message.model);
        yield make({ role: 'assistant', content: '' }, null);
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta' && make !== null)
          yield make({ content: event.delta.text }, null);
        break;
      case 'message_delta':
        if (event.delta.stop_reason !== null && make !== null)
          yield make({}, event.delta.stop_reason === 'max_tokens' ? 'length' : 'stop');
        break;
    }
  }
}

/**
 * Google GenAI's chunks as chat chunks: each chunk's text a content chunk, and a finishing chunk
 * when a candidate says why it stopped. Gemini sends no opening event: its first chunk has text.
 */
export async function* fromGoogle(
  stream: AsyncIterable<GenerateContentResponse>,
  model: string,
  tier = 'google',
): AsyncGenerator<GatewayChunk> {
  const make = chunkMaker(tier, model);
  for await (const chunk of stream) {
    const text = chunk.text ?? '';
    if (text !== '') yield make({ content: text }, null);
    const finish = chunk.candidates?.[0]?.finishReason;
    if (finish !== undefined) yield make({}, finish === 'MAX_TOKENS' ? 'length' : 'stop');
  }
}

/** A whole answer (the cache's, the degraded message) as a stream: role and text, then finish. */
export async function* replay(tier: string, answer: ChatAnswer): AsyncGenerator<GatewayChunk> {
  const make = chunkMaker(tier, answer.model);
  yield make({ role: 'assistant', content: answer.text }, null);
  yield make({}, answer.finishReason);
}
