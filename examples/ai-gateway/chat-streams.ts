import {
  failoverStream,
  resumeOpenAiChat,
  type BreakerRegistry,
  type Resume,
} from '../../lib/index.js';
import type { AnswerCache } from './answer-cache.js';
import type { ChatRequest } from './chat-request.js';
import { replay, type GatewayChunk } from './stream-chunks.js';

/** The tiers of a streamed answer, in priority order, as `served_by` names them. */
export const STREAM_TIERS = ['openai', 'anthropic', 'google', 'cache', 'degraded'] as const;

/** A provider tier that streams: its chunks already in the gateway's (OpenAI's) shape. */
export interface StreamingChatProvider {
  readonly model: string;
  stream(request: ChatRequest, signal: AbortSignal): Promise<AsyncIterable<GatewayChunk>>;
}

/** What {@link ChatStreams} is made of. */
export interface ChatStreamTiers {
  readonly openai: StreamingChatProvider;
  readonly anthropic: StreamingChatProvider;
  readonly google: StreamingChatProvider;
  readonly cache: AnswerCache;
  readonly degradedMessage: string;
  /** The registry holding the `openai`, `anthropic` and `google` breakers. */
  readonly registry: BreakerRegistry;
  /** Go on at the next provider when one is cut mid-answer (`STREAM_RESUME=1`). */
  readonly resume: boolean;
}

/**
 * The gateway's streaming chain, made once with `failoverStream`: OpenAI, then Anthropic, then
 * Google, each behind its breaker; then the cache and the degraded message. Before a provider's
 * first content chunk, its failure (a refusal, an error status, a stall past the breaker's
 * deadline, an in-band error) moves on to the next tier and the client sees nothing of it; the
 * role chunk is held until content. After content, a failure ends the stream, unless `resume`
 * is on: the next provider is asked to continue the partial answer (the partial text and a
 * "continue" turn appended, what it repeats of the end cut off).
 *
 * @example
 * const streams = new ChatStreams({ openai, anthropic, google, cache, degradedMessage, registry, resume: false });
 * for await (const chunk of streams.open(request)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
 */
export class ChatStreams {
  private readonly chain: (request: ChatRequest) => AsyncIterable<GatewayChunk>;

  constructor(tiers: ChatStreamTiers) {
    // Resuming continues at a provider; the google tier has none after it, so it does not resume.
    const resume: { resume?: Resume<[ChatRequest], GatewayChunk> } = tiers.resume
      ? { resume: resumeOpenAiChat() }
      : {};
    this.chain = failoverStream(
      [
        {
          name: 'openai',
          call: (request: ChatRequest, signal: AbortSignal) => tiers.openai.stream(request, signal),
          ...resume,
        },
        {
          name: 'anthropic',
          call: (request: ChatRequest, signal: AbortSignal) =>
            tiers.anthropic.stream(request, signal),
          ...resume,
        },
        {
          name: 'google',
          call: (request: ChatRequest, signal: AbortSignal) => tiers.google.stream(request, signal),
        },
        function cache(request: ChatRequest) {
          return replay('cache', tiers.cache.recall(request));
        },
        function degraded(_request: ChatRequest) {
          return replay('degraded', {
            text: tiers.degradedMessage,
            model: 'degraded',
            finishReason: 'stop',
            usage: null,
          });
        },
      ],
      { registry: tiers.registry },
    );
  }

  /** One streamed answer: runs the chain as it is iterated; `return()` cancels the provider call. */
  open(request: ChatRequest): AsyncIterable<GatewayChunk> {
    return this.chain(request);
  }
}
