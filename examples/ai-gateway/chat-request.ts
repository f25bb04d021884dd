/** One message of a chat, its content reduced to text. */
export interface ChatMessage {
  readonly role: 'system' | 'developer' | 'user' | 'assistant';
  readonly content: string;
}

/** What the gateway reads from an OpenAI chat-completions request body. */
export interface ChatRequest {
  /** The model the caller named; the tiers answer with their own configured models. */
  readonly model: string | undefined;
  readonly messages: readonly ChatMessage[];
  /** Whether the caller asked for server-sent events (`stream: true`). */
  readonly stream: boolean;
  /** `max_completion_tokens` or `max_tokens`, when given. */
  readonly maxTokens: number | undefined;
  readonly temperature: number | undefined;
}

/**
 * A request the gateway will not forward: answered 400 (or `status`) with an OpenAI-shaped
 * `invalid_request_error` naming `param`.
 */
export class ChatRequestError extends Error {
  override readonly name = 'ChatRequestError';

  constructor(
    message: string,
    readonly param: string | null,
    readonly status = 400,
  ) {
    super(message);
  }
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant']);

/**
 * Checks a parsed JSON body as an OpenAI chat-completions request and keeps what the tiers need:
 * text messages (a string, or an array of `{ type: 'text', text }` parts), `stream`,
 * `max_tokens`/`max_completion_tokens` and `temperature`. Throws {@link ChatRequestError}.
 */
export function parseChatRequest(body: unknown): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ChatRequestError('The request body must be a JSON object.', null);
  }
  const b = body as Record<string, unknown>;
  const model = b['model'];
  if (model !== undefined && typeof model !== 'string') {
    throw new ChatRequestError('model must be a string.', 'model');
  }
  const messages = b['messages'];
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new ChatRequestError('messages must be a non-empty array.', 'messages');
  }
  const stream = b['stream'] ?? false;
  if (typeof stream !== 'boolean')
    throw new ChatRequestError('stream must be a boolean.', 'stream');
  const maxTokens = b['max_completion_tokens'] ?? b['max_tokens'];
  if (
    maxTokens !== undefined &&
    maxTokens !== null &&
    (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)
  ) {
    throw new ChatRequestError('max_tokens must be a positive integer.', 'max_tokens');
  }
  const temperature = b['temperature'];
  if (
    temperature !== undefined &&
    temperature !== null &&
    (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 2))
  ) {
    throw new ChatRequestError('temperature must be a number from 0 to 2.', 'temperature');
  }
  return {
    model,
    messages: messages.map(parseMessage),
    stream,
    maxTokens: maxTokens ?? undefined,
    temperature: temperature ?? undefined,
  };
}

function parseMessage(message: unknown, index: number): ChatMessage {
  const where = `messages[${index}]`;
  if (typeof message !== 'object' || message === null) {
    throw new ChatRequestError(`${where} must be an object.`, where);
  }
  const { role, content } = message as { role?: unknown; content?: unknown };
  if (typeof role !== 'string' || !ROLES.has(role)) {
    throw new ChatRequestError(
      `${where}.role must be one of ${[...ROLES].join(', ')}; got ${JSON.stringify(role)}.`,
      `${where}.role`,
    );
  }
  return { role: role as ChatMessage['role'], content: textOf(content, `${where}.content`) };
}

function textOf(content: unknown, where: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown, i) => {
        const { type, text } = (part ?? {}) as { type?: unknown; text?: unknown };
        if (type !== 'text' || typeof text !== 'string') {
          throw new ChatRequestError(
            `${where}[${i}] must be a text part ({ type: 'text', text }); this gateway forwards text only.`,
            `${where}[${i}]`,
          );
        }
        return text;
      })
      .join('');
  }
  throw new ChatRequestError(`${where} must be a string or an array of text parts.`, where);
}

/** The key the cache tier files an answer under: the whole conversation, roles included. */
export function promptKey(request: ChatRequest): string {
  return JSON.stringify(request.messages.map((m) => [m.role, m.content]));
}
