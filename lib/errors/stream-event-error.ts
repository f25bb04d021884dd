import { BreakwaterError, hasBrand } from './breakwater-error.js';

const brand = Symbol.for('breakwater.StreamEventError');

/**
 * An error event that arrived inside a stream the provider had answered with 200: an OpenAI chat
 * chunk carrying `error`, a Responses API `error` or `response.failed` event, an Anthropic
 * `event: error`, a Google GenAI chunk carrying `error`. breakwater raises it in place of the
 * chunk, shaped for the classifier: `status` is the HTTP status the same error would have had
 * before the stream started (an `overloaded_error` is 529, an `invalid_request_error` 400, a
 * Google `code` as given), `undefined` when the event does not say; `error` is the event's error
 * body, so codes such as `insufficient_quota` or `model_not_found` are read as in a status error.
 */
export class StreamEventError extends BreakwaterError {
  declare readonly name: 'StreamEventError';
  declare readonly code: 'ESTREAMEVENT';

  constructor(
    message: string,
    /** The HTTP status the error stands for, when its type or code says. */
    readonly status: number | undefined,
    /** The provider's error body, as sent inside the stream. */
    readonly error: Readonly<Record<string, unknown>>,
    /** The chunk that carried it, unchanged. */
    readonly event: unknown,
  ) {
    super(message);
  }

  /** The provider's error type or code (`overloaded_error`, `rate_limit_exceeded`, ...), if any. */
  get type(): string | undefined {
    const e = this.error;
    for (const candidate of [e['type'], e['code'], e['status']]) {
      if (typeof candidate === 'string' && candidate !== '') return candidate;
    }
    return undefined;
  }
}

Object.defineProperties(StreamEventError.prototype, {
  [brand]: { value: true },
  name: { value: 'StreamEventError', writable: true, configurable: true },
  code: { value: 'ESTREAMEVENT', writable: true, configurable: true },
});

/** True for a {@link StreamEventError} from any copy of breakwater. */
export function isStreamEventError(value: unknown): value is StreamEventError {
  return hasBrand(value, brand);
}
