import { randomUUID } from 'node:crypto';
import type { Attempt } from '../../lib/index.js';
import type { ChatAnswer } from './chat-answer.js';

/** An HTTP answer as both frameworks write it: status, headers and a complete body. */
export interface HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** An answer and where it came from, as the gateway tells its callers. */
export interface ServedAnswer {
  readonly answer: ChatAnswer;
  /** The tier that answered: `openai`, `anthropic`, `cache` or `degraded`. */
  readonly servedBy: string;
  readonly attempts: readonly Attempt[];
}

/**
 * The answer as an OpenAI `chat.completion`, plus two fields of the gateway's own: `served_by`
 * (the tier) and `attempts` (each tier tried or skipped: `{ tier, outcome, duration_ms }`).
 * Streaming requests get the same answer as `chat.completion.chunk` server-sent events, sent
 * once the chain has answered. The `x-served-by` header names the tier either way.
 */
export function completionReply(served: ServedAnswer, stream: boolean): HttpReply {
  const { answer, servedBy } = served;
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const extra = {
    served_by: servedBy,
    attempts: served.attempts.map((a) => ({
      tier: a.name,
      outcome: a.outcome,
      duration_ms: Math.round(a.durationMs),
    })),
  };
  const headers = { 'x-served-by': servedBy, 'cache-control': 'no-store' };
  if (!stream) {
    const body = {
      id,
      object: 'chat.completion',
      created,
      model: answer.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: answer.text, refusal: null },
          logprobs: null,
          finish_reason: answer.finishReason,
        },
      ],
      ...(answer.usage === null ? {} : { usage: usageOf(answer.usage) }),
      ...extra,
    };
    return {
      status: 200,
      headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
    };
  }
  const chunk = (delta: object, finishReason: string | null, more: object = {}) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model: answer.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...more,
    })}\n\n`;
  const body =
    chunk({ role: 'assistant', content: '' }, null, extra) +
    chunk({ content: answer.text }, null) +
    chunk({}, answer.finishReason) +
    'data: [DONE]\n\n';
  return {
    status: 200,
    headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8' },
    body,
  };
}

function usageOf(usage: NonNullable<ChatAnswer['usage']>) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
  };
}

/** An error in OpenAI's shape: `{ error: { message, type, param, code } }`. */
export function errorReply(
  status: number,
  message: string,
  type: string,
  fields: { param?: string | null; code?: string | null; headers?: Record<string, string> } = {},
): HttpReply {
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...fields.headers,
    },
    body: JSON.stringify({
      error: { message, type, param: fields.param ?? null, code: fields.code ?? null },
    }),
  };
}
