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
 * (the tier) and `attempts` (each tier tried or skipped: `{ tier, outcome, duration_ms }`). The
 * `x-served-by` header names the tier too. (Streamed answers are written by `stream-reply.ts`.)
 */
export function completionReply(served: ServedAnswer): HttpReply {
  const { answer, servedBy } = served;
  const body = {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
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
    served_by: servedBy,
    attempts: attemptsOf(served.attempts),
  };
  return {
    status: 200,
    headers: {
      'x-served-by': servedBy,
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
    },
    body: JSON.stringify(body),
  };
}

/** The attempts as the gateway shows them: `{ tier, outcome, duration_ms }`. */
export function attemptsOf(attempts: readonly Attempt[]) {
  return attempts.map((a) => ({
    tier: a.name,
    outcome: a.outcome,
    duration_ms: Math.round(a.durationMs),
  }));
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
