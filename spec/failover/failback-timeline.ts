/**
 * The priority-and-failback story users care about most, replayed second by second with fake
 * timers, for any chain of a `primary` and a `backup` provider (failover() or decorators).
 *
 * T=0 s     one user call per second; the primary serves them all.
 * T=10 s    the primary goes down: its calls hang until the breaker's 2 s timeout, and the backup
 *           answers each of them.
 * T=16 s    the 5th timeout (the call of T=14 s) opens the primary's circuit: from this call on the
 *           primary is skipped and the backup serves at once, through T=75 s.
 * T=60 s    the primary recovers, unnoticed: its circuit is open and nobody calls it.
 * T=76 s    60 s after opening, the call of T=76 s is the trial; it succeeds and closes the circuit.
 * T=77 s+   the primary serves again.
 */
import type { Clock } from '@sinonjs/fake-timers';
import { expect } from 'chai';
import type { Attempt, BreakerRegistry, StateChangeEvent } from '../../lib/index.js';

/** The primary's switch and its call log, shared by the chain under test. */
export class TimelinePrimary {
  down = false;
  /** The second (since the start) of every call that reached the primary. */
  readonly calledAt: number[] = [];

  constructor(private readonly start: number) {}

  /** Call this from the primary's implementation: answers, or hangs while down. */
  answer(prompt: string, signal?: AbortSignal): Promise<string> {
    this.calledAt.push(Math.round((Date.now() - this.start) / 1000));
    if (!this.down) return Promise.resolve(`primary:${prompt}`);
    return new Promise<string>((_, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
  }
}

/** The breaker options of the primary in this timeline. */
export const PRIMARY_OPTIONS = {
  timeout: 2_000,
  failureThreshold: 5,
  resetTimeout: 60_000,
} as const;

/** One user call of the timeline. */
export interface TimelineCall {
  readonly at: number;
  readonly value: string | undefined;
  readonly error: unknown;
  readonly servedBy: string | null;
  readonly attempts: readonly Attempt[];
}

/** What happened: every user call, and the primary breaker's moves (second, to). */
export interface TimelineReport {
  readonly calls: TimelineCall[];
  readonly moves: [number, string][];
  readonly primary: TimelinePrimary;
}

/**
 * Plays the timeline: `call(prompt)` is the chain under test, run inside `withOutcome` by
 * `observe`; `registry` holds the chain's breakers.
 */
export async function replayFailbackTimeline(
  clock: Clock,
  registry: BreakerRegistry,
  primary: TimelinePrimary,
  observe: (
    prompt: string,
  ) => Promise<{ value: string; servedBy: string | null; attempts: readonly Attempt[] }>,
  start: number,
): Promise<TimelineReport> {
  const moves: [number, string][] = [];
  const subscription = registry.on('stateChange', (event: StateChangeEvent) => {
    if (event.breaker === 'primary') moves.push([Math.round((event.at - start) / 1000), event.to]);
  });
  const pending: Promise<TimelineCall>[] = [];
  for (let at = 0; at <= 90; at++) {
    if (at === 10) primary.down = true;
    if (at === 60) primary.down = false;
    pending.push(
      observe(`t${at}`).then(
        (outcome) => ({
          at,
          value: outcome.value,
          error: undefined,
          servedBy: outcome.servedBy,
          attempts: outcome.attempts,
        }),
        (error: unknown) => ({ at, value: undefined, error, servedBy: null, attempts: [] }),
      ),
    );
    await clock.tickAsync(1_000);
  }
  await clock.tickAsync(5_000);
  const calls = await Promise.all(pending);
  subscription.dispose();
  return { calls, moves, primary };
}

/** The assertions of the story, the same for every way of building the chain. */
export function expectFailback({ calls, moves, primary }: TimelineReport): void {
  // Nobody ever saw an error, before or after the circuit opened.
  expect(
    calls.filter((c) => c.error !== undefined).map((c) => [c.at, String(c.error)]),
  ).to.deep.equal([]);
  // The circuit opened at T=16 s, admitted the trial at T=76 s, and the trial closed it.
  expect(moves).to.deep.equal([
    [16, 'open'],
    [76, 'half_open'],
    [76, 'closed'],
  ]);
  // The primary was called up to T=15 s, not once while open, then from the trial on.
  const expectedCalls = [...range(0, 15), ...range(76, 90)];
  expect(primary.calledAt).to.deep.equal(expectedCalls);
  for (const call of calls) {
    // Every call starts at the highest-priority provider: the primary's breaker is asked first.
    expect(call.attempts[0]?.name, `T=${call.at}s first attempt`).to.equal('primary');
    const expected = expectedAt(call.at);
    expect(call.servedBy, `T=${call.at}s servedBy`).to.equal(expected.servedBy);
    expect(call.value, `T=${call.at}s value`).to.equal(`${expected.servedBy}:t${call.at}`);
    expect(
      call.attempts.map((a) => `${a.name}:${a.outcome}`),
      `T=${call.at}s attempts`,
    ).to.deep.equal(expected.attempts);
  }
  // While the primary hung, users waited for its timeout; once open, the backup answered at once.
  const slow = calls.find((c) => c.at === 12)!;
  expect(slow.attempts[0]!.durationMs).to.equal(2_000);
  const fast = calls.find((c) => c.at === 40)!;
  expect(fast.attempts.map((a) => a.durationMs)).to.deep.equal([0, 0]);
}

function expectedAt(at: number): { servedBy: string; attempts: string[] } {
  if (at < 10 || at >= 76) return { servedBy: 'primary', attempts: ['primary:success'] };
  if (at <= 15) return { servedBy: 'backup', attempts: ['primary:timeout', 'backup:success'] };
  return { servedBy: 'backup', attempts: ['primary:rejected', 'backup:success'] };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
