import type Anthropic from '@anthropic-ai/sdk';
import type { ChatAnswer, ChatProvider } from './chat-answer.js';
import type { ChatRequest } from './chat-request.js';
import { fromAnthropic, type GatewayChunk } from './stream-chunks.js';

/**
 * The Anthropic tier: the same chat as an Anthropic message through the official
 * `@anthropic-ai/sdk` client (made with `maxRetries: 0`). System and developer messages become
 * the `system` prompt; the rest keep their order.
 */
export class AnthropicChat implements ChatProvider {
  constructor(
    private readonly client: Anthropic,
    readonly model: string,
    /** `max_tokens` when the caller gives none (Anthropic requires one). */
    private readonly maxTokens: number,
    /** The SDK's own per-request timeout in ms: a backstop behind the breaker's `timeout`. */
    private readonly timeoutMs: number,
  ) {}

  async complete(request: ChatRequest, signal?: AbortSignal): Promise<ChatAnswer> {
    const message = await this.client.messages.create(this.body(request), {
      signal,
      timeout: this.timeoutMs,
    });
    return {
      text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
      model: message.model,
      finishReason: message.stop_reason === 'max_tokens' ? 'length' : 'stop',
      usage: {
        promptTokens: message.usage.input_tokens,
        completionTokens: message.usage.output_tokens,
      },
    };
  }

  /** The same chat as a stream of chat chunks, converted event by event as they arrive. */
  async stream(request: ChatRequest, signal: AbortSignal): Promise<AsyncIterable<GatewayChunk>> {
    const stream = await this.client.messages.create(
      { ...this.body(request), stream: true },
      { signal, timeout: this.timeoutMs },
    );
    return fromAnthropic(stream);
  }

  private body(request: ChatRequest) {
    const system = request.messages
      .filter((m) => m.role === 'system' || m.role === 'developer')
      .map((m) => m.content)
      .join('\n\n');
    return {
      model: this.model,
      max_tokens: request.maxTokens ?? this.maxTokens,
      ...(system === '' ? {} : { system }),
      ...(request.temperature === undefined
        ? {}
        : { temperature: Math.min(request.temperature, 1) }),
      messages: request.messages
        .filter((m) => m.role === 'user' || m.role === 'assistant')
        .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
    };
  }
}
