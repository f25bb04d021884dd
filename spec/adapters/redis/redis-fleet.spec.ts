import { expect } from 'chai';
import type { LoadReport } from './fleet-replica.js';
import { forkFleet, trialsPerPeriod, type ForkedFleet } from './forked-fleet.js';
import { redisServer, type RedisServer } from './redis-server.js';

type Move = 'trip' | 'isolate' | 'reset' | 'disable';
const MOVES: Move[] = ['trip', 'isolate', 'reset', 'disable'];

/** A seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * The fleet invariants of issue 11, on 4 replica processes (fleet-replica.ts) sharing one real
 * redis-server: every replica a RedisStore of its own, moves and trials at random.
 */
describe('A fleet of 4 forked replicas on one redis-server', function () {
  this.timeout(60_000);
  const seed = Number(process.env['FLEET_SEED'] ?? 11);
  const rand = random(seed);
  let server: RedisServer;
  let fleet: ForkedFleet;

  before(async () => {
    server = await redisServer();
    await server.start();
    fleet = await forkFleet(4, server.port, 'fleet:');
  });
  after(async () => {
    await fleet?.close();
    await server?.dispose();
  });

  it(`converges after conflicting moves made at once on every replica (seed ${seed})`, async () => {
    const name = 'conflicts';
    await fleet.converged(name);
    for (let round = 0; round < 60; round++) {
      const moves = Array.from({ length: 4 }, () => MOVES[Math.floor(rand() * MOVES.length)]!);
      if (moves.every((m) => m === moves[0])) moves[0] = moves[0] === 'reset' ? 'isolate' : 'reset';
      const before = await fleet.state(0, name);
      const made = await Promise.all(
        moves.map((move, i) => fleet.ask(i, { cmd: 'move', name, move })),
      );
      const after = await fleet.converged(name, 3_000);
      // the fleet settles on one of the writes made in this round (or keeps the state before,
      // when no move applied), the same on every replica
      const stamps = [before, ...(made as { stamp: string }[])].map((s) => s.stamp);
      expect(stamps).to.include(after.stamp);
    }
  });

  it('admits at most halfOpenMaxCalls trials fleet-wide per half-open period, with bounded claims', async () => {
    const name = 'trials';
    const trafficBefore = (await Promise.all(
      [0, 1, 2, 3].map((i) => fleet.ask(i, { cmd: 'traffic' })),
    )) as { claims: number }[];
    const reports = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        fleet.load(i, name, { ms: 2_500, calls: 400, failRate: 0.7, trialMs: 10 }),
      ),
    );
    const traffic = (await Promise.all(
      [0, 1, 2, 3].map((i) => fleet.ask(i, { cmd: 'traffic' })),
    )) as {
      claims: number;
      maxClaimsInFlight: number;
    }[];
    const periods = trialsPerPeriod(reports);
    expect(periods.size).to.be.greaterThan(5);
    const worst = Math.max(...periods.values());
    expect(worst, 'provider calls in one half-open period').to.be.at.most(2);
    for (const report of reports) expect(report.strange).to.deep.equal([]);
    // one claim in flight per breaker per replica; a few claims per replica per period at most
    for (const t of traffic) expect(t.maxClaimsInFlight).to.equal(1);
    const claims = traffic.reduce((sum, t, i) => sum + t.claims - trafficBefore[i]!.claims, 0);
    expect(claims).to.be.at.most(4 * 3 * (periods.size + 1));
    // no permit leaked in all those periods: once the provider is back, the fleet closes
    for (let tries = 0; tries < 10; tries++) {
      await fleet.load(tries % 4, name, { ms: 100, calls: 10, failRate: 0, trialMs: 5 });
      if ((await fleet.state(tries % 4, name)).state === 'closed') break;
    }
    expect((await fleet.converged(name)).state).to.equal('closed');
  });

  it('closes every replica by the recovered provider’s trial, not by the permit lease', async () => {
    const name = 'recovery';
    await fleet.ask(0, { cmd: 'move', name, move: 'trip' });
    const open = await fleet.converged(name);
    expect(['open', 'half_open']).to.include(open.state); // half-open once its 40 ms are over
    await new Promise((resolve) => setTimeout(resolve, 60)); // resetTimeout is 40 ms
    // a trial runs (on a busy machine a claim may answer after a call's bounded wait: call again)
    let report = await fleet.load(1, name, { ms: 80, calls: 8, failRate: 0, trialMs: 20 });
    for (let tries = 0; Object.keys(report.trials).length === 0 && tries < 5; tries++) {
      report = await fleet.load(1, name, { ms: 80, calls: 8, failRate: 0, trialMs: 20 });
    }
    const closed = await fleet.converged(name);
    expect(closed.state).to.equal('closed');
    const [period] = Object.keys(report.trials);
    const [term, version] = period!.split('@')[1]!.split('.').map(Number);
    const [closedTerm, closedVersion] = closed.stamp.split('.').map(Number);
    // the close is the move from the trial's own period, written with its outcome
    expect([closedTerm, closedVersion]).to.deep.equal([term, version! + 1]);
    expect(closed.stamp.endsWith(open.stamp.split('.')[2]!)).to.equal(false); // replica 1 wrote it
  });

  it('keeps an operator’s move made during a Redis outage in force once Redis is back', async () => {
    const name = 'outage';
    await fleet.converged(name);
    await server.stop();
    for (;;) {
      const traffic = (await Promise.all(
        [0, 1, 2, 3].map((i) => fleet.ask(i, { cmd: 'traffic' })),
      )) as { online: boolean }[];
      if (traffic.every((t) => !t.online)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // replica 0 flaps through many automatic versions; replica 2's operator isolates once
    const flapping = fleet.load(0, name, { ms: 400, calls: 80, failRate: 0.6, trialMs: 5 });
    await fleet.ask(2, { cmd: 'move', name, move: 'isolate' });
    await fleet.ask(1, { cmd: 'move', name, move: 'trip' });
    const flapped: LoadReport = await flapping;
    expect(flapped.strange).to.deep.equal([]);
    const isolated = await fleet.state(2, name);
    await server.start();
    const after = await fleet.converged(name, 10_000);
    expect(after).to.deep.include({ state: 'isolated', stamp: isolated.stamp });
    // in force until the next operator move: automatic moves cannot undo it
    await fleet.ask(0, { cmd: 'move', name, move: 'trip' });
    expect((await fleet.converged(name)).state).to.equal('isolated');
    await fleet.ask(3, { cmd: 'move', name, move: 'reset' });
    expect((await fleet.converged(name)).state).to.equal('closed');
  });
});
