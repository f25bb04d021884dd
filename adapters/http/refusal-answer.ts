import type { Breaker } from '../../lib/breaker/breaker.js';
import type { CallTimeoutError } from '../../lib/errors/call-timeout-error.js';
import {
  isCapacityExceededError,
  type CapacityExceededError,
} from '../../lib/errors/capacity-exceeded-error.js';
import { isCircuitOpenError, type CircuitOpenError } from '../../lib/errors/circuit-open-error.js';

/** A breaker's refusal of a call: open, half-open with every trial taken, or at capacity. */
export type Refusal = CircuitOpenError | CapacityExceededError;

/** A status, headers and body for `protect()` to send. */
export interface PlainAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** True when `error` is a breaker's refusal. */
export function isRefusal(error: unknown): error is Refusal {
  return isCircuitOpenError(error) || isCapacityExceededError(error);
}

/**
 * `Retry-After` in whole seconds, rounded up and at least 1. A breaker held open by an operator
 * knows no time: its `resetTimeout` is the hint.
 */
export function retryAfterSeconds(error: Refusal, breaker: Breaker): number {
  const ms = isCircuitOpenError(error) ? (error.retryAfterMs ?? breaker.options.resetTimeout) : 0;
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * The default answer to a refused request: 503 with `Retry-After` and
 * `{ error, message, breaker, state, retryAfterMs }`.
 */
export function refusalAnswer(error: Refusal, breaker: Breaker): PlainAnswer {
  const seconds = retryAfterSeconds(error, breaker);
  const open = isCircuitOpenError(error);
  const body = {
    error: open ? 'circuit_open' : 'capacity_exceeded',
    message: open
      ? `Service temporarily unavailable: circuit "${error.breaker}" is ${error.state}`
      : `Service temporarily unavailable: "${error.breaker}" is at capacity`,
    breaker: error.breaker,
    state: open ? error.state : 'capacity',
    retryAfterMs: seconds * 1000,
  };
  return {
    status: 503,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': String(seconds),
    },
    body: JSON.stringify(body),
  };
}

/** The answer when the guarded route did not answer within the breaker's `timeout`: 504. */
export function timeoutAnswer(error: CallTimeoutError): PlainAnswer {
  return {
    status: 504,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify({
      error: 'timeout',
      message: `The route did not answer within ${error.timeoutMs} ms`,
      breaker: error.breaker,
    }),
  };
}
