/**
 * `npm run bench`: breakwater beside opossum, cockatiel and bare calls, in one run, as ratios.
 * Set BENCH_QUICK=1 for a short smoke run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchEngine, renderEngine } from './engine.js';
import { fmt, table } from './harness.js';
import { benchOpossum } from './opossum.js';

const quick = process.env['BENCH_QUICK'] === '1';
const n = quick ? 20_000 : 200_000;
const rounds = quick ? 3 : 7;

const log = (line: string): void => console.log(line);
console.log(
  `# breakwater bench: node ${process.version}, ${n} calls x ${rounds} rounds, medians\n`,
);
const report = await benchEngine(n, rounds, (l) => console.error(l));
console.log(renderEngine(report));
const signals = await (await import('./signals.js')).benchSignals(n, rounds);
console.log('## ' + table(signals.rows).replace(/^/, ''), '\n');
report.findings.push(...signals.findings);
console.log(await (await import('./timed-floor.js')).renderTimedFloor(n / 10, rounds), '\n');
const hedge = await (await import('./hedge.js')).benchHedge();
console.log(table(hedge.rows), '\n');
report.findings.push(...hedge.findings);
const rows = [['target', 'measured', 'target', 'status']];
for (const f of report.findings) {
  const digits = f.unit === ' B' ? 0 : 2;
  rows.push([
    f.what,
    `${fmt(f.value, digits)}${f.unit}`,
    `<= ${f.target}${f.unit}`,
    f.value <= f.target ? 'met' : 'MISSED',
  ]);
}
console.log('## targets', '\n' + table(rows), '\n');
await benchOpossum(n, rounds, log);

const http = fileURLToPath(new URL('./http-protect.js', import.meta.url));
if (existsSync(http) && process.env['BENCH_SKIP_HTTP'] !== '1') {
  const { benchProtect } = (await import('./http-protect.js' as string)) as {
    benchProtect: (log: (line: string) => void) => Promise<void>;
  };
  await benchProtect(log);
}

const { benchStreams } = await import('./streams.js');
await benchStreams(quick, log);
