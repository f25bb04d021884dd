import { BreakwaterError, defineErrorPrototype, hasBrand, lightError } from './breakwater-error.js';

const brand = Symbol.for('breakwater.CircuitOpenError');

/** A breaker state in which calls are refused. */
export type RefusingState = 'open' | 'half_open' | 'isolated';

/**
 * Raised instead of calling the provider when a breaker refuses a call: it is open, held open
 * by an operator (`isolated`), or half-open with every trial permit taken.
 *
 * Refusals made by the engine carry no captured stack trace: a refusal is an expected answer,
 * not a bug, and while a provider is down every call gets one, so capturing a stack would make
 * refusing dearer than calling. An instance made with `new` captures a stack as usual.
 */
export class CircuitOpenError extends BreakwaterError {
  declare readonly name: 'CircuitOpenError';
  declare readonly code: 'EOPENBREAKER';

  /**
   * @param breaker the refusing breaker's name
   * @param retryAfterMs ms until the breaker admits a trial call; `undefined` when no time is
   * known (held open by an operator)
   * @param state the breaker's state when it refused
   */
  constructor(
    readonly breaker: string,
    readonly retryAfterMs: number | undefined,
    readonly state: RefusingState = 'open',
  ) {
    super(describe({ breaker, retryAfterMs, state }));
  }

  /** @internal A refusal without a captured stack, for the engine's refusal path. */
  static refusal(
    breaker: string,
    retryAfterMs: number | undefined,
    state: RefusingState,
  ): CircuitOpenError {
    return lightError(CircuitOpenError, { breaker, retryAfterMs, state });
  }
}

function describe(e: Pick<CircuitOpenError, 'breaker' | 'retryAfterMs' | 'state'>): string {
  return e.retryAfterMs === undefined
    ? `Breaker "${e.breaker}" is ${e.state}`
    : `Breaker "${e.breaker}" is ${e.state}; retry after ${e.retryAfterMs} ms`;
}

defineErrorPrototype(CircuitOpenError, brand, 'EOPENBREAKER', describe);

/** True for a {@link CircuitOpenError} from any copy of breakwater. */
export function isCircuitOpenError(value: unknown): value is CircuitOpenError {
  return hasBrand(value, brand);
}
