/**
 * A small benchmark harness: each case is a set of contenders measured in interleaved rounds
 * (contender order rotates every round so none always runs warm or cold), and the median of the
 * rounds is kept. Results are ns per call; ratios are taken against a baseline in the same run.
 */

/** One way of doing the thing a case measures. */
export interface Contender {
  readonly name: string;
  /**
   * Runs the operation up to `n` times, sequentially, stopping early once `budget` (from
   * {@link budget}) is spent; answers how many calls it made.
   */
  run(n: number, budget: Budget): Promise<number>;
}

/** A time budget a contender checks every {@link CHECK_EVERY} calls. */
export interface Budget {
  readonly until: bigint;
}

/** How often a contender's loop looks at the clock: rarely enough to cost nothing. */
export const CHECK_EVERY = 256;

/** Whether `budget` is spent. */
export function spent(budget: Budget): boolean {
  return process.hrtime.bigint() >= budget.until;
}

/** The most one contender may spend on one round: a peer whose cost explodes cannot stall the run. */
const ROUND_BUDGET_NS = 1_500_000_000n;

/** Median ns per call for each contender of a case. */
export type CaseResult = Map<string, number>;

/** Measures `contenders` over `rounds` rounds of `n` calls each, after one warm-up round. */
export async function measure(
  contenders: readonly Contender[],
  n: number,
  rounds: number,
): Promise<CaseResult> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (const c of contenders)
    await c.run(Math.min(n, 20_000), { until: process.hrtime.bigint() + ROUND_BUDGET_NS });
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + round) % contenders.length]!;
      const start = process.hrtime.bigint();
      const done = await c.run(n, { until: start + ROUND_BUDGET_NS });
      const ns = Number(process.hrtime.bigint() - start) / done;
      samples.get(c.name)!.push(ns);
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Formats a table with a header row; columns are padded to their widest cell. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!)))
        .join('  '),
    )
    .join('\n');
}

export function fmt(value: number, digits = 1): string {
  return value.toFixed(digits);
}

/** Forces a full collection; the bench runs with --expose-gc. */
export function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined)
    throw new Error('run the bench with node --expose-gc (npm run bench does)');
  collect();
  collect();
}
