/**
 * One replica of the forked fleet (spec/adapters/redis/redis-fleet.spec.ts, bench/fleet.ts): a
 * process of its own with a registry on a RedisStore, driven over IPC by the parent.
 *
 * argv: redis port, key prefix. Every message `{ id, cmd, ... }` is answered `{ id, result }`.
 */
import { Redis } from 'ioredis';
import { RedisStore } from '../../../adapters/redis/index.js';
import { CLAIM_TRIAL } from '../../../adapters/redis/lua-scripts.js';
import { BreakerRegistry, stampKey, type Breaker } from '../../../lib/index.js';

/** What the parent may ask. */
export type ReplicaCommand =
  | { cmd: 'move'; name: string; move: 'trip' | 'isolate' | 'reset' | 'disable' }
  | { cmd: 'state'; name: string }
  | { cmd: 'moves'; moves: { name: string; move: 'trip' | 'isolate' | 'reset' | 'disable' }[] }
  | { cmd: 'states'; names: string[] }
  | { cmd: 'events' }
  | { cmd: 'load'; name: string; ms: number; calls: number; failRate: number; trialMs: number }
  | { cmd: 'traffic' }
  | { cmd: 'exit' };

/** A replica's state of one breaker, as the parent compares them. */
export interface ReplicaState {
  state: string;
  stamp: string;
  /** Epoch ms when it last moved. */
  changedAt: number;
}

/** A move another replica made, as this one heard it: when (epoch ms, sub-ms precision). */
export interface HeardMove {
  name: string;
  to: string;
  remote: boolean;
  at: number;
}

/** Epoch ms with sub-ms precision, comparable across processes on one machine. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/**
 * What a `load` run saw: provider calls per half-open period (`<breaker>@<term>.<version>.<origin>`),
 * and calls that failed otherwise.
 */
export interface LoadReport {
  trials: Record<string, number>;
  calls: number;
  /** Calls that failed with something other than the provider's error or a refusal. */
  strange: string[];
  /** When each period's first trial started, and when its last ended (epoch ms). */
  trialTimes: Record<string, [number, number]>;
}

const [portArg, keyPrefix = 'fleet:'] = process.argv.slice(2);
const redis = new Redis(Number(portArg), '127.0.0.1', {
  retryStrategy: () => 20,
  maxRetriesPerRequest: 1,
});
redis.on('error', () => undefined);

// Counts CLAIM scripts in flight per breaker, to check that a replica never has two.
const inFlight = new Map<string, number>();
let maxClaimsInFlight = 0;
const evalOriginal = redis.eval.bind(redis) as (...args: unknown[]) => Promise<unknown>;
(redis as unknown as { eval: (...args: unknown[]) => Promise<unknown> }).eval = (...args) => {
  if (args[0] !== CLAIM_TRIAL) return evalOriginal(...args);
  const key = String(args[2]);
  const now = (inFlight.get(key) ?? 0) + 1;
  inFlight.set(key, now);
  maxClaimsInFlight = Math.max(maxClaimsInFlight, now);
  const reply = evalOriginal(...args);
  const done = (): void => void inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
  reply.then(done, done);
  return reply;
};

const store = await RedisStore.connect({ redis, keyPrefix, onError: () => undefined });
const registry = new BreakerRegistry({
  store,
  defaults: {
    failureThreshold: 1,
    resetTimeout: 40,
    halfOpenMaxCalls: 2,
    timeout: false,
  },
});

const heard: HeardMove[] = [];
registry.on('stateChange', (e) => {
  heard.push({ name: e.breaker, to: e.to, remote: e.remote, at: preciseNow() });
});

async function move(name: string, kind: 'trip' | 'isolate' | 'reset' | 'disable') {
  const breaker = registry.get(name);
  const at = preciseNow();
  if (kind === 'trip') {
    await breaker
      .execute(async () => {
        throw new ProviderError('down');
      })
      .catch(() => undefined);
  } else {
    breaker[kind]();
  }
  return { ...stateOf(breaker), at };
}

class ProviderError extends Error {
  status = 503;
}

function stateOf(breaker: Breaker): ReplicaState {
  const kind = breaker.state;
  return {
    state: kind,
    stamp: stampKey(breaker.circuit.stamped),
    changedAt: breaker.circuit.current.since,
  };
}

/** Runs `calls` calls spread over `ms`, each failing with `failRate`, taking up to `trialMs`. */
async function load(
  breaker: Breaker,
  ms: number,
  calls: number,
  failRate: number,
  trialMs: number,
): Promise<LoadReport> {
  const report: LoadReport = { trials: {}, calls: 0, strange: [], trialTimes: {} };
  const running: Promise<unknown>[] = [];
  const gap = ms / calls;
  for (let i = 0; i < calls; i++) {
    const call = breaker.execute(async () => {
      report.calls++;
      const circuit = breaker.circuit;
      const period =
        circuit.current.kind === 'half_open'
          ? `${breaker.name}@${stampKey(circuit.stamped)}`
          : null;
      if (period !== null) {
        report.trials[period] = (report.trials[period] ?? 0) + 1;
        const times = (report.trialTimes[period] ??= [Date.now(), Date.now()]);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * trialMs));
        times[1] = Math.max(times[1], Date.now());
      }
      if (Math.random() < failRate) throw new ProviderError('down');
      return 'ok';
    });
    running.push(
      call.catch((error: unknown) => {
        const code = (error as { code?: string }).code;
        if (!(error instanceof ProviderError) && code !== 'EOPENBREAKER')
          report.strange.push(String(error));
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, gap));
  }
  await Promise.all(running);
  return report;
}

process.on('message', (message: ReplicaCommand & { id: number }) => {
  const answer = async (): Promise<unknown> => {
    switch (message.cmd) {
      case 'move':
        return move(message.name, message.move);
      case 'moves':
        return Promise.all(message.moves.map((m) => move(m.name, m.move)));
      case 'states':
        return message.names.map((name) => stateOf(registry.get(name)));
      case 'events':
        return heard.splice(0);
      case 'state':
        return stateOf(registry.get(message.name));
      case 'load': {
        const { ms, calls, failRate, trialMs } = message;
        return load(registry.get(message.name), ms, calls, failRate, trialMs);
      }
      case 'traffic':
        return { ...store.traffic, maxClaimsInFlight, online: store.online };
      case 'exit':
        await registry.close(0);
        await store.close();
        redis.disconnect();
        setImmediate(() => process.exit(0));
        return null;
    }
  };
  void answer().then((result) => process.send!({ id: message.id, result }));
});
// A replica never outlives the process that forked it.
process.on('disconnect', () => process.exit(0));
process.send!({ id: 0, result: 'ready' });
