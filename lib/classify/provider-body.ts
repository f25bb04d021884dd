/**
 * Reads the error body a provider sent, as the SDKs expose it: openai puts its `error` object on
 * the error (`error`, `code`, `type`), @anthropic-ai/sdk the whole body (`error.error.type`, and
 * `type`), @google/genai only the JSON text in `message`.
 */
import { parseDuration } from './retry-after.js';

/** Codes and types in a body that say the model does not exist at this provider. */
export const MISSING_MODEL_CODES: ReadonlySet<string> = new Set([
  'model_not_found',
  'not_found_error',
  'NOT_FOUND',
]);

/** Codes that say the account's quota or credit is used up: an outage for this caller, not a pause. */
export const QUOTA_EXHAUSTED_CODES: ReadonlySet<string> = new Set([
  'insufficient_quota',
  'billing_error',
]);

/** Codes and types of a rate limit, for in-band stream errors that carry no status. */
export const RATE_LIMIT_CODES: ReadonlySet<string> = new Set([
  'rate_limit_error',
  'rate_limit_exceeded',
  'RESOURCE_EXHAUSTED',
]);

/** The largest message the classifier will look into for a JSON body. */
const MAX_MESSAGE = 64 * 1024;

/**
 * The provider's error body: the object the SDK keeps on `error.error`, or else the JSON found in
 * the message (Google's `ApiError`: `{"error":{...}}` or `got status: ... {...}`).
 */
export function errorBodyOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  const kept = (error as { error?: unknown }).error;
  if (typeof kept === 'object' && kept !== null) return kept;
  const message = (error as { message?: unknown }).message;
  if (typeof message !== 'string' || message.length > MAX_MESSAGE) return undefined;
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(message.slice(start)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Every string code or type the error and its body carry: `code`, `type`, `errorCode`, and the
 * body's `code`, `type`, `status` and nested `error.type` / `error.code` / `error.status`.
 */
export function bodyCodesOf(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const e = error as { code?: unknown; type?: unknown; errorCode?: unknown };
  const body = errorBodyOf(error) as
    | {
        code?: unknown;
        type?: unknown;
        status?: unknown;
        error?: { code?: unknown; type?: unknown; status?: unknown };
      }
    | undefined;
  const inner = typeof body?.error === 'object' && body.error !== null ? body.error : undefined;
  const candidates = [
    e.code,
    e.type,
    e.errorCode,
    body?.code,
    body?.type,
    body?.status,
    inner?.code,
    inner?.type,
    inner?.status,
  ];
  return candidates.filter((c): c is string => typeof c === 'string' && c !== '');
}

/** Whether any of the error's codes or types is in `codes`. */
export function saysAny(error: unknown, codes: ReadonlySet<string>): boolean {
  return bodyCodesOf(error).some((code) => codes.has(code));
}

/**
 * Google's `RetryInfo.retryDelay` (`"37s"`) from the error body's `details`, in ms, if any.
 */
export function retryDelayOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const kept = (error as { error?: unknown }).error;
  const message = (error as { message?: unknown }).message;
  // Parse a message only when it can hold a delay: most errors never pay for JSON.parse.
  if (
    typeof kept !== 'object' &&
    !(typeof message === 'string' && message.includes('retryDelay'))
  ) {
    return undefined;
  }
  const body = errorBodyOf(error) as
    { details?: unknown; error?: { details?: unknown } } | undefined;
  for (const details of [body?.error?.details, body?.details]) {
    if (!Array.isArray(details)) continue;
    for (const detail of details) {
      const ms = parseDuration((detail as { retryDelay?: unknown } | null)?.retryDelay);
      if (ms !== undefined) return ms;
    }
  }
  return undefined;
}
