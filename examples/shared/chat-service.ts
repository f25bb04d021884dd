import { CircuitBreaker, Fallback } from '../../lib/index.js';
import type { AnswerCache } from './answer-cache.js';
import type { ChatAnswer, ChatProvider } from './chat-answer.js';
import type { ChatRequest } from './chat-request.js';

/** The tiers of the gateway, in priority order, as `servedBy` and `x-served-by` name them. */
export const TIERS = ['openai', 'anthropic', 'cache', 'degraded'] as const;

/** Which tier answered a call. */
export type Tier = (typeof TIERS)[number];

/**
 * The gateway's provider service: four tiers, one decorated method each. A call starts at
 * OpenAI (breaker `openai`); when that breaker refuses or OpenAI fails in a way that may fail
 * over, Anthropic answers (breaker `anthropic`); then the last good answer to the same
 * conversation (`cache`); then a fixed message (`degraded`). A caller's error (a 400) is
 * rethrown from the tier that saw it. Every good provider answer is remembered for the cache.
 *
 * The breakers' options come from the registry the instance is bound to (`bindRegistry`): the
 * gateway makes them there from its configuration before the first call. Wrap a call in
 * `withOutcome` to learn which tier served it.
 *
 * @example
 * const chat = bindRegistry(new ChatService(openai, anthropic, cache, 'Try again later'), registry);
 * const { value, servedBy } = await withOutcome(() => chat.complete(request, signal));
 */
export class ChatService {
  constructor(
    private readonly openai: ChatProvider,
    private readonly anthropic: ChatProvider,
    private readonly answers: AnswerCache,
    private readonly degradedMessage: string,
  ) {}

  /**
   * Answers a chat: OpenAI first, then the fallbacks below. `signal` (the caller's) cancels the
   * provider request. It is a required parameter on purpose: a fallback gets the call's
   * arguments followed by the error, so an optional argument left out would put the error in
   * its place.
   */
  @CircuitBreaker('openai')
  @Fallback('completeWithAnthropic')
  async complete(request: ChatRequest, signal: AbortSignal | undefined): Promise<ChatAnswer> {
    return this.keep(request, await this.openai.complete(request, signal));
  }

  /** The second tier: Anthropic. */
  @CircuitBreaker('anthropic')
  @Fallback('cache')
  async completeWithAnthropic(
    request: ChatRequest,
    signal: AbortSignal | undefined,
  ): Promise<ChatAnswer> {
    return this.keep(request, await this.anthropic.complete(request, signal));
  }

  /** The third tier: the last good answer to the same conversation, if there is one. */
  @Fallback('degraded')
  async cache(request: ChatRequest): Promise<ChatAnswer> {
    return this.answers.recall(request);
  }

  /** The last tier: never fails. */
  async degraded(_request: ChatRequest): Promise<ChatAnswer> {
    return { text: this.degradedMessage, model: 'degraded', finishReason: 'stop', usage: null };
  }

  private keep(request: ChatRequest, answer: ChatAnswer): ChatAnswer {
    this.answers.remember(request, answer);
    return answer;
  }
}
