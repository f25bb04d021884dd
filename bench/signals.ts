/**
 * What a call pays when its function listens to its signal (as `fetch` and the SDKs do): then a
 * signal is shared by a few calls only, and Node 20 takes 2–4 µs to make one. Beside cockatiel,
 * whose timeout makes a controller per call, and a bare call that makes nothing.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- cockatiel's merged policy types */
import type { IPolicy } from 'cockatiel';
import { Breaker } from '../lib/index.js';
import { CHECK_EVERY, measure, spent, type Contender } from './harness.js';
import { cockatiel } from './peers.js';
import type { Finding } from './engine.js';

const noop = (): void => {};
const listening = async (signal: AbortSignal): Promise<number> => {
  signal.addEventListener('abort', noop);
  return 1;
};

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

/** Success with a 30 s timeout, the function adding an abort listener per call; ratios to bare. */
export async function benchSignals(
  n: number,
  rounds: number,
): Promise<{ rows: string[][]; findings: Finding[] }> {
  const bw = new Breaker({ name: 'bench-listening', timeout: 30_000 });
  const c: IPolicy<any, any> = cockatiel({ failureThreshold: 5, timeout: 30_000 });
  const bareSignal = new AbortController().signal;
  const result = await measure(
    [
      loop('bare', () => listening(bareSignal)),
      loop('breakwater', () => bw.execute(listening)),
      loop('cockatiel', () => c.execute(({ signal }) => listening(signal))),
    ],
    n / 20,
    rounds,
  );
  const bare = result.get('bare')!;
  const rows = [['success, 30 s timeout, fn listens', 'ns/call', 'x bare']];
  for (const [name, ns] of result) rows.push([name, ns.toFixed(1), (ns / bare).toFixed(2)]);
  return {
    rows,
    findings: [
      {
        what: 'listening fn with timeout vs cockatiel',
        value: result.get('breakwater')! / result.get('cockatiel')!,
        target: 1,
        unit: 'x',
      },
    ],
  };
}
