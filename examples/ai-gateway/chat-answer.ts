import type { ChatRequest } from './chat-request.js';

/** What a tier answers: the text, the model that wrote it, and token counts when known. */
export interface ChatAnswer {
  readonly text: string;
  /** The model that wrote the text (the degraded tier names itself). */
  readonly model: string;
  readonly finishReason: 'stop' | 'length';
  readonly usage: { readonly promptTokens: number; readonly completionTokens: number } | null;
}

/**
 * A provider tier: one official SDK client behind a small interface the chat service calls.
 * `signal` is the caller's: it aborts when the gateway's client goes away or the gateway shuts
 * down, and cancels the provider request.
 */
export interface ChatProvider {
  /** The model this tier asks for. */
  readonly model: string;
  complete(request: ChatRequest, signal?: AbortSignal): Promise<ChatAnswer>;
}
