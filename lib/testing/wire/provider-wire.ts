/** The providers a fake server speaks for. */
export type ProviderName = 'openai' | 'anthropic' | 'google';

/** The providers, in the order counters and state list them. */
export const PROVIDERS: readonly ProviderName[] = ['openai', 'anthropic', 'google'];

/** What the fake server needs to know of a chat request, whichever provider's shape it came in. */
export interface ChatRequest {
  readonly provider: ProviderName;
  readonly model: string;
  /** The text of the last user message: what the default answer echoes. */
  readonly prompt: string;
  readonly stream: boolean;
  /** OpenAI's `stream_options.include_usage`. */
  readonly includeUsage: boolean;
}

/** Overrides of an error body's fields. */
export interface ErrorFields {
  readonly message?: string | undefined;
  readonly type?: string | undefined;
  readonly code?: string | undefined;
  /** The HTTP status an in-band stream error stands for (picks the defaults). */
  readonly status?: number | undefined;
  /** How long the client should wait, in ms, when the answer says so (a 429's retry delay). */
  readonly retryAfterMs?: number | undefined;
}

/** The frames of one streamed answer: opening events, one frame per piece of text, closing events. */
export interface StreamFrames {
  readonly head: readonly string[];
  readonly pieces: readonly string[];
  readonly tail: readonly string[];
}

/** One provider's wire format: how its requests look and how it answers, streams and fails. */
export interface ProviderWire {
  readonly name: ProviderName;
  /** The path its chat endpoint answers on (Google: a pattern, `{model}` in it). */
  readonly path: string;
  /** Whether a request path is one of its chat endpoints. */
  matches(path: string): boolean;
  /** How its answer ids begin (`chatcmpl-fake-`, `msg_fake_`, ...): a sequence number follows. */
  readonly idPrefix: string;
  /** The response header carrying a request id. */
  readonly requestIdHeader: string;
  /** The API key a request carries, if any. */
  apiKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined;
  /**
   * Reads a parsed JSON body, and the path it came on (Google puts the model and streaming in
   * it); a string says what is wrong with the request (answered 400).
   */
  parse(body: unknown, path: string): ChatRequest | string;
  /** A complete (non-streaming) answer. */
  answer(request: ChatRequest, text: string, id: string): unknown;
  /** A streamed answer, as server-sent-event frames, the text cut into `pieces`. */
  stream(request: ChatRequest, pieces: readonly string[], id: string): StreamFrames;
  /** An error body in the provider's shape for an HTTP status. */
  errorBody(status: number, fields: ErrorFields, model: string | undefined, id: string): unknown;
  /** An in-band error event for a stream. */
  streamError(fields: ErrorFields, id: string): string;
  /** A content event whose data is `data`, not JSON: a malformed line. */
  malformed(data: string): string;
}

/** One server-sent event frame. */
export function sseFrame(data: unknown, event?: string): string {
  const json = typeof data === 'string' ? data : JSON.stringify(data);
  return event === undefined ? `data: ${json}\n\n` : `event: ${event}\ndata: ${json}\n\n`;
}

/** A deterministic token count: whitespace-separated words. */
export function countTokens(text: string): number {
  const words = text.trim().split(/\s+/);
  return words[0] === '' ? 0 : words.length;
}

/** The text of a message's `content`: a string, or the text parts of an array of parts. */
export function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  for (const part of content) {
    if (
      typeof part === 'object' &&
      part !== null &&
      typeof (part as { text?: unknown }).text === 'string'
    ) {
      texts.push((part as { text: string }).text);
    }
  }
  return texts.join('');
}

/** The text of the last message with role `user` in `messages`, or what is wrong with them. */
export function lastUserText(messages: unknown): string | { problem: string } {
  if (!Array.isArray(messages) || messages.length === 0) {
    return { problem: 'messages must be a non-empty array' };
  }
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: unknown; content?: unknown } | null;
    if (typeof message !== 'object' || message === null) {
      return { problem: `messages[${i}] must be an object` };
    }
    if (message.role !== 'user') continue;
    const text = textOf(message.content);
    if (text === undefined)
      return { problem: `messages[${i}].content must be a string or an array of parts` };
    return text;
  }
  return { problem: 'messages must contain a message with role "user"' };
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(headers: Record<string, unknown>): string | undefined {
  const auth = headers['authorization'];
  return typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
}
