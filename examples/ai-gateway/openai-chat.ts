import type OpenAI from 'openai';
import type { ChatAnswer, ChatProvider } from './chat-answer.js';
import type { ChatRequest } from './chat-request.js';
import { fromOpenAI, type GatewayChunk } from './stream-chunks.js';

/**
 * The OpenAI tier: a chat completion through the official `openai` client, which should be made
 * with `maxRetries: 0` (the breaker and the chain do the failing over, not the SDK).
 */
export class OpenAiChat implements ChatProvider {
  constructor(
    private readonly client: OpenAI,
    readonly model: string,
    /** The SDK's own per-request timeout in ms: a backstop behind the breaker's `timeout`. */
    private readonly timeoutMs: number,
  ) {}

  async complete(request: ChatRequest, signal?: AbortSignal): Promise<ChatAnswer> {
    const completion = await this.client.chat.completions.create(this.body(request), {
      signal,
      timeout: this.timeoutMs,
    });
    const choice = completion.choices[0];
    return {
      text: choice?.message.content ?? '',
      model: completion.model,
      finishReason: choice?.finish_reason === 'length' ? 'length' : 'stop',
      usage:
        completion.usage === undefined
          ? null
          : {
              promptTokens: completion.usage.prompt_tokens,
              completionTokens: completion.usage.completion_tokens,
            },
    };
  }

  /** The same chat as a stream: OpenAI's chunks as they arrive (the SDK's timeout covers the wait for headers). */
  async stream(request: ChatRequest, signal: AbortSignal): Promise<AsyncIterable<GatewayChunk>> {
    const stream = await this.client.chat.completions.create(
      { ...this.body(request), stream: true, stream_options: { include_usage: true } },
      { signal, timeout: this.timeoutMs },
    );
    return fromOpenAI(stream);
  }

  private body(request: ChatRequest) {
    return {
      model: this.model,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      ...(request.maxTokens === undefined ? {} : { max_completion_tokens: request.maxTokens }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    };
  }
}
