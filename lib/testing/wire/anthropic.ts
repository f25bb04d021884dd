import {
  bearerToken,
  countTokens,
  lastUserText,
  sseFrame,
  type ChatRequest,
  type ProviderWire,
  type StreamFrames,
} from './provider-wire.js';

/** Anthropic's error `type` and message per status, as its API sends them. */
function defaults(status: number, model: string | undefined): { type: string; message: string } {
  switch (status) {
    case 400:
      return { type: 'invalid_request_error', message: 'Invalid request.' };
    case 401:
      return { type: 'authentication_error', message: 'invalid x-api-key' };
    case 402:
      return { type: 'billing_error', message: 'Your credit balance is too low.' };
    case 403:
      return {
        type: 'permission_error',
        message: 'Your API key does not have permission to use the specified resource.',
      };
    case 404:
      return { type: 'not_found_error', message: `model: ${model ?? 'unknown'}` };
    case 413:
      return {
        type: 'request_too_large',
        message: 'Request exceeds the maximum allowed number of bytes.',
      };
    case 429:
      return {
        type: 'rate_limit_error',
        message: 'Number of requests has exceeded your per-minute rate limit.',
      };
    case 504:
      return { type: 'timeout_error', message: 'Request timed out.' };
    case 529:
      return { type: 'overloaded_error', message: 'Overloaded' };
  }
  if (status >= 500) return { type: 'api_error', message: 'Internal server error' };
  return { type: 'invalid_request_error', message: `Invalid request (HTTP ${status}).` };
}

/** The Anthropic messages wire format (`POST /v1/messages`), with its real event sequence. */
export const anthropicWire: ProviderWire = {
  name: 'anthropic',
  path: '/v1/messages',
  idPrefix: 'msg_fake_',
  requestIdHeader: 'request-id',

  matches(path) {
    return path === this.path;
  },

  apiKeyOf(headers) {
    const key = headers['x-api-key'];
    if (typeof key === 'string') return key;
    return bearerToken(headers);
  },

  parse(body): ChatRequest | string {
    if (typeof body !== 'object' || body === null) return 'The request body must be a JSON object.';
    const b = body as {
      model?: unknown;
      messages?: unknown;
      stream?: unknown;
      max_tokens?: unknown;
    };
    if (typeof b.model !== 'string' || b.model === '') return 'model: Field required';
    if (typeof b.max_tokens !== 'number' || !Number.isInteger(b.max_tokens) || b.max_tokens < 1) {
      return 'max_tokens: Field required';
    }
    const prompt = lastUserText(b.messages);
    if (typeof prompt !== 'string') return prompt.problem;
    return {
      provider: 'anthropic',
      model: b.model,
      prompt,
      stream: b.stream === true,
      includeUsage: true,
    };
  },

  answer(request, text, id) {
    return {
      id,
      type: 'message',
      role: 'assistant',
      model: request.model,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: countTokens(request.prompt), output_tokens: countTokens(text) },
    };
  },

  stream(request, pieces, id): StreamFrames {
    const event = (type: string, data: object) => sseFrame({ type, ...data }, type);
    const message = {
      id,
      type: 'message',
      role: 'assistant',
      model: request.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: countTokens(request.prompt), output_tokens: 1 },
    };
    return {
      head: [
        event('message_start', { message }),
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        event('ping', {}),
      ],
      pieces: pieces.map((text) =>
        event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
      ),
      tail: [
        event('content_block_stop', { index: 0 }),
        event('message_delta', {
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: countTokens(pieces.join('')) },
        }),
        event('message_stop', {}),
      ],
    };
  },

  errorBody(status, fields, model, id) {
    const d = defaults(status, model);
    return {
      type: 'error',
      error: { type: fields.type ?? d.type, message: fields.message ?? d.message },
      request_id: id,
    };
  },

  streamError(fields, id) {
    const d = defaults(fields.status ?? 529, undefined);
    const body = {
      type: 'error',
      error: { type: fields.type ?? d.type, message: fields.message ?? d.message },
      request_id: id,
    };
    return sseFrame(body, 'error');
  },

  malformed(data) {
    return sseFrame(data, 'content_block_delta');
  },
};
