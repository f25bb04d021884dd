import type { Content, GoogleGenAI } from '@google/genai';
import type { ChatRequest } from './chat-request.js';
import { fromGoogle, type GatewayChunk } from './stream-chunks.js';

/**
 * The Google tier: the chat as a Gemini `generateContentStream` through the official
 * `@google/genai` client. System and developer messages become the `systemInstruction`;
 * assistant turns are Gemini's `model` turns. No SDK timeout: `@google/genai` applies its
 * `timeout` to the whole body, which would cut long answers; the breaker's first-chunk and idle
 * deadlines guard the stream instead.
 */
export class GoogleChat {
  constructor(
    private readonly client: GoogleGenAI,
    readonly model: string,
  ) {}

  async stream(request: ChatRequest, signal: AbortSignal): Promise<AsyncIterable<GatewayChunk>> {
    const system = request.messages
      .filter((m) => m.role === 'system' || m.role === 'developer')
      .map((m) => m.content)
      .join('\n\n');
    const contents: Content[] = request.messages
      .filter((m) => m.role === 'user' || m.role === 'assistant')
      .map((m) => ({ role: m.role === 'user' ? 'user' : 'model', parts: [{ text: m.content }] }));
    const stream = await this.client.models.generateContentStream({
      model: this.model,
      contents,
      config: {
        abortSignal: signal,
        ...(system === '' ? {} : { systemInstruction: system }),
        ...(request.maxTokens === undefined ? {} : { maxOutputTokens: request.maxTokens }),
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      },
    });
    return fromGoogle(stream, this.model);
  }
}
