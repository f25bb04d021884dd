import { BreakwaterError, hasBrand } from './breakwater-error.js';

const brand = Symbol.for('breakwater.AllProvidersFailedError');

/** One level of a failover chain and why it did not answer. */
export interface ProviderFailure {
  /** The breaker name of a guarded level, or the function name of an unguarded one. */
  readonly name: string;
  /** What the level threw, or the {@link CircuitOpenError} with which its breaker refused. */
  readonly error: unknown;
}

/** Every level of a failover chain failed or refused; `causes` has one entry per level, in order. */
export class AllProvidersFailedError extends BreakwaterError {
  declare readonly name: 'AllProvidersFailedError';
  declare readonly code: 'EALLFAILED';

  constructor(readonly causes: readonly ProviderFailure[]) {
    super(
      `All ${causes.length} providers failed: ` +
        causes.map((c) => `${c.name}: ${describe(c.error)}`).join('; '),
      { cause: causes.length > 0 ? causes[causes.length - 1]!.error : undefined },
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

Object.defineProperties(AllProvidersFailedError.prototype, {
  [brand]: { value: true },
  name: { value: 'AllProvidersFailedError', writable: true, configurable: true },
  code: { value: 'EALLFAILED', writable: true, configurable: true },
});

/** True for an {@link AllProvidersFailedError} from any copy of breakwater. */
export function isAllProvidersFailedError(value: unknown): value is AllProvidersFailedError {
  return hasBrand(value, brand);
}
