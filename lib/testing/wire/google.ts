import {
  countTokens,
  sseFrame,
  textOf,
  type ChatRequest,
  type ErrorFields,
  type ProviderWire,
  type StreamFrames,
} from './provider-wire.js';

/**
 * `POST /{version}/models/{model}:generateContent` and `...:streamGenerateContent?alt=sse`, as the
 * `@google/genai` client calls them (Gemini API, `v1beta` by default).
 */
const ROUTE = /^\/(v1|v1beta|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

/** Google's canonical status name per HTTP status (`google.rpc.Code`). */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Google's usual message per status, as the Gemini API sends them. */
function messageOf(status: number, model: string | undefined): string {
  switch (status) {
    case 401:
      return 'API key not valid. Please pass a valid API key.';
    case 403:
      return 'The caller does not have permission';
    case 404:
      return `models/${model ?? 'unknown'} is not found for API version v1beta, or is not supported for generateContent.`;
    case 429:
      return 'You exceeded your current quota, please check your plan and billing details.';
    case 503:
      return 'The model is overloaded. Please try again later.';
    case 504:
      return 'Deadline expired before operation could complete.';
  }
  if (status >= 500) return 'An internal error has occurred. Please retry or report it.';
  return `Invalid request (HTTP ${status}).`;
}

/** Google's error body: `{ error: { code, message, status, details? } }`. */
function errorOf(status: number, fields: ErrorFields, model: string | undefined) {
  const error: Record<string, unknown> = {
    code: status,
    message: fields.message ?? messageOf(status, model),
    status: fields.type ?? STATUS_NAMES[status] ?? (status >= 500 ? 'INTERNAL' : 'UNKNOWN'),
  };
  if (fields.retryAfterMs !== undefined) {
    // Google says how long to wait in the body (the SDK's ApiError carries no headers).
    error['details'] = [
      {
        '@type': 'type.googleapis.com/google.rpc.RetryInfo',
        retryDelay: `${fields.retryAfterMs / 1000}s`,
      },
    ];
  }
  return { error };
}

/** The text of the last `user` turn of `contents` (a turn with no role is the user's). */
function lastUserText(contents: unknown): string | { problem: string } {
  if (!Array.isArray(contents) || contents.length === 0) {
    return { problem: '* GenerateContentRequest.contents: contents is not specified' };
  }
  for (let i = contents.length - 1; i >= 0; i--) {
    const turn = contents[i] as { role?: unknown; parts?: unknown } | null;
    if (typeof turn !== 'object' || turn === null) {
      return { problem: `* GenerateContentRequest.contents[${i}]: must be an object` };
    }
    if (turn.role !== undefined && turn.role !== 'user') continue;
    const text = textOf(turn.parts);
    if (text === undefined) {
      return { problem: `* GenerateContentRequest.contents[${i}].parts: must be an array` };
    }
    return text;
  }
  return { problem: '* GenerateContentRequest.contents: no turn with role "user"' };
}

/** The Google GenAI (Gemini API) wire format, as the official `@google/genai` client speaks it. */
export const googleWire: ProviderWire = {
  name: 'google',
  path: '/v1beta/models/{model}:generateContent',
  idPrefix: 'fake-response-',
  requestIdHeader: 'x-goog-request-id',

  matches(path) {
    return ROUTE.test(path);
  },

  apiKeyOf(headers) {
    const key = headers['x-goog-api-key'];
    return typeof key === 'string' ? key : undefined;
  },

  parse(body, path): ChatRequest | string {
    const route = ROUTE.exec(path);
    if (route === null) return `Unknown path ${path}`;
    if (typeof body !== 'object' || body === null) return 'The request body must be a JSON object.';
    const prompt = lastUserText((body as { contents?: unknown }).contents);
    if (typeof prompt !== 'string') return prompt.problem;
    return {
      provider: 'google',
      model: decodeURIComponent(route[2]!),
      prompt,
      stream: route[3] === 'streamGenerateContent',
      includeUsage: true,
    };
  },

  answer(request, text, id) {
    const promptTokens = countTokens(request.prompt);
    const candidatesTokens = countTokens(text);
    return {
      candidates: [
        { content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', index: 0 },
      ],
      usageMetadata: {
        promptTokenCount: promptTokens,
        candidatesTokenCount: candidatesTokens,
        totalTokenCount: promptTokens + candidatesTokens,
      },
      modelVersion: request.model,
      responseId: id,
    };
  },

  stream(request, pieces, id): StreamFrames {
    const promptTokens = countTokens(request.prompt);
    const chunk = (text: string, last: boolean) => {
      const candidate: Record<string, unknown> = {
        content: { parts: [{ text }], role: 'model' },
        index: 0,
      };
      const usage: Record<string, number> = {
        promptTokenCount: promptTokens,
        totalTokenCount: promptTokens,
      };
      if (last) {
        candidate['finishReason'] = 'STOP';
        const candidatesTokens = countTokens(pieces.join(''));
        usage['candidatesTokenCount'] = candidatesTokens;
        usage['totalTokenCount'] = promptTokens + candidatesTokens;
      }
      return sseFrame({
        candidates: [candidate],
        usageMetadata: usage,
        modelVersion: request.model,
        responseId: id,
      });
    };
    // Gemini has no opening events: its first chunk already carries text.
    return {
      head: [],
      pieces: pieces.map((piece) => chunk(piece, false)),
      tail: [chunk('', true)],
    };
  },

  errorBody(status, fields, model) {
    return errorOf(status, fields, model);
  },

  streamError(fields) {
    return sseFrame(errorOf(fields.status ?? 503, fields, undefined));
  },

  malformed(data) {
    return sseFrame(data);
  },
};
