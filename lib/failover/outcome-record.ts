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
  /** Set when its `withOutcome` returned: work it left running no longer changes what it told. */
  private finished = false;

  constructor(private readonly parent: OutcomeRecord | undefined) {}

  /** Adds an attempt here and to every enclosing record still open. */
  add(attempt: Attempt): void {
    let record: OutcomeRecord | undefined = this;
    for (; record !== undefined; record = record.parent) {
      if (!record.finished) record.attempts.push(attempt);
    }
  }

  /** Notes that `name` answered a chain call, here and in every enclosing record still open. */
  served(name: string): void {
    let record: OutcomeRecord | undefined = this;
    for (; record !== undefined; record = record.parent) {
      if (!record.finished) record.servedBy = name;
    }
  }

  /** Closes the record. */
  finish(): void {
    this.finished = true;
  }
}

/**
 * The record of the innermost {@link withOutcome} around the current async context. Chains read it
 * once per call; when nobody asked for outcomes it is `undefined` and nothing is measured.
 * @internal
 */
export const outcomeStorage = new AsyncLocalStorage<OutcomeRecord>();
