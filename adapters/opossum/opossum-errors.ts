import {
  isCallTimeoutError,
  isCapacityExceededError,
  isCircuitOpenError,
} from '../../lib/errors/index.js';

/** Marks errors the facade makes itself (opossum's `ESHUTDOWN`). */
const OURS = Symbol.for('breakwater.opossum.ourError');

/** An error with opossum's `code`, that {@link isOurError} recognises. */
export interface CodedError extends Error {
  code: string;
}

/** An `Error` with `message` and `code`, marked as the breaker's own. */
export function ourError(message: string, code: string): CodedError {
  const error = new Error(message) as CodedError & { [OURS]?: true };
  error.code = code;
  error[OURS] = true;
  return error;
}

/**
 * Whether the breaker raised `error` rather than the action: a refusal of an open breaker
 * (`EOPENBREAKER`), a timeout (`ETIMEDOUT`), a full semaphore (`ESEMLOCKED`) or a shut-down
 * breaker (`ESHUTDOWN`).
 */
export function isOurError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return (
    (error as { [OURS]?: unknown })[OURS] === true ||
    isCircuitOpenError(error) ||
    isCallTimeoutError(error) ||
    isCapacityExceededError(error)
  );
}
