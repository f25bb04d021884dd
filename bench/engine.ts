/**
 * The engine's hot paths beside opossum, cockatiel and a bare `await fn()`, in one run.
 */
import CircuitBreaker from 'opossum';
import { Breaker } from '../lib/index.js';
import { boom, failing, ok, succeeding } from './contenders.js';
import { fmt, gc, measure, table, type CaseResult } from './harness.js';
import { cockatiel, opossum } from './peers.js';

const swallow = (): void => {};

/** breakwater's cost in `result` as a multiple of `baseline`'s. */
function vs(result: CaseResult, baseline: string): number {
  return result.get('breakwater')! / result.get(baseline)!;
}

async function tripped(breaker: Breaker): Promise<Breaker> {
  for (let i = 0; i < 10 && breaker.state === 'closed'; i++)
    await breaker.execute(boom).catch(swallow);
  if (breaker.state !== 'open')
    throw new Error(`bench setup: breaker did not open (${breaker.state})`);
  return breaker;
}

/** One line of the report: a measured ratio and its target. */
export interface Finding {
  readonly what: string;
  readonly value: number;
  readonly target: number;
  readonly unit: string;
}

export interface EngineReport {
  readonly cases: {
    readonly title: string;
    readonly baseline: string;
    readonly result: CaseResult;
  }[];
  readonly findings: Finding[];
  readonly heap: Map<string, number>;
  readonly retainedPerBreaker: number;
  readonly failureDrift: Map<string, [number, number]>;
}

export async function benchEngine(
  n: number,
  rounds: number,
  log: (line: string) => void,
): Promise<EngineReport> {
  const findings: Finding[] = [];
  const cases: EngineReport['cases'] = [];
  const closers: CircuitBreaker[] = [];
  const op = (fn: () => Promise<unknown>, o: Parameters<typeof opossum>[1]): CircuitBreaker => {
    const b = opossum(fn, o);
    closers.push(b);
    return b;
  };

  // Success path, no timeout.
  {
    const bw = new Breaker({ name: 'bench', timeout: false });
    const o = op(ok, { failureThreshold: 5, timeout: false });
    const c = cockatiel({ failureThreshold: 5, timeout: false });
    const result = await measure(
      [
        succeeding.bare(),
        succeeding.breakwater(bw),
        succeeding.opossum(o),
        succeeding.cockatiel(c),
      ],
      n,
      rounds,
    );
    cases.push({ title: 'success, no timeout', baseline: 'bare', result });
    findings.push({
      what: 'success path vs bare',
      value: vs(result, 'bare'),
      target: 2.5,
      unit: 'x',
    });
    findings.push({
      what: 'success path vs cockatiel',
      value: vs(result, 'cockatiel'),
      target: 0.5,
      unit: 'x',
    });
    log(`measured: success, no timeout`);
  }

  // Success path with a timeout set.
  {
    const bw = new Breaker({ name: 'bench', timeout: 30_000 });
    const o = op(ok, { failureThreshold: 5, timeout: 30_000 });
    const c = cockatiel({ failureThreshold: 5, timeout: 30_000 });
    const result = await measure(
      [
        succeeding.bare(),
        succeeding.breakwater(bw),
        succeeding.opossum(o),
        succeeding.cockatiel(c),
      ],
      n / 10, // cockatiel's timeout costs tens of microseconds a call
      rounds,
    );
    cases.push({ title: 'success, 30 s timeout', baseline: 'bare', result });
    findings.push({
      what: 'success with timeout vs bare',
      value: vs(result, 'bare'),
      target: 3,
      unit: 'x',
    });
    log(`measured: success with timeout`);
  }

  // Failure path, closed: the breaker never opens. Drift: first round vs last round.
  const failureDrift = new Map<string, [number, number]>();
  {
    const bw = new Breaker({ name: 'bench', timeout: false, failureThreshold: false });
    const o = op(boom, { failureThreshold: false, timeout: false });
    const c = cockatiel({ failureThreshold: false, timeout: false });
    const contenders = [
      failing.bare(),
      failing.breakwater(bw, boom),
      failing.opossum(o),
      failing.cockatiel(c, boom),
    ];
    // Failing calls cost microseconds (the error's stack), so a tenth of the calls suffices.
    const first = await measure(contenders, n / 40, 1);
    const result = await measure(contenders, n / 10, rounds);
    const last = await measure(contenders, n / 40, 1);
    for (const { name } of contenders) failureDrift.set(name, [first.get(name)!, last.get(name)!]);
    cases.push({ title: 'failure, closed', baseline: 'bare throw', result });
    findings.push({
      what: 'failure path vs bare throw',
      value: vs(result, 'bare throw'),
      target: 1.3,
      unit: 'x',
    });
    const [a, b] = failureDrift.get('breakwater')!;
    findings.push({
      what: 'failure cost drift (last / first round)',
      value: b / a,
      target: 1.3,
      unit: 'x',
    });
    log(`measured: failure, closed`);
  }

  // Refusal when open, against throwing a fresh Error.
  {
    const bw = await tripped(
      new Breaker({ name: 'bench', timeout: false, failureThreshold: 1, resetTimeout: 1e9 }),
    );
    const o = op(ok, { failureThreshold: 1, timeout: false });
    o.open();
    const c = cockatiel({ failureThreshold: 1, timeout: false });
    await c.execute(boom).catch(swallow);
    const result = await measure(
      [failing.bare(), failing.breakwater(bw, ok), failing.opossum(o), failing.cockatiel(c, ok)],
      n / 10,
      rounds,
    );
    cases.push({ title: 'refusal, open', baseline: 'bare throw', result });
    findings.push({
      what: 'refusal vs a fresh Error thrown',
      value: vs(result, 'bare throw'),
      target: 1,
      unit: 'x',
    });
    log(`measured: refusal, open`);
  }

  // Open with a fallback, against a bare successful call.
  {
    const { openWithFallback } = await import('./fallback-contender.js');
    const bw = await openWithFallback(boom);
    const o = op(ok, { failureThreshold: 1, timeout: false, fallback: () => 'fallback' });
    o.open();
    const c = cockatiel({ failureThreshold: 1, timeout: false, fallback: () => 'fallback' });
    await c.execute(boom);
    const result = await measure(
      [succeeding.bare(), succeeding.fallback(bw), succeeding.opossum(o), succeeding.cockatiel(c)],
      n,
      rounds,
    );
    cases.push({ title: 'open, with fallback', baseline: 'bare', result });
    findings.push({
      what: 'open with fallback vs bare',
      value: vs(result, 'bare'),
      target: 10,
      unit: 'x',
    });
    log(`measured: open with fallback`);
  }
  for (const b of closers) b.shutdown();

  const { heap, retainedPerBreaker } = heapPerBreaker(10_000);
  findings.push({
    what: 'heap per idle breaker',
    value: heap.get('breakwater')!,
    target: 1024,
    unit: ' B',
  });
  findings.push({
    what: 'heap retained per dropped breaker',
    value: retainedPerBreaker,
    target: 16,
    unit: ' B',
  });
  return { cases, findings, heap, retainedPerBreaker, failureDrift };
}

/** Heap bytes per idle breaker for `count` breakers of each library, and what a dropped one leaves. */
function heapPerBreaker(count: number): { heap: Map<string, number>; retainedPerBreaker: number } {
  const heap = new Map<string, number>();
  const makers: [string, (i: number) => unknown, (made: unknown[]) => void][] = [
    ['breakwater', (i) => new Breaker({ name: `b${i}` }), () => {}],
    ['cockatiel', () => cockatiel({ failureThreshold: 5, timeout: false }), () => {}],
    // Last: shutting opossum's breakers down frees memory that would skew a later measurement.
    [
      'opossum',
      () => opossum(ok, { failureThreshold: 5, timeout: 30_000 }),
      (made) => made.forEach((b) => (b as CircuitBreaker).shutdown()),
    ],
  ];
  for (const [name, make, dispose] of makers) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const made: unknown[] = [];
    for (let i = 0; i < count; i++) made.push(make(i));
    gc();
    heap.set(name, (process.memoryUsage().heapUsed - before) / count);
    dispose(made);
  }
  // Dropped breakers must leave nothing behind: no interval or listener holds them.
  gc();
  const before = process.memoryUsage().heapUsed;
  let made: Breaker[] | null = [];
  for (let i = 0; i < count; i++) made.push(new Breaker({ name: `d${i}` }));
  made = null;
  gc();
  const retainedPerBreaker = Math.max(0, (process.memoryUsage().heapUsed - before) / count);
  return { heap, retainedPerBreaker };
}

/** Renders the engine report. */
export function renderEngine(report: EngineReport): string {
  const lines: string[] = [];
  for (const { title, baseline, result } of report.cases) {
    const base = result.get(baseline)!;
    const rows = [['', 'ns/call', `x ${baseline}`]];
    for (const [name, ns] of result) rows.push([name, fmt(ns), fmt(ns / base, 2)]);
    lines.push(`## ${title}`, table(rows), '');
  }
  const drift = [['failure cost drift', 'first ns', 'last ns', 'last/first']];
  for (const [name, [a, b]] of report.failureDrift)
    drift.push([name, fmt(a), fmt(b), fmt(b / a, 2)]);
  lines.push(
    '## failure path over the run (does a failing call get dearer with many recent failures?)',
    table(drift),
    '',
  );
  const heapRows = [['', 'heap B/breaker']];
  for (const [name, bytes] of report.heap) heapRows.push([name, fmt(bytes, 0)]);
  lines.push('## heap per idle breaker (10,000 breakers)', table(heapRows), '');
  return lines.join('\n');
}
