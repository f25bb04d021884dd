/**
 * `breakwater/opossum` beside opossum itself: the same `fire()` on the same options, for a
 * success, a failure, a refusal of an open breaker and a failure a fallback answers. Both run
 * with opossum's defaults (10 s timeout, percentiles on, snapshots on) except what a row needs:
 * the failure and fallback rows never open (`errorThresholdPercentage: 100`), the open row is
 * opened by hand with a reset timeout longer than the run.
 */
import Opossum from 'opossum';
import Facade from '../adapters/opossum/index.js';
import { CHECK_EVERY, fmt, measure, spent, table, type Contender } from './harness.js';

const ok = async (): Promise<number> => 1;
const boom = async (): Promise<never> => {
  throw new Error('boom');
};
const spare = (): number => 0;
const swallow = (): void => {};

/** What both contenders are: opossum's `fire()`. */
interface Fireable {
  fire(): Promise<unknown>;
}

function succeeding(name: string, b: Fireable): Contender {
  return {
    name,
    async run(n, budget) {
      let i = 0;
      for (; i < n; i++) {
        await b.fire();
        if (i % CHECK_EVERY === 0 && spent(budget)) return i + 1;
      }
      return i;
    },
  };
}

function rejecting(name: string, b: Fireable): Contender {
  return {
    name,
    async run(n, budget) {
      let i = 0;
      for (; i < n; i++) {
        await b.fire().catch(swallow);
        if (i % CHECK_EVERY === 0 && spent(budget)) return i + 1;
      }
      return i;
    },
  };
}

interface Row {
  readonly what: string;
  readonly make: () => { opossum: Opossum; breakwater: Facade };
  readonly contender: (name: string, b: Fireable) => Contender;
}

const never = { errorThresholdPercentage: 100 };
const ROWS: readonly Row[] = [
  {
    what: 'fire(): success',
    make: () => ({ opossum: new Opossum(ok), breakwater: new Facade(ok) }),
    contender: succeeding,
  },
  {
    what: 'fire(): failure',
    make: () => ({ opossum: new Opossum(boom, never), breakwater: new Facade(boom, never) }),
    contender: rejecting,
  },
  {
    what: 'fire(): open',
    make: () => {
      const pair = {
        opossum: new Opossum(ok, { resetTimeout: 1e9 }),
        breakwater: new Facade(ok, { resetTimeout: 1e9 }),
      };
      pair.opossum.open();
      pair.breakwater.open();
      return pair;
    },
    contender: rejecting,
  },
  {
    what: 'fire(): failure, fallback',
    make: () => ({
      opossum: new Opossum(boom, never).fallback(spare),
      breakwater: new Facade(boom, never).fallback(spare),
    }),
    contender: succeeding,
  },
];

/** The rows measured, as `[what, opossum ns, breakwater ns]`, and a table with the ratios. */
export async function benchOpossum(n: number, rounds: number, log: (line: string) => void) {
  const rows = [['breakwater/opossum vs opossum', 'opossum ns', 'facade ns', 'ratio', 'target']];
  for (const row of ROWS) {
    const pair = row.make();
    const result = await measure(
      [row.contender('opossum', pair.opossum), row.contender('breakwater', pair.breakwater)],
      n,
      rounds,
    );
    pair.opossum.shutdown();
    pair.breakwater.shutdown();
    const theirs = result.get('opossum')!;
    const ours = result.get('breakwater')!;
    const ratio = ours / theirs;
    rows.push([
      row.what,
      fmt(theirs),
      fmt(ours),
      `${fmt(ratio, 2)}x`,
      ratio <= 0.5 ? '<= 0.5x met' : '<= 0.5x MISSED',
    ]);
  }
  log(`## breakwater/opossum beside opossum (same options, same run)\n${table(rows)}\n`);
}
