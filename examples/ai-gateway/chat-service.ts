import { CircuitBreaker, Fallback, callContext } from '../../lib/index.js';
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
 * const { value, servedBy } = await withOutcome(() => chat.complete(request, clientSignal));
 */
export class ChatService {
  constructor(
    private readonly openai: ChatProvider,
    private readonly anthropic: ChatProvider,
    private readonly answers: AnswerCache,
    private readonly degradedMessage: string,
  ) {}

  /**
   * Answers a chat: OpenAI first, then the fallbacks below. `signal`, the caller's (the client's
   * connection), is optional: the chain sees it as the last argument and cancels the call when it
   * aborts, without trying the next tier. The provider request gets `callContext().signal`, which
   * also aborts at the breaker's timeout and at shutdown. Since `signal` may be left out, the
   * fallbacks are named with `{ append: false }`: they get the arguments as the caller passed them.
   */
  @CircuitBreaker('openai')
  @Fallback('completeWithAnthropic', { append: false })
  async complete(request: ChatRequest, signal?: AbortSignal): Promise<ChatAnswer> {
    void signal;
    const { signal: guarded } = callContext();
    return this.keep(request, await this.openai.complete(request, guarded));
  }

  /** The second tier: Anthropic. */
  @CircuitBreaker('anthropic')
  @Fallback('cache', { append: false })
  async completeWithAnthropic(request: ChatRequest, signal?: AbortSignal): Promise<ChatAnswer> {
    void signal;
    const { signal: guarded } = callContext();
    return this.keep(request, await this.anthropic.complete(request, guarded));
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
