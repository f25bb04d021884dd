import { AsyncLocalStorage } from 'node:async_hooks';
import type { Attempt } from './attempt.js';

/**
 * Collects the attempts of one {@link withOutcome} call. A record made inside another one keeps a
 * link to it, and everything recorded here is recorded there too: the outer call sees all that
 * happened inside it, the inner one only its own part.
 * @internal
 */
export class OutcomeRecord {
  servedBy: string | null = null;
  readonly attempts: Attempt[] = [];

  constructor(private readonly parent: OutcomeRecord | undefined) {}

  /** Adds an attempt here and to every enclosing record. */
  add(attempt: Attempt): void {
    for (
      let record: OutcomeRecord | undefined = this;
      record !== undefined;
      record = record.parent
    ) {
      record.attempts.push(attempt);
    }
  }

  /** Notes that `name` answered a chain call, here and in every enclosing record. */
  served(name: string): void {
    for (
      let record: OutcomeRecord | undefined = this;
      record !== undefined;
      record = record.parent
    ) {
      record.servedBy = name;
    }
  }
}

/**
 * The record of the innermost {@link withOutcome} around the current async context. Chains read it
 * once per call; when nobody asked for outcomes it is `undefined` and nothing is measured.
 * @internal
 */
export const outcomeStorage = new AsyncLocalStorage<OutcomeRecord>();
