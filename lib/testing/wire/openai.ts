import {
  bearerToken,
  countTokens,
  lastUserText,
  sseFrame,
  type ChatRequest,
  type ProviderWire,
  type StreamFrames,
} from './provider-wire.js';

interface OpenAIErrorFields {
  message: string;
  type: string;
  code: string | null;
}

/** OpenAI's usual error fields per status, as its API sends them. */
function defaults(status: number, model: string | undefined): OpenAIErrorFields {
  switch (status) {
    case 401:
      return {
        message: 'Incorrect API key provided.',
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      };
    case 403:
      return {
        message: 'Country, region, or territory not supported',
        type: 'request_forbidden',
        code: 'unsupported_country_region_territory',
      };
    case 404:
      return {
        message: `The model \`${model ?? 'unknown'}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        code: 'model_not_found',
      };
    case 429:
      return {
        message: 'Rate limit reached for requests.',
        type: 'requests',
        code: 'rate_limit_exceeded',
      };
    case 503:
      return {
        message: 'The engine is currently overloaded, please try again later.',
        type: 'server_error',
        code: null,
      };
  }
  if (status >= 500) {
    return {
      message: 'The server had an error while processing your request. Sorry about that!',
      type: 'server_error',
      code: null,
    };
  }
  return {
    message: `Invalid request (HTTP ${status}).`,
    type: 'invalid_request_error',
    code: null,
  };
}

function created(): number {
  return Math.floor(Date.now() / 1000);
}

/** The OpenAI chat-completions wire format (`POST /v1/chat/completions`). */
export const openaiWire: ProviderWire = {
  name: 'openai',
  path: '/v1/chat/completions',
  idPrefix: 'chatcmpl-fake-',
  requestIdHeader: 'x-request-id',

  matches(path) {
    return path === this.path;
  },

  apiKeyOf(headers) {
    return bearerToken(headers);
  },

  parse(body): ChatRequest | string {
    if (typeof body !== 'object' || body === null) return 'The request body must be a JSON object.';
    const b = body as {
      model?: unknown;
      messages?: unknown;
      stream?: unknown;
      stream_options?: unknown;
    };
    if (typeof b.model !== 'string' || b.model === '') return 'you must provide a model parameter';
    const prompt = lastUserText(b.messages);
    if (typeof prompt !== 'string') return prompt.problem;
    const options = b.stream_options as { include_usage?: unknown } | null | undefined;
    return {
      provider: 'openai',
      model: b.model,
      prompt,
      stream: b.stream === true,
      includeUsage: options?.include_usage === true,
    };
  },

  answer(request, text, id) {
    const promptTokens = countTokens(request.prompt);
    const completionTokens = countTokens(text);
    return {
      id,
      object: 'chat.completion',
      created: created(),
      model: request.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
      system_fingerprint: null,
    };
  },

  stream(request, pieces, id): StreamFrames {
    const base = {
      id,
      object: 'chat.completion.chunk',
      created: created(),
      model: request.model,
      system_fingerprint: null,
    };
    const chunk = (delta: object, finish: string | null) =>
      sseFrame({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
    const tail = [chunk({}, 'stop')];
    if (request.includeUsage) {
      const promptTokens = countTokens(request.prompt);
      const completionTokens = countTokens(pieces.join(''));
      const usage = {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      };
      tail.push(sseFrame({ ...base, choices: [], usage }));
    }
    tail.push(sseFrame('[DONE]'));
    return {
      head: [chunk({ role: 'assistant', content: '', refusal: null }, null)],
      pieces: pieces.map((piece) => chunk({ content: piece }, null)),
      tail,
    };
  },

  errorBody(status, fields, model) {
    const d = defaults(status, model);
    return {
      error: {
        message: fields.message ?? d.message,
        type: fields.type ?? d.type,
        param: null,
        code: fields.code ?? d.code,
      },
    };
  },

  streamError(fields) {
    const d = defaults(fields.status ?? 500, undefined);
    return sseFrame({
      error: {
        message: fields.message ?? d.message,
        type: fields.type ?? d.type,
        param: null,
        code: fields.code ?? d.code,
      },
    });
  },

  malformed(data) {
    return sseFrame(data);
  },
};
