/**
 * The floor under a timed call: what any wrapper pays that must reject its caller at a deadline
 * while `fn` runs on. It cannot hand back `fn`'s own promise, so it makes one of its own (and its
 * resolving functions), puts one reaction on `fn`'s, and the caller resumes a microtask later
 * than after a bare `await fn()`. "owned promise" does exactly that and nothing else: no counters,
 * no signal, no deadline. breakwater's timed success beside it shows what its bookkeeping adds.
 */
import { Breaker } from '../lib/index.js';
import { ok } from './contenders.js';
import { CHECK_EVERY, fmt, measure, spent, table, type Contender } from './harness.js';

/** Where the shared executor leaves the settlers: no closure per call, as breakwater does. */
const settlers = { resolve: (_: number): void => {}, reject: (_: unknown): void => {} };
function capture(resolve: (value: number) => void, reject: (error: unknown) => void): void {
  settlers.resolve = resolve;
  settlers.reject = reject;
}

function loop(name: string, call: () => Promise<unknown>): Contender {
  return {
    name,
    async run(n, budget) {
      let i = 0;
      for (; i < n; i++) {
        await call();
        if (i % CHECK_EVERY === 0 && spent(budget)) return i + 1;
      }
      return i;
    },
  };
}

/** Bare, the owned-promise floor and breakwater with a 30 s timeout; rows for the report. */
export async function benchTimedFloor(n: number, rounds: number): Promise<string[][]> {
  let counted = 0;
  const owned = (): Promise<number> => {
    const promise = new Promise<number>(capture);
    const { resolve, reject } = settlers;
    ok().then(
      (value) => {
        counted++;
        resolve(value);
      },
      (error: unknown) => {
        counted--;
        reject(error);
      },
    );
    return promise;
  };
  const bw = new Breaker({ name: 'bench-floor', timeout: 30_000 });
  const result = await measure(
    [loop('bare', ok), loop('owned promise', owned), loop('breakwater', () => bw.execute(ok))],
    n,
    rounds,
  );
  if (counted <= 0) throw new Error('bench: the owned-promise contender never ran');
  const bare = result.get('bare')!;
  const floor = result.get('owned promise')!;
  const rows = [['success, 30 s timeout: the floor', 'ns/call', 'x bare', 'x floor']];
  for (const [name, ns] of result)
    rows.push([name, fmt(ns), fmt(ns / bare, 2), fmt(ns / floor, 2)]);
  return rows;
}

/** The table, as `npm run bench` prints it. */
export async function renderTimedFloor(n: number, rounds: number): Promise<string> {
  return '## ' + table(await benchTimedFloor(n, rounds));
}
