/**
 * `npm run build && node dist/bench/fleet.js`: the fleet figures of docs/redis.md, on 4 replica
 * processes (spec/adapters/redis/fleet-replica.ts) sharing one redis-server started for the run.
 *
 * - propagation: from a move on one replica to each other replica hearing it (p50, p99);
 * - rounds split: 1,000 rounds of conflicting moves made at once on all 4 replicas (10 breakers
 *   at a time), replicas that disagree 100 ms later, and 1 s later;
 * - extra trials: provider calls past halfOpenMaxCalls (2) in one half-open period, over at
 *   least 1,000 periods of a flaky provider, with the claims sent per period;
 * - time to close: from a recovered provider's trial starting (it takes up to 20 ms) to the last
 *   replica closed.
 *
 * Timings are wall-clock on whatever machine runs it: treat them as rough. FLEET_QUICK=1 runs a
 * tenth of it.
 */
import type { HeardMove, LoadReport, ReplicaState } from '../spec/adapters/redis/fleet-replica.js';
import { agree, forkFleet, trialsPerPeriod } from '../spec/adapters/redis/forked-fleet.js';
import { redisServer } from '../spec/adapters/redis/redis-server.js';
import { fmt, table } from './harness.js';

type Move = 'trip' | 'isolate' | 'reset' | 'disable';
const MOVES: Move[] = ['trip', 'isolate', 'reset', 'disable'];
const quick = process.env['FLEET_QUICK'] === '1';
const scale = quick ? 0.1 : 1;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const server = await redisServer();
await server.start();
const fleet = await forkFleet(4, server.port, 'bench:');
const everyone = [0, 1, 2, 3];
const drain = async (): Promise<HeardMove[][]> =>
  (await Promise.all(everyone.map((i) => fleet.ask(i, { cmd: 'events' })))) as HeardMove[][];

let maxInFlight = 0;
try {
  // 1. propagation
  const propagation: number[] = [];
  await drain();
  for (let i = 0; i < 300 * scale; i++) {
    const mover = i % 4;
    const move: Move = i % 2 === 0 ? 'isolate' : 'reset';
    const made = (await fleet.ask(mover, { cmd: 'move', name: 'propagation', move })) as {
      at: number;
    };
    await fleet.converged('propagation');
    const heard = await drain();
    for (const [replica, moves] of heard.entries()) {
      if (replica === mover) continue;
      const seen = moves.find((m) => m.name === 'propagation' && m.remote);
      if (seen !== undefined) propagation.push(seen.at - made.at);
    }
  }

  // 2. conflicting rounds: 10 breakers at a time, 100 ms after the moves
  const names = Array.from({ length: 10 }, (_, i) => `round-${i}`);
  let rounds = 0;
  let split = 0;
  let stillSplit = 0;
  for (let batch = 0; batch < 100 * scale; batch++) {
    const perReplica = everyone.map(() => [] as { name: string; move: Move }[]);
    for (const name of names) {
      const moves = everyone.map(() => MOVES[Math.floor(Math.random() * MOVES.length)]!);
      if (moves.every((m) => m === moves[0])) moves[0] = moves[0] === 'reset' ? 'isolate' : 'reset';
      moves.forEach((move, i) => perReplica[i]!.push({ name, move }));
    }
    await Promise.all(everyone.map((i) => fleet.ask(i, { cmd: 'moves', moves: perReplica[i]! })));
    await sleep(100);
    const states = (await Promise.all(
      everyone.map((i) => fleet.ask(i, { cmd: 'states', names })),
    )) as ReplicaState[][];
    const splitNames = names.filter((_, n) => !agree(states.map((s) => s[n]!)));
    rounds += names.length;
    split += splitNames.length;
    if (splitNames.length > 0) {
      if (process.env['FLEET_DEBUG'] === '1') {
        for (const name of splitNames)
          console.error(
            'at 100 ms',
            name,
            JSON.stringify(states.map((s) => s[names.indexOf(name)])),
          );
      }
      await sleep(1_000);
      const later = (await Promise.all(
        everyone.map((i) => fleet.ask(i, { cmd: 'states', names: splitNames })),
      )) as ReplicaState[][];
      splitNames.forEach((name, n) => {
        if (!agree(later.map((s) => s[n]!))) {
          stillSplit++;
          if (process.env['FLEET_DEBUG'] === '1')
            console.error(
              name,
              JSON.stringify(states.map((s) => s[names.indexOf(name)])),
              JSON.stringify(later.map((s) => s[n])),
            );
        }
      });
    }
  }
  await drain();

  // 3. trials of a flaky provider, 10 breakers at a time, until 1,000 periods
  const reports: LoadReport[] = [];
  const trafficOf = async (): Promise<number> => {
    const traffic = (await Promise.all(everyone.map((i) => fleet.ask(i, { cmd: 'traffic' })))) as {
      claims: number;
      maxClaimsInFlight: number;
    }[];
    maxInFlight = Math.max(maxInFlight, ...traffic.map((t) => t.maxClaimsInFlight));
    return traffic.reduce((sum, t) => sum + t.claims, 0);
  };
  const claimsBefore = await trafficOf();
  const flaky = Array.from({ length: 10 }, (_, i) => `flaky-${i}`);
  while (trialsPerPeriod(reports).size < 1_000 * scale) {
    const runs = everyone.flatMap((i) =>
      flaky.map((name) =>
        fleet.load(i, name, { ms: 2_000, calls: 200, failRate: 0.7, trialMs: 10 }),
      ),
    );
    reports.push(...(await Promise.all(runs)));
  }
  const claims = (await trafficOf()) - claimsBefore;
  const periods = trialsPerPeriod(reports);
  let extra = 0;
  for (const n of periods.values()) extra += Math.max(0, n - 2);
  const strange = reports.reduce((sum, r) => sum + r.strange.length, 0);
  await drain();

  // 4. time to close after recovery: the trial takes 20 ms
  const toClose: number[] = [];
  for (let i = 0; i < 20 * scale + 2; i++) {
    const name = `recovery-${i}`;
    await fleet.ask(0, { cmd: 'move', name, move: 'trip' });
    await fleet.converged(name);
    await sleep(50); // resetTimeout is 40 ms
    await drain();
    const report = await fleet.load(1 + (i % 3), name, {
      ms: 20,
      calls: 2,
      failRate: 0,
      trialMs: 20,
    });
    await fleet.converged(name);
    const heard = (await drain()).map((moves) =>
      moves.filter((m) => m.name === name && m.to === 'closed'),
    );
    const start = Math.min(...Object.values(report.trialTimes).map(([from]) => from));
    const closedAt = Math.max(...heard.map((moves) => moves[0]?.at ?? NaN));
    if (Number.isFinite(closedAt - start)) toClose.push(closedAt - start);
  }

  console.log(`# fleet: 4 replica processes, one redis-server, node ${process.version}\n`);
  console.log(
    table([
      ['figure', 'measured'],
      [
        `propagation of a move (${propagation.length} deliveries)`,
        `p50 ${fmt(percentile(propagation, 50), 2)} ms, p99 ${fmt(percentile(propagation, 99), 2)} ms`,
      ],
      [
        `rounds of conflicting moves split 100 ms later (1 s later)`,
        `${split} of ${rounds} (${stillSplit})`,
      ],
      [
        `extra trials (halfOpenMaxCalls 2)`,
        `${extra} in ${periods.size} periods; worst period ${Math.max(...periods.values())} calls`,
      ],
      [`claims sent per half-open period (4 replicas)`, fmt(claims / periods.size, 2)],
      [`calls failed by anything but the provider or a refusal`, String(strange)],
      [`most claims in flight at once, per breaker per replica`, String(maxInFlight)],
      [
        `time to close after recovery (trial takes up to 20 ms; ${toClose.length} runs)`,
        `p50 ${fmt(percentile(toClose, 50), 1)} ms, max ${fmt(Math.max(...toClose), 1)} ms (trialTtlMs 30000)`,
      ],
    ]),
  );
} finally {
  await fleet.close();
  await server.dispose();
}
