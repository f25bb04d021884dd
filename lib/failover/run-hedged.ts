import type { Breaker } from '../breaker/breaker.js';
import { systemClock } from '../breaker/options.js';
import { defaultClassify } from '../classify/default-classifier.js';
import {
  AllProvidersFailedError,
  type ProviderFailure,
} from '../errors/all-providers-failed-error.js';
import type { BreakerRegistry } from '../registry/breaker-registry.js';
import { usageOf } from '../registry/provider-stats.js';
import { failedOutcome } from './attempt.js';
import { enterContext, leaveContext, NEVER_ABORTED } from './call-context.js';
import type { ChainLevel } from './chain-level.js';
import { unwatchCaller, watchCaller } from '../breaker/caller-signals.js';
import type { HedgePlan } from './hedge-plan.js';
import { noteHedge } from './note-hedge.js';
import { outcomeStorage } from './outcome-record.js';

/** The reason a losing hedge's signal aborts with. */
export class HedgeLostError extends Error {
  override readonly name = 'HedgeLostError';
  constructor(readonly winner: string) {
    super(`another level ("${winner}") answered first`);
  }
}

interface Running {
  readonly index: number;
  readonly level: ChainLevel;
  readonly breaker: Breaker;
  readonly controller: AbortController;
  readonly start: number;
  readonly hedged: boolean;
}

/**
 * Runs one call down a chain with hedging: when the running level has not answered after its
 * hedge delay, the next level starts beside it (at most `hedge.max` times a call, and only while
 * the budget has a token). The first answer wins; the others are aborted through their signals
 * and recorded `cancelled`, which their breakers count as cancelled, never as failures. A failure
 * that may fail over starts the next level at once, as in an unhedged chain; a caller's error, or
 * the caller's own abort, ends the call. A half-open level gets no more trials than its limit:
 * its breaker refuses the hedge, which moves on to the level after it.
 * @internal
 */
export function runHedged(
  levels: readonly ChainLevel[],
  registry: BreakerRegistry,
  args: readonly unknown[],
  state: HedgePlan,
): Promise<unknown> {
  const record = outcomeStorage.getStore();
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  const callerSignal = last instanceof AbortSignal ? last : undefined;
  state.budget.onCall();
  return new Promise((resolve, reject) => {
    const running: Running[] = [];
    const causes: (ProviderFailure | undefined)[] = [];
    const failed: Breaker[] = [];
    let next = 0;
    let hedges = 0;
    let lastError: unknown = undefined;
    let done = false;
    let timer: ReturnType<typeof setTimeout> | null = null;

    const finish = (): void => {
      done = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (callerSignal !== undefined) unwatchCaller(callerSignal, watcher);
    };
    const note = (name: string, outcome: string, durationMs: number, error?: unknown): void => {
      if (record === undefined) return;
      const attempt = { name, outcome, durationMs, ...(error === undefined ? {} : { error }) };
      record.add(attempt as Parameters<typeof record.add>[0]);
    };
    const abortOthers = (winner: Running | null, reason: unknown): void => {
      for (const other of running) if (other !== winner) other.controller.abort(reason);
    };
    const watcher = {
      cancel(reason: unknown): void {
        if (done) return;
        finish();
        abortOthers(null, reason);
        reject(reason);
      },
    };
    const allFailed = (): void => {
      finish();
      const list = causes.filter((c): c is ProviderFailure => c !== undefined);
      reject(levels.length === 1 ? lastError : new AllProvidersFailedError(list));
    };
    const armHedge = (index: number): void => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (hedges >= state.options.max || next >= levels.length || levels[next]!.guard === null) {
        return;
      }
      timer = setTimeout(() => {
        timer = null;
        if (done || !state.budget.take()) return;
        hedges++;
        start(true);
      }, state.delayOf(index));
      timer.unref?.();
    };
    const succeeded = (
      entry: Running | null,
      index: number,
      name: string,
      value: unknown,
    ): void => {
      finish();
      const now = entry === null ? systemClock.now() : entry.breaker.options.clock.now();
      if (entry !== null) {
        state.answered(index, now - entry.start);
        abortOthers(entry, new HedgeLostError(name));
        if (entry.hedged) noteHedge(entry.breaker, 'won');
      }
      note(name, 'success', entry === null ? 0 : now - entry.start);
      record?.served(name);
      usageOf(entry === null ? registry : (levels[index]!.guard?.registry ?? registry)).served(
        name,
        now,
      );
      for (const breaker of failed) breaker.recordFallback(lastError);
      resolve(value);
    };
    const settled = (entry: Running, outcome: { value: unknown } | { error: unknown }): void => {
      running.splice(running.indexOf(entry), 1);
      const { breaker, level } = entry;
      const now = breaker.options.clock.now();
      if (done) {
        // A loser: its breaker counted it cancelled when its signal aborted.
        note(
          level.name,
          'cancelled',
          now - entry.start,
          'error' in outcome ? outcome.error : undefined,
        );
        return;
      }
      if ('value' in outcome) return succeeded(entry, entry.index, level.name, outcome.value);
      const error = outcome.error;
      note(level.name, failedOutcome(error, breaker.name), now - entry.start, error);
      const verdict = breaker.verdictOf(error);
      if (!verdict.failover || (callerSignal !== undefined && callerSignal.aborted)) {
        finish();
        abortOthers(null, error);
        reject(error);
        return;
      }
      causes[entry.index] = { name: level.name, error };
      failed.push(breaker);
      lastError = error;
      if (next < levels.length) start(false);
      else if (running.length === 0) allFailed();
    };
    const start = (hedged: boolean): void => {
      while (next < levels.length && !done) {
        const index = next++;
        const level = levels[index]!;
        const guard = level.guard;
        if (guard === null) {
          // An unguarded level (a last resort) runs only once nothing else is running.
          if (running.length > 0) {
            next--;
            return;
          }
          runUnguarded(level, index);
          return;
        }
        const breaker = (guard.registry ?? registry).get(guard.breaker, guard.options);
        const controller = new AbortController();
        const begin = breaker.options.clock.now();
        const previous = lastError;
        const attempt = breaker.attempt((signal: AbortSignal) => {
          const saved = enterContext(signal, previous, index, level.name);
          try {
            return level.run(undefined, args, previous, signal);
          } finally {
            leaveContext(saved);
          }
        }, controller.signal);
        if (!(attempt instanceof Promise)) {
          note(level.name, 'rejected', 0, attempt);
          causes[index] = { name: level.name, error: attempt };
          lastError = attempt;
          continue;
        }
        const entry: Running = { index, level, breaker, controller, start: begin, hedged };
        running.push(entry);
        if (hedged) noteHedge(breaker, 'started');
        attempt.then(
          (value) => settled(entry, { value }),
          (error: unknown) => settled(entry, { error }),
        );
        armHedge(index);
        return;
      }
      if (!done && running.length === 0) allFailed();
    };
    const runUnguarded = (level: ChainLevel, index: number): void => {
      const begin = systemClock.now();
      const fail = (error: unknown): void => {
        const now = systemClock.now();
        note(level.name, 'failure', now - begin, error);
        usageOf(registry)
          .fallback(level.name)
          .record(false, now - begin, now);
        if (!defaultClassify(error).failover) {
          finish();
          reject(error);
          return;
        }
        causes[index] = { name: level.name, error };
        lastError = error;
        start(false);
      };
      const saved = enterContext(callerSignal ?? NEVER_ABORTED, lastError, index, level.name);
      let value: unknown;
      try {
        value = level.run(undefined, args, lastError, callerSignal ?? NEVER_ABORTED);
      } catch (error) {
        fail(error);
        return;
      } finally {
        leaveContext(saved);
      }
      Promise.resolve(value).then((v) => {
        const now = systemClock.now();
        usageOf(registry)
          .fallback(level.name)
          .record(true, now - begin, now);
        succeeded(null, index, level.name, v);
      }, fail);
    };
    if (callerSignal !== undefined) {
      if (callerSignal.aborted) {
        reject(callerSignal.reason);
        return;
      }
      watchCaller(callerSignal, watcher);
    }
    start(false);
  });
}
