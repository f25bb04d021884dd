import type { Breaker } from '../breaker/breaker.js';
import { isCapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { isCircuitOpenError } from '../errors/circuit-open-error.js';
import type { HedgePlan } from '../failover/hedge-plan.js';
import { noteHedge } from '../failover/note-hedge.js';

/** One level of a stream chain running before its first content chunk. @internal */
export interface Runner<C> {
  readonly index: number;
  readonly stream: AsyncIterator<C>;
  readonly breaker: Breaker | null;
  /** When it started, by its breaker's clock (the system clock for an unguarded level). */
  readonly start: number;
  /** Its chunks without content, held until it wins. */
  held: C[];
}

/** What a race needs of its chain. @internal */
export interface RaceHost<C> {
  readonly levelCount: number;
  /** Whether level `index` has a breaker (a last resort has none, and is never hedged to). */
  guarded(index: number): boolean;
  makeRunner(index: number): Runner<C>;
  isContent(index: number, chunk: C): boolean;
  /** Records a failure before content; `false` when the chain must end with this error. */
  failedRunner(runner: Runner<C>, error: unknown): boolean;
  /** Aborts a loser and records it `cancelled`. */
  cancelRunner(runner: Runner<C>): void;
  /** Whether the consumer has gone. */
  stopped(): boolean;
  /** Set by a race while it runs: ends it at once (the consumer left). */
  stopRace: (() => void) | null;
}

/** How a race ended. @internal */
export type RaceEnd<C> =
  /** `runner` sent content (`chunk`), ended without any (`ended`), or held too much (`full`). */
  | {
      readonly kind: 'won';
      readonly runner: Runner<C>;
      readonly chunk?: C | undefined;
      readonly ended: boolean;
    }
  /** A caller's error: the consumer gets it as it is. */
  | { readonly kind: 'thrown'; readonly error: unknown }
  /** Every level failed before content. */
  | { readonly kind: 'exhausted' }
  /** The consumer left. */
  | { readonly kind: 'stopped' };

/**
 * Races levels from `from` to the first content chunk. The first level starts at once; each time
 * the newest has sent no content for the hedge delay, the next starts beside it (at most `max`
 * extra, each taking a token of the budget); when a running level fails, the next starts at once
 * beside any still running, as in a promise chain (a last resort only once none is running). The first content chunk (or a normal end) wins; the others are
 * aborted and recorded `cancelled`. Each level's preamble is held apart, and only the winner's is
 * delivered. `held` is capped at `maxHeld` chunks per level, after which that level wins.
 *
 * A hedge its breaker refuses (open, or half-open at its trial limit: such a level never gets
 * hedged traffic beyond its limit) is recorded `rejected`, and the same hedge moves on at once to
 * the level after it, without another token or another of `max`, as in a promise chain. As
 * there, an unguarded level (a last resort) is never started as a hedge: only once every level
 * before it has failed.
 *
 * A level started by the delay (a hedge, not one started after a failure) is counted at its
 * breaker as a hedge `started` once its breaker admitted it (its first `next()` settled other
 * than by a refusal, or the race ended while it ran), and `won` when it wins: the same counts,
 * `hedge` events and metrics as a promise chain's hedges ({@link noteHedge}).
 * @internal
 */
export function raceToContent<C>(
  host: RaceHost<C>,
  from: number,
  hedge: HedgePlan,
  maxHeld: number,
): Promise<RaceEnd<C>> {
  hedge.budget.onCall();
  return new Promise((resolve) => {
    const running = new Set<Runner<C>>();
    /** Hedged runners not yet counted `started`: waiting for their breaker's admission. */
    const admitting = new Set<Runner<C>>();
    /** Hedged runners counted `started`. */
    const hedged = new Set<Runner<C>>();
    let next = from;
    let hedges = 0;
    let over = false;
    let timer: ReturnType<typeof setTimeout> | null = null;

    const end = (result: RaceEnd<C>, winner?: Runner<C>): void => {
      if (over) return;
      over = true;
      host.stopRace = null;
      if (timer !== null) clearTimeout(timer);
      // Still running, so admitted (a refusal would have ended it): counted before it loses.
      for (const runner of admitting) if (running.has(runner)) admitted(runner);
      for (const runner of running) if (runner !== winner) host.cancelRunner(runner);
      running.clear();
      resolve(result);
    };
    const arm = (): void => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (next >= host.levelCount || hedges >= hedge.options.max || !host.guarded(next)) return;
      // The delay after level i started is learnt from level i's times to first content.
      timer = setTimeout(onDelay, hedge.delayOf(next - 1));
      timer.unref?.();
    };
    const onDelay = (): void => {
      timer = null;
      if (over || next >= host.levelCount || !hedge.budget.take()) return;
      hedges++;
      start(true);
    };
    const admitted = (runner: Runner<C>): void => {
      if (!admitting.delete(runner)) return;
      hedged.add(runner);
      noteHedge(runner.breaker!, 'started');
    };
    const start = (asHedge = false): void => {
      const runner = host.makeRunner(next++);
      running.add(runner);
      if (asHedge && runner.breaker !== null) admitting.add(runner);
      arm();
      void pump(runner);
    };
    const pump = async (runner: Runner<C>): Promise<void> => {
      for (;;) {
        let result: IteratorResult<C>;
        try {
          result = await runner.stream.next();
        } catch (error) {
          // A hedge its breaker refused never started: the hedge moves on to the level after it.
          const refusedHedge = admitting.has(runner) && refusedBy(runner, error);
          if (admitting.has(runner) && !refusedHedge) admitted(runner);
          admitting.delete(runner);
          if (over) return;
          running.delete(runner);
          if (host.stopped()) return end({ kind: 'stopped' });
          if (!host.failedRunner(runner, error)) return end({ kind: 'thrown', error });
          if (refusedHedge && next < host.levelCount && host.guarded(next)) return start(true);
          // A failure starts the next level at once, even beside others still running (no token,
          // not one of `max`), as in a promise chain; a last resort waits until nothing runs.
          if (next < host.levelCount && (host.guarded(next) || running.size === 0)) return start();
          if (running.size === 0) return end({ kind: 'exhausted' });
          return;
        }
        admitted(runner);
        if (over) return;
        if (host.stopped()) return end({ kind: 'stopped' });
        if (result.done === true) return win(runner, undefined, true);
        const chunk = result.value;
        if (host.isContent(runner.index, chunk)) return win(runner, chunk, false);
        runner.held.push(chunk);
        if (runner.held.length >= maxHeld) return win(runner, undefined, false);
      }
    };
    const win = (runner: Runner<C>, chunk: C | undefined, ended: boolean): void => {
      const clock = runner.breaker?.options.clock;
      hedge.answered(runner.index, (clock === undefined ? Date.now() : clock.now()) - runner.start);
      if (hedged.has(runner)) noteHedge(runner.breaker!, 'won');
      const won: RaceEnd<C> =
        chunk === undefined
          ? { kind: 'won', runner, ended }
          : { kind: 'won', runner, chunk, ended };
      end(won, runner);
    };
    host.stopRace = () => end({ kind: 'stopped' });
    start();
  });
}

/** Whether `error` is `runner`'s own breaker refusing it (open, or at capacity): never started. */
function refusedBy<C>(runner: Runner<C>, error: unknown): boolean {
  const name = runner.breaker?.name;
  return (isCircuitOpenError(error) || isCapacityExceededError(error)) && error.breaker === name;
}
