import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadReport, ReplicaCommand, ReplicaState } from './fleet-replica.js';

/** Replica processes forked from fleet-replica.js, each with its own RedisStore on one Redis. */
export interface ForkedFleet {
  readonly size: number;
  ask(replica: number, command: ReplicaCommand): Promise<unknown>;
  state(replica: number, name: string): Promise<ReplicaState>;
  states(name: string): Promise<ReplicaState[]>;
  load(
    replica: number,
    name: string,
    options: { ms: number; calls: number; failRate: number; trialMs: number },
  ): Promise<LoadReport>;
  /** Polls (every 5 ms, at most `withinMs`) until every replica holds one state; returns it. */
  converged(name: string, withinMs?: number): Promise<ReplicaState>;
  close(): Promise<void>;
}

/** Whether every replica holds the same write. */
export function agree(states: readonly ReplicaState[]): boolean {
  return states.every((s) => s.stamp === states[0]!.stamp && s.state === states[0]!.state);
}

/** Forks `size` replicas on the Redis at `port`, under `keyPrefix`, and waits until all are ready. */
export async function forkFleet(
  size: number,
  port: number,
  keyPrefix: string,
): Promise<ForkedFleet> {
  const script = fileURLToPath(new URL('./fleet-replica.js', import.meta.url));
  const children: ChildProcess[] = [];
  const waiting = new Map<number, (result: unknown) => void>();
  let ids = 0;
  const ready: Promise<unknown>[] = [];
  for (let i = 0; i < size; i++) {
    const child = fork(script, [String(port), keyPrefix], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    ready.push(
      new Promise((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`replica ${i} exited with ${code}`)));
        const first = (message: { id: number }): void => {
          if (message.id !== 0) return;
          child.off('message', first);
          resolve(null);
        };
        child.on('message', first);
      }),
    );
    child.on('message', (message: { id: number; result: unknown }) => {
      const settle = waiting.get(message.id);
      waiting.delete(message.id);
      settle?.(message.result);
    });
  }
  await Promise.all(ready);
  const ask = (replica: number, command: ReplicaCommand): Promise<unknown> =>
    new Promise((resolve) => {
      const id = ++ids;
      waiting.set(id, resolve);
      children[replica]!.send({ ...command, id });
    });
  const fleet: ForkedFleet = {
    size,
    ask,
    state: (replica, name) => ask(replica, { cmd: 'state', name }) as Promise<ReplicaState>,
    states: (name) => Promise.all(children.map((_, i) => fleet.state(i, name))),
    load: (replica, name, options) =>
      ask(replica, { cmd: 'load', name, ...options }) as Promise<LoadReport>,
    async converged(name, withinMs = 5_000) {
      const deadline = Date.now() + withinMs;
      for (;;) {
        const states = await fleet.states(name);
        if (agree(states)) return states[0]!;
        if (Date.now() > deadline) {
          throw new Error(`replicas still split after ${withinMs} ms: ${JSON.stringify(states)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      await Promise.all(
        children.map(
          (child, i) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
              child.removeAllListeners('exit');
              child.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              void ask(i, { cmd: 'exit' });
            }),
        ),
      );
    },
  };
  return fleet;
}

/** Sums trial calls per half-open period over every replica's load report. */
export function trialsPerPeriod(reports: readonly LoadReport[]): Map<string, number> {
  const total = new Map<string, number>();
  for (const report of reports) {
    for (const [period, n] of Object.entries(report.trials)) {
      total.set(period, (total.get(period) ?? 0) + n);
    }
  }
  return total;
}
