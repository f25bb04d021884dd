/**
 * Cost of `protect()` on a real Express route, beside the same route bare and wrapped with
 * opossum and with cockatiel: autocannon, 50 connections, loopback only, interleaved rounds,
 * medians. The servers run in a child process, so the load generator (this process) and the
 * servers each have a core, and the servers' own CPU time per request can be read beside the
 * rate: on a busy machine the rate is noisy, CPU time much less so. `npm run bench` calls
 * {@link benchProtect}; BENCH_QUICK=1 shortens it.
 */
import autocannon from 'autocannon';
import { CircuitBreakerPolicy, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import express, { type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import CircuitBreaker from 'opossum';
import { protect } from '../adapters/express/index.js';
import { BreakerRegistry } from '../lib/index.js';
import { fmt, median, table } from './harness.js';

const VARIANTS = ['bare', 'protect()', 'opossum', 'cockatiel'] as const;
type Variant = (typeof VARIANTS)[number];
const TARGET = 0.97;
const ROLE = 'breakwater-bench-http-server';

/** The servers' CPU time so far, in µs. */
type CpuReply = { cpu: number };

/** Runs the HTTP benchmark and prints its table through `log`. */
export async function benchProtect(log: (line: string) => void): Promise<void> {
  const quick = process.env['BENCH_QUICK'] === '1';
  const rounds = quick ? 2 : 10;
  const seconds = 1;
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, BREAKWATER_BENCH: ROLE },
  });
  try {
    const ports = await reply<Record<Variant, number>>(child);
    log(
      `## HTTP: an Express route, autocannon with 50 connections on loopback, ${rounds} interleaved rounds of ${seconds} s, medians\n`,
    );
    const rates = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
    const cpu = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
    const bad = new Map<Variant, number>(VARIANTS.map((v) => [v, 0]));
    for (const variant of VARIANTS) await load(ports[variant], 1);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < VARIANTS.length; i++) {
        const variant = VARIANTS[(i + round) % VARIANTS.length]!;
        child.send('cpu');
        const before = (await reply<CpuReply>(child)).cpu;
        const result = await load(ports[variant], seconds);
        child.send('cpu');
        const after = (await reply<CpuReply>(child)).cpu;
        rates.get(variant)!.push(result.rate);
        cpu.get(variant)!.push((after - before) / result.requests);
        bad.set(variant, bad.get(variant)! + result.bad);
      }
    }
    const bare = rates.get('bare')!;
    const bareCpu = median(cpu.get('bare')!);
    const rows = [
      ['route', 'req/s', 'vs bare', 'paired', 'server CPU µs/req', 'vs bare', 'errors'],
    ];
    for (const variant of VARIANTS) {
      const r = rates.get(variant)!;
      const c = median(cpu.get(variant)!);
      rows.push([
        variant,
        fmt(median(r), 0),
        `${fmt(median(r) / median(bare), 3)}x`,
        `${fmt(median(r.map((rate, round) => rate / bare[round]!)), 3)}x`,
        fmt(c, 1),
        `${fmt(c / bareCpu, 3)}x`,
        String(bad.get(variant)),
      ]);
    }
    log(table(rows));
    const ours = median(rates.get('protect()')!) / median(bare);
    const ourCpu = median(cpu.get('protect()')!) / bareCpu;
    log(
      `\nprotect() serves ${fmt(ours, 3)}x the requests per second of the bare route (target >= ${TARGET}x: ${ours >= TARGET ? 'met' : 'MISSED'}); ` +
        `it costs ${fmt(ourCpu, 3)}x the bare route's CPU per request (${fmt(1 / ourCpu, 3)}x the requests per CPU second)\n`,
    );
  } finally {
    child.kill();
  }
}

/** The next message from the child. */
function reply<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    child.once('error', onError);
    child.once('message', (message) => {
      child.off('error', onError);
      resolve(message as T);
    });
  });
}

/** Loads one server for `seconds` and returns its rate and how many answers were not 2xx. */
async function load(
  port: number,
  seconds: number,
): Promise<{ rate: number; requests: number; bad: number }> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: 50,
    duration: seconds,
  });
  return {
    rate: result.requests.total / seconds,
    requests: result.requests.total,
    bad: result.errors + result.non2xx + result.timeouts,
  };
}

/** The route every variant serves. */
function handler(_req: Request, res: Response): void {
  res.json({ answer: 'ok', model: 'bench' });
}

function refused(res: Response): void {
  if (!res.headersSent) res.status(503).end();
}

/** The four servers, in the worker thread. */
async function serve(): Promise<Record<Variant, number>> {
  const apps: Record<Variant, express.Express> = {
    bare: express(),
    'protect()': express(),
    opossum: express(),
    cockatiel: express(),
  };
  apps.bare.get('/', handler);
  apps['protect()'].get('/', protect('bench', { registry: new BreakerRegistry() }), handler);
  const opossum = new CircuitBreaker(async (req: Request, res: Response) => handler(req, res));
  apps.opossum.get('/', (req, res) => {
    opossum.fire(req, res).catch(() => refused(res));
  });
  const cockatiel: CircuitBreakerPolicy = circuitBreaker(handleAll, {
    halfOpenAfter: 10_000,
    breaker: new ConsecutiveBreaker(5),
  });
  apps.cockatiel.get('/', (req, res) => {
    cockatiel.execute(async () => handler(req, res)).catch(() => refused(res));
  });
  const ports = {} as Record<Variant, number>;
  for (const variant of VARIANTS) {
    const server: Server = apps[variant].listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    ports[variant] = (server.address() as AddressInfo).port;
  }
  return ports;
}

if (process.env['BREAKWATER_BENCH'] === ROLE && process.send !== undefined) {
  process.send(await serve());
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send!({ cpu: user + system } satisfies CpuReply);
  });
  process.on('disconnect', () => process.exit(0));
}
