import { expect } from 'chai';
import {
  isCircuitOpenError,
  type Breaker,
  type BreakerOptions,
  type BreakerRegistry,
  type StateChangeEvent,
} from '../../lib/index.js';
import { ManualClock, fail503, rejection, repeat, succeed } from '../breaker/helpers.js';

/** Two replicas of one service on one shared store, however it is made. */
export interface Fleet {
  readonly clock: ManualClock;
  readonly a: BreakerRegistry;
  readonly b: BreakerRegistry;
  /** Resolves when every store has been answered for all it sent (at once for memory). */
  settle(): Promise<void>;
  /** A third replica joining now, on the same shared state. */
  join(): Promise<BreakerRegistry>;
  /** Closes the registries and stores it made. */
  close(): Promise<void>;
}

/** Makes a fleet whose breakers start from `defaults`. */
export type MakeFleet = (defaults: BreakerOptions) => Promise<Fleet>;

/**
 * Waits until `condition` holds, polling for at most `withinMs` of real time: for changes that
 * travel through real I/O (Redis pub/sub). A store answering synchronously passes at once.
 */
export async function eventually(condition: () => boolean, withinMs = 3_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition still false after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Starts a call on `breaker` that runs until `finish()` is called, asking again (after the stores
 * settle) while it is refused: a networked store may refuse while it claims a trial permit.
 */
export async function admitTrial(
  breaker: Breaker,
  settle: () => Promise<void>,
): Promise<{ finish: () => void; done: Promise<string> }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    let finish!: () => void;
    let started!: () => void;
    const running = new Promise<'started'>((resolve) => (started = () => resolve('started')));
    const done = breaker.execute(() => {
      started();
      return new Promise<string>((resolve) => (finish = () => resolve('ok')));
    });
    const refused = done.then(
      () => false,
      (error: unknown) => isCircuitOpenError(error),
    );
    await settle();
    // admitted (perhaps after waiting for its replica's claim) or refused, whichever comes first
    if ((await Promise.race([running, refused])) === 'started') return { finish, done };
    expect(await refused).to.equal(true);
  }
  throw new Error('no trial was admitted');
}

/** The fleet behaviours every {@link StateStore} keeps, run against the store `make` builds. */
export function fleetBehaviours(make: MakeFleet): void {
  const fleets: Fleet[] = [];
  const fleet = async (options: BreakerOptions = {}): Promise<Fleet> => {
    const clock = new ManualClock(1_000);
    const made = await make({
      failureThreshold: 2,
      resetTimeout: 10_000,
      timeout: false,
      clock: clock,
      ...options,
    });
    const f = { ...made, clock };
    fleets.push(made);
    return f;
  };
  afterEach(async () => {
    await Promise.all(fleets.splice(0).map((f) => f.close()));
  });

  it("opens every replica's breaker when one replica trips, with the same open-until", async () => {
    const { a, b } = await fleet();
    const remote: StateChangeEvent[] = [];
    b.get('openai').on('stateChange', (e) => remote.push(e));
    await repeat(a.get('openai'), 2, fail503);
    expect(a.get('openai').state).to.equal('open');
    await eventually(() => b.get('openai').state === 'open');
    expect(b.get('openai').snapshot().openUntil).to.equal(a.get('openai').snapshot().openUntil);
    expect(remote).to.have.length(1);
    expect(remote[0]).to.include({ to: 'open', remote: true, reason: 'consecutive_failures' });
  });

  it('keeps counts local: failures on two replicas do not add up to a trip', async () => {
    const { a, b, settle } = await fleet();
    await repeat(a.get('openai'), 1, fail503);
    await repeat(b.get('openai'), 1, fail503);
    await settle();
    expect(a.get('openai').state).to.equal('closed');
    expect(b.get('openai').state).to.equal('closed');
  });

  it('gives the fleet halfOpenMaxCalls trial permits, not each replica', async () => {
    const { clock, a, b, settle } = await fleet({ halfOpenMaxCalls: 1 });
    const bMoves: StateChangeEvent[] = [];
    b.get('openai').on('stateChange', (e) => bMoves.push(e));
    await repeat(a.get('openai'), 2, fail503);
    await eventually(() => bMoves.some((e) => e.to === 'open'));
    clock.advance(10_000);
    const trial = await admitTrial(a.get('openai'), settle);
    // every replica moves to half-open at the shared openUntil, in the same period
    expect(b.get('openai').state).to.equal('half_open');
    expect(isCircuitOpenError(await rejection(b.get('openai').execute(succeed)))).to.equal(true);
    await settle();
    expect(isCircuitOpenError(await rejection(b.get('openai').execute(succeed)))).to.equal(true);
    trial.finish();
    expect(await trial.done).to.equal('ok');
    expect(a.get('openai').state).to.equal('closed');
    await eventually(() => b.get('openai').state === 'closed');
    // the permit went back with the close: a replica still half-open cannot take it
    expect(bMoves.map((e) => e.to)).to.deep.equal(['open', 'half_open', 'closed']);
  });

  it('shares an operator’s isolate and reset', async () => {
    const { a, b } = await fleet();
    a.get('openai');
    b.get('openai');
    a.get('openai').isolate();
    await eventually(() => b.get('openai').state === 'isolated');
    b.reset('openai');
    await eventually(() => a.get('openai').state === 'closed');
  });

  it('lets a replica that joins late adopt the shared state', async () => {
    const { a, settle, join } = await fleet({ failureThreshold: 1 });
    await repeat(a.get('openai'), 1, fail503);
    await settle();
    const late = await join();
    expect(late.get('openai').state).to.equal('open');
  });
}
