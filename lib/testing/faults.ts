import { show } from '../core/show.js';
import { validateTiming, type FaultTiming } from './fault-schedule.js';

/**
 * Answer with an HTTP error status and an error body in the provider's own shape. The default
 * body is what the provider really sends for that status: a 404 says the model does not exist
 * (`model_not_found` / `not_found_error`), a 429 is a rate limit with `retry-after: 1`, a 529 is
 * Anthropic's `overloaded_error`.
 */
export interface StatusFault extends FaultTiming {
  readonly kind: 'status';
  /** An error status, 400–599: 400, 401, 403, 404, 429, 500, 502, 503, 504, 529, ... */
  readonly status: number;
  /**
   * The `retry-after` header: seconds (a number), an HTTP date (a string), or `false` for none.
   * Default: `1` for a 429, none otherwise.
   */
  readonly retryAfter?: number | string | false | undefined;
  /** A `retry-after-ms` header (OpenAI's), in ms. Default: none. */
  readonly retryAfterMs?: number | undefined;
  /** The body's error message. Default: the provider's usual message for the status. */
  readonly message?: string | undefined;
  /** The body's error `type`. Default: the provider's usual type for the status. */
  readonly type?: string | undefined;
  /** The body's error `code` (OpenAI only). Default: the usual code for the status. */
  readonly code?: string | undefined;
  /**
   * Extra response headers, sent as they are: rate-limit headers
   * (`x-ratelimit-reset-requests`, `anthropic-ratelimit-requests-reset`), absurd ones included,
   * to see what a client makes of them. Names and values must be valid HTTP header text.
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/**
 * Accept the request and never answer, until the client gives up or the server closes. With
 * `afterChunks`, a streaming request gets its headers and that many chunks, then stalls: the
 * case no SDK timeout covers.
 */
export interface HangFault extends FaultTiming {
  readonly kind: 'hang';
  /** Stall a stream after this many content chunks (streaming requests only). */
  readonly afterChunks?: number | undefined;
}

/** Answer normally, but only after `delayMs` (and `chunkDelayMs` between stream chunks). */
export interface SlowFault extends FaultTiming {
  readonly kind: 'slow';
  /** Wait before the answer's headers, in ms. */
  readonly delayMs: number;
  /** Wait between a stream's chunks, in ms. Default 0. */
  readonly chunkDelayMs?: number | undefined;
}

/** Read the request, then reset the connection (TCP RST): the client sees `ECONNRESET`. */
export interface ResetFault extends FaultTiming {
  readonly kind: 'reset';
}

/**
 * Streaming requests only: send the headers and `afterChunks` content chunks, then drop the
 * connection without finishing the stream. Non-streaming requests are answered normally.
 */
export interface StreamCutFault extends FaultTiming {
  readonly kind: 'streamCut';
  /** Content chunks sent before the cut. Default 1. */
  readonly afterChunks?: number | undefined;
}

/**
 * Streaming requests only: send `afterChunks` content chunks, then an in-band error event in the
 * provider's shape, and end the stream. Non-streaming requests are answered normally.
 *
 * | provider | the event |
 * |---|---|
 * | OpenAI | `data: {"error":{"message","type","param","code"}}` |
 * | Anthropic | `event: error` + `{"type":"error","error":{"type","message"}}` |
 * | Google | `data: {"error":{"code","message","status"}}` |
 */
export interface StreamErrorFault extends FaultTiming {
  readonly kind: 'streamError';
  /** Content chunks sent before the error event. Default 1. */
  readonly afterChunks?: number | undefined;
  /**
   * The HTTP status the error stands for: it picks the default `type` (OpenAI, Anthropic) and is
   * Google's numeric `code`. Default: 529 for Anthropic (`overloaded_error`), 500 for OpenAI
   * (`server_error`), 503 for Google (`UNAVAILABLE`). Give 400 for the caller's error
   * (`invalid_request_error`, `INVALID_ARGUMENT`).
   */
  readonly status?: number | undefined;
  /** The error's `type` (Google: its `status` string). Default: the usual one for `status`. */
  readonly type?: string | undefined;
  /** The error's message. Default: the provider's usual message. */
  readonly message?: string | undefined;
}

/**
 * Streaming requests only: the headers and the opening events (OpenAI's role chunk, Anthropic's
 * `message_start`) come at once, then the first content chunk only after `delayMs`: a slow time
 * to first token on a connection that looks healthy. Non-streaming requests are answered normally.
 */
export interface StreamDelayFault extends FaultTiming {
  readonly kind: 'streamDelay';
  /** Wait before the first content chunk, in ms. */
  readonly delayMs: number;
  /** Wait between the following chunks, in ms. Default 0. */
  readonly chunkDelayMs?: number | undefined;
}

/**
 * Streaming requests only: after `afterChunks` content chunks, one server-sent event whose data
 * is not valid JSON; the stream then goes on and finishes normally. Every official SDK throws a
 * parse error at that line. Non-streaming requests are answered normally.
 */
export interface StreamMalformedFault extends FaultTiming {
  readonly kind: 'streamMalformed';
  /** Content chunks sent before the bad line. Default 1. */
  readonly afterChunks?: number | undefined;
  /** The bad event's data. Default `{"choices": [` (JSON cut short). */
  readonly data?: string | undefined;
}

/**
 * What a fake provider does to the requests a fault strikes. Every fault also takes
 * {@link FaultTiming}: `times` (fail the next N, then recover), `probability` and `seed`.
 * The same objects work from code (`fake.setFault`) and as JSON on the control route.
 */
export type Fault =
  | StatusFault
  | HangFault
  | SlowFault
  | ResetFault
  | StreamCutFault
  | StreamErrorFault
  | StreamDelayFault
  | StreamMalformedFault;

/** The names of the fault kinds. */
export type FaultKind = Fault['kind'];

const FIELDS: Record<FaultKind, readonly string[]> = {
  status: ['status', 'retryAfter', 'retryAfterMs', 'message', 'type', 'code', 'headers'],
  hang: ['afterChunks'],
  slow: ['delayMs', 'chunkDelayMs'],
  reset: [],
  streamCut: ['afterChunks'],
  streamError: ['afterChunks', 'status', 'type', 'message'],
  streamDelay: ['delayMs', 'chunkDelayMs'],
  streamMalformed: ['afterChunks', 'data'],
};
const STREAM_ONLY: ReadonlySet<FaultKind> = new Set<FaultKind>([
  'streamCut',
  'streamError',
  'streamDelay',
  'streamMalformed',
]);
const TIMING = ['kind', 'times', 'probability', 'seed'];

/** Whether a fault only concerns streaming requests (a JSON request passes untouched). */
export function isStreamOnly(fault: Fault): boolean {
  return STREAM_ONLY.has(fault.kind);
}

/**
 * Checks a fault given in code or as JSON: a `TypeError` or `RangeError` naming the field and
 * showing the value, and unknown fields refused.
 */
export function validateFault(fault: unknown, where = 'fault'): Fault {
  if (typeof fault !== 'object' || fault === null || Array.isArray(fault)) {
    throw new TypeError(
      `${where} must be an object such as { kind: 'status', status: 503 }, got ${show(fault)}`,
    );
  }
  // Own keys only, read once: an inherited `status` or `delayMs` is ignored, never used unchecked.
  const f: Record<string, unknown> = Object.fromEntries(Object.entries(fault));
  const kind = f['kind'];
  if (typeof kind !== 'string' || !Object.hasOwn(FIELDS, kind)) {
    throw new TypeError(
      `${where}.kind must be one of ${Object.keys(FIELDS).join(', ')}; got ${show(kind)}`,
    );
  }
  const known = new Set([...TIMING, ...FIELDS[kind as FaultKind]]);
  for (const key of Object.keys(f)) {
    if (!known.has(key)) {
      throw new TypeError(
        `${where}: unknown field "${key}" for kind "${kind}"; known: ${[...known].join(', ')}`,
      );
    }
  }
  validateTiming(f as FaultTiming, where);
  const integer = (name: string, min: number, max = Number.MAX_SAFE_INTEGER, required = false) => {
    const value = f[name];
    if (value === undefined && !required) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(
        `${where}.${name} must be an integer from ${min} to ${max}, got ${show(value)}`,
      );
    }
  };
  const text = (name: string) => {
    const value = f[name];
    if (value !== undefined && typeof value !== 'string') {
      throw new TypeError(`${where}.${name} must be a string, got ${show(value)}`);
    }
  };
  switch (kind as FaultKind) {
    case 'status': {
      integer('status', 400, 599, true);
      integer('retryAfterMs', 0);
      const after = f['retryAfter'];
      if (
        after !== undefined &&
        after !== false &&
        !(typeof after === 'number' && Number.isFinite(after) && after >= 0) &&
        !(typeof after === 'string' && after.trim() !== '')
      ) {
        throw new TypeError(
          `${where}.retryAfter must be seconds (a number), an HTTP date (a string) or false, got ${show(after)}`,
        );
      }
      text('message');
      text('type');
      text('code');
      if (f['headers'] !== undefined) f['headers'] = checkHeaders(f['headers'], `${where}.headers`);
      break;
    }
    case 'slow':
    case 'streamDelay':
      integer('delayMs', 0, 2_147_483_647, true);
      integer('chunkDelayMs', 0, 2_147_483_647);
      break;
    case 'streamMalformed': {
      integer('afterChunks', 0);
      const data = f['data'];
      if (data !== undefined && (typeof data !== 'string' || /[\r\n]/.test(data))) {
        throw new TypeError(`${where}.data must be a string on one line, got ${show(data)}`);
      }
      break;
    }
    case 'streamError':
      integer('status', 400, 599);
      text('type');
      text('message');
      integer('afterChunks', 0);
      break;
    case 'hang':
    case 'streamCut':
      integer('afterChunks', 0);
      break;
    case 'reset':
      break;
  }
  return f as unknown as Fault;
}

/** Header text Node will send: a token for the name, no control characters but tab in the value. */
function checkHeaders(headers: unknown, where: string): Record<string, string> {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new TypeError(
      `${where} must be an object of header names to strings, got ${show(headers)}`,
    );
  }
  const own: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(name)) {
      throw new TypeError(`${where}: ${show(name)} is not a valid header name`);
    }
    if (typeof value !== 'string' || /[^\t\x20-\x7e\x80-\xff]/.test(value)) {
      throw new TypeError(`${where}.${name} must be a string of header text, got ${show(value)}`);
    }
    own[name] = value;
  }
  return own;
}
