import type { Breaker } from '../breaker/breaker.js';
import { show } from '../core/show.js';
import { defaultClassify } from '../classify/default-classifier.js';
import {
  AllProvidersFailedError,
  type ProviderFailure,
} from '../errors/all-providers-failed-error.js';
import { StreamInterruptedError } from '../errors/stream-interrupted-error.js';
import { failedOutcome, type AttemptOutcome } from '../failover/attempt.js';
import type { ChainLevel } from '../failover/chain-level.js';
import { outcomeStorage, type OutcomeRecord } from '../failover/outcome-record.js';
import type { BreakerRegistry } from '../registry/breaker-registry.js';
import { usageOf } from '../registry/provider-stats.js';
import { openLevel } from './open-level.js';
import type { HedgePlan } from '../failover/hedge-plan.js';
import { raceToContent, type RaceHost, type Runner } from './hedge-race.js';
import { OverlapTrim } from './overlap.js';
import { noteAttempt, verdictBeforeContent } from './runner-outcome.js';
import type { Resume } from './resume-types.js';

/** What a stream chain knows of a level beyond what a call chain does. @internal */
export interface StreamLevelRules<C> {
  readonly isContent: (chunk: C) => boolean;
  readonly resume: Resume<unknown[], C> | undefined;
}

/**
 * Non-content chunks held back at most, waiting for a level's first content chunk. Past this, the
 * level is committed to anyway: a preamble is a handful of events, and holding is buffering.
 */
export const MAX_HELD = 1_000;

const END: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * One call of a stream chain (`failoverStream`, or an `async *` method under the decorators), as
 * its consumer iterates it.
 *
 * Until a level's first content chunk, its chunks are held and its failures (refusal, error,
 * timeout) move the chain to the next level without the consumer seeing anything. At the first
 * content chunk the level is committed: the held chunks are delivered unchanged, then the
 * content, then each further chunk as the consumer asks for it. A failure after that is an
 * interruption: the level's `resume` may give the next level's arguments (that level's own
 * preamble is then dropped, and the overlap with what was delivered removed when the resume asks
 * for it); otherwise the stream ends with {@link StreamInterruptedError}.
 * @internal
 */
export class ChainStream<C> implements AsyncIterableIterator<C>, RaceHost<C> {
  private index = 0;
  private current: AsyncIterator<C> | null = null;
  private breaker: Breaker | null = null;
  private levelStart = 0;
  /** The current level has delivered content: its failures are interruptions. */
  private committed = false;
  /** The name of the level that was cut, while a later level resumes it. */
  private resumedFrom: string | null = null;
  private trim: OverlapTrim<C> | null = null;
  private held: C[] = [];
  private queue: C[] = [];
  private queued = 0;
  /** Every chunk the consumer has received, in order. */
  readonly delivered: C[] = [];
  private causes: ProviderFailure[] = [];
  private failed: (Breaker | null)[] = [];
  private lastError: unknown = undefined;
  private done = false;
  private busy: Promise<IteratorResult<C>> | null = null;
  private iterated = false;
  /** @internal Set while a hedge race runs. */
  stopRace: (() => void) | null = null;
  private raced = false;
  /** A caller's signal passed as the last argument: it cancels the stream, as it does a chain call. */
  private readonly callerSignal: AbortSignal | undefined;

  constructor(
    private readonly levels: readonly ChainLevel[],
    private readonly rules: readonly StreamLevelRules<C>[],
    private readonly registry: BreakerRegistry,
    private readonly self: unknown,
    private args: readonly unknown[],
    private record: OutcomeRecord | undefined,
    /** What the chain is called in error messages. */
    private readonly label: string,
    /** The chain's hedging, when it hedges. */
    private readonly hedge: HedgePlan | null = null,
  ) {
    const last = args.length > 0 ? args[args.length - 1] : undefined;
    this.callerSignal = last instanceof AbortSignal ? last : undefined;
  }

  [Symbol.asyncIterator](): this {
    if (this.iterated) {
      throw new TypeError(
        `a stream of ${this.label} can be iterated once; call it again for another`,
      );
    }
    this.iterated = true;
    return this;
  }

  next(): Promise<IteratorResult<C>> {
    if (this.queued < this.queue.length) {
      const value = this.queue[this.queued++]!;
      if (this.queued === this.queue.length) this.queue = [];
      this.delivered.push(value);
      return Promise.resolve({ done: false, value });
    }
    if (this.done) return Promise.resolve(END);
    if (this.busy !== null) return this.busy.then(() => this.next());
    if (this.committed) return this.current!.next().then(this.onChunk, this.onFailure);
    // A stream made outside withOutcome and iterated inside one reports to it.
    if (this.index === 0 && this.current === null) this.record ??= outcomeStorage.getStore();
    const busy = (this.busy = this.advance());
    const clear = (): void => {
      if (this.busy === busy) this.busy = null;
    };
    busy.then(clear, clear);
    return busy;
  }

  /** The consumer stopped: abort the level streaming now, record it `cancelled`. */
  return(): Promise<IteratorResult<C>> {
    if (this.done && this.current === null) return Promise.resolve(END);
    this.done = true;
    this.stopRace?.();
    this.queue = [];
    this.queued = 0;
    const current = this.current;
    this.current = null;
    if (current !== null) {
      const level = this.levels[this.index]!;
      try {
        const closing = current.return?.();
        closing?.then(undefined, () => undefined);
      } catch {
        // The consumer is gone; a level that fails to close has nothing to tell it.
      }
      this.note(level, 'cancelled', undefined);
      if (this.committed) this.record?.served(level.name);
    }
    return Promise.resolve(END);
  }

  private readonly onChunk = (result: IteratorResult<C>): IteratorResult<C> => {
    if (result.done === true) {
      this.complete();
      return END;
    }
    this.delivered.push(result.value);
    return result;
  };

  private readonly onFailure = (error: unknown): Promise<IteratorResult<C>> => {
    if (this.done) return Promise.resolve(END);
    return this.interrupted(error);
  };

  /** Opens levels and reads their preambles until one delivers content, ends, or all fail. */
  private async advance(): Promise<IteratorResult<C>> {
    for (;;) {
      if (this.current === null && this.hedge !== null && !this.raced) {
        this.raced = true;
        return this.race();
      }
      if (this.current === null) {
        if (this.index >= this.levels.length) return this.exhausted();
        if (this.callerSignal?.aborted === true) {
          this.done = true;
          throw this.callerSignal.reason;
        }
        this.open();
      }
      let result: IteratorResult<C>;
      try {
        result = await this.current!.next();
      } catch (error) {
        if (this.done) return END;
        this.failedBeforeContent(error);
        continue;
      }
      if (this.done) return END;
      const trim = this.trim;
      if (result.done === true) {
        this.commit(trim === null ? [] : trim.finish());
        this.complete();
        return this.next();
      }
      const chunk = result.value;
      if (trim !== null) {
        if (trim.add(chunk, this.rules[this.index]!.isContent(chunk))) this.commit(trim.finish());
        else continue;
      } else if (this.rules[this.index]!.isContent(chunk)) {
        this.commit([chunk]);
      } else if (this.resumedFrom === null) {
        this.held.push(chunk);
        if (this.held.length < MAX_HELD) continue;
        this.commit([]);
      } else {
        continue; // a resumed level's preamble: the consumer has had one
      }
      return this.next();
    }
  }

  /** Runs the hedge race to the first content chunk, and carries on with its winner. */
  private async race(): Promise<IteratorResult<C>> {
    if (this.callerSignal?.aborted === true) {
      this.done = true;
      throw this.callerSignal.reason;
    }
    const result = await raceToContent(this, this.index, this.hedge!, MAX_HELD);
    switch (result.kind) {
      case 'stopped':
        return END;
      case 'thrown':
        this.done = true;
        throw result.error;
      case 'exhausted':
        this.index = this.levels.length;
        return this.exhausted();
      case 'won':
        this.adopt(result.runner);
        if (result.ended) {
          this.commit([]);
          this.complete();
        } else {
          this.commit(result.chunk === undefined ? [] : [result.chunk]);
        }
        return this.next();
    }
  }

  get levelCount(): number {
    return this.levels.length;
  }

  isContent(index: number, chunk: C): boolean {
    return this.rules[index]!.isContent(chunk);
  }

  stopped(): boolean {
    return this.done;
  }

  private open(): void {
    this.adopt(this.makeRunner(this.index));
  }

  /** Makes level `index`'s stream (not yet started: it starts at its first `next()`). */
  makeRunner(index: number): Runner<C> {
    return openLevel<C>(
      this.levels[index]!,
      index,
      this.rules[index]!.isContent,
      { self: this.self, args: this.args, lastError: this.lastError },
      this.registry,
      this.callerSignal,
      this.label,
    );
  }

  /** Level `runner` is the current one from here. */
  private adopt(runner: Runner<C>): void {
    this.index = runner.index;
    this.current = runner.stream;
    this.breaker = runner.breaker;
    this.levelStart = runner.start;
    this.held = runner.held;
  }

  /** The current level delivers from here: what it held, then `chunks`. */
  private commit(chunks: readonly C[]): void {
    const held = this.held;
    this.held = [];
    this.queue = held.length === 0 ? [...chunks] : [...held, ...chunks];
    this.queued = 0;
    this.committed = true;
    if (this.resumedFrom === null) {
      const failed = this.failed;
      for (let j = 0; j < failed.length; j++) failed[j]?.recordFallback(this.causes[j]!.error);
    }
  }

  /** The current level's stream ended normally: it served the call. */
  private complete(): void {
    this.done = true;
    const level = this.levels[this.index]!;
    this.current = null;
    const now = this.note(level, 'success', undefined);
    this.record?.served(level.name);
    usageOf(level.guard?.registry ?? this.registry).served(level.name, now);
  }

  /** The current level failed before delivering content: fail over, or throw a caller's error. */
  private failedBeforeContent(error: unknown): void {
    const runner = this.runner();
    this.current = null;
    this.held = [];
    this.trim?.reset();
    if (!this.failedRunner(runner, error)) {
      this.done = true;
      throw error;
    }
    this.index++;
  }

  /** The current level, as a runner. */
  private runner(): Runner<C> {
    return {
      index: this.index,
      stream: this.current!,
      breaker: this.breaker,
      start: this.levelStart,
      held: this.held,
    };
  }

  /**
   * Records that `runner`'s level failed before content; `true` when the chain may move on,
   * `false` for a caller's error or the caller's own abort, which the consumer gets as they are.
   */
  failedRunner(runner: Runner<C>, error: unknown): boolean {
    const level = this.levels[runner.index]!;
    const breaker = runner.breaker;
    const verdict = verdictBeforeContent(runner, error);
    const aborted = this.callerSignal?.aborted === true;
    const outcome = aborted ? 'cancelled' : failedOutcome(error, breaker?.name ?? null);
    this.noteRunner(runner, outcome, error);
    if (!verdict.failover || aborted) return false;
    this.causes.push({ name: level.name, error });
    this.failed.push(breaker);
    this.lastError = error;
    return true;
  }

  /** Records a level that lost a hedge race, or that the consumer left: `cancelled`. */
  cancelRunner(runner: Runner<C>): void {
    try {
      runner.stream.return?.()?.then(undefined, () => undefined);
    } catch {
      // Losing is all that is left for it.
    }
    this.noteRunner(runner, 'cancelled', undefined);
  }

  /** Every level failed before content. */
  private exhausted(): never {
    this.done = true;
    if (this.resumedFrom !== null) {
      throw new StreamInterruptedError(this.resumedFrom, this.delivered.slice(), this.lastError);
    }
    if (this.levels.length === 1) throw this.lastError;
    // In chain order, though hedged levels may fail in another.
    const order = (name: string) => this.levels.findIndex((level) => level.name === name);
    throw new AllProvidersFailedError(this.causes.sort((a, b) => order(a.name) - order(b.name)));
  }

  /** The current level failed after delivering content: resume on the next level, or end. */
  private interrupted(error: unknown): Promise<IteratorResult<C>> {
    const level = this.levels[this.index]!;
    const breaker = this.breaker;
    const verdict = breaker === null ? defaultClassify(error) : breaker.verdictOf(error);
    const aborted = this.callerSignal?.aborted === true;
    this.note(level, aborted ? 'cancelled' : verdict.failover ? 'interrupted' : 'failure', error);
    if (aborted) this.record?.served(level.name);
    this.current = null;
    this.committed = false;
    // The caller's own abort, like a caller's error, reaches the consumer as it is.
    if (!verdict.failover || aborted) {
      this.done = true;
      return Promise.reject(error);
    }
    const resume = this.rules[this.index]!.resume;
    let next: readonly unknown[] | undefined;
    if (resume !== undefined && this.index + 1 < this.levels.length) {
      try {
        next = resume(this.args as unknown[], this.delivered.slice());
      } catch (thrown) {
        this.done = true;
        return Promise.reject(thrown);
      }
      if (next !== undefined && !Array.isArray(next)) {
        this.done = true;
        return Promise.reject(
          new TypeError(
            `${this.label}: resume of level "${level.name}" must return the next level's arguments (an array) or undefined, got ${show(next)}`,
          ),
        );
      }
    }
    if (next === undefined) {
      this.done = true;
      return Promise.reject(new StreamInterruptedError(level.name, this.delivered.slice(), error));
    }
    this.args = next;
    this.resumedFrom ??= level.name;
    this.lastError = error;
    this.index++;
    this.trim = resume!.removeOverlap === true ? new OverlapTrim<C>(this.delivered) : null;
    const busy = (this.busy = this.advance());
    const clear = (): void => {
      if (this.busy === busy) this.busy = null;
    };
    busy.then(clear, clear);
    return busy;
  }

  /** Records the current level's attempt for `withOutcome`; returns the time it ended. */
  private note(level: ChainLevel, outcome: AttemptOutcome, error: unknown): number {
    return this.noteRunner(this.runner(), outcome, error, level);
  }

  /** Records `runner`'s attempt for `withOutcome`; returns the time it ended. */
  private noteRunner(
    runner: Runner<C>,
    outcome: AttemptOutcome,
    error: unknown,
    level = this.levels[runner.index]!,
  ): number {
    return noteAttempt(this.record, this.registry, level, runner, outcome, error);
  }
}
