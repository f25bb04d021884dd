/**
 * Every PromQL query of the Grafana board (docs/grafana-dashboard.json) and of the quick-start
 * guide evaluates to series over what breakwater really exports: the spec scrapes a live
 * `GET /metrics` of the admin router twice (before and after an outage), writes the series as a
 * promtool unit-test input one minute apart, and has Debian's `promtool` evaluate each query as
 * `absent(query)`: an alert that fires means the query found nothing. Queries over a metric that
 * `/metrics` does not serve are skipped, and the spec says which.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { BreakerRegistry } from '../../../lib/index.js';
import { buildApp, type TestApp } from '../http/frameworks.js';

const PROMTOOL = '/usr/bin/promtool';
const TOKEN = 'promtool-spec-token';

interface Query {
  readonly where: string;
  readonly expr: string;
}

/** The board's queries, with its variables given values: every breaker, a 5-minute rate. */
function boardQueries(): Query[] {
  const board = JSON.parse(readFileSync(resolve('docs/grafana-dashboard.json'), 'utf8')) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  return board.panels.flatMap((panel) =>
    panel.targets.map((target) => ({
      where: `board "${panel.title}"`,
      expr: target.expr.replaceAll('$breaker', '.*').replaceAll('$__rate_interval', '5m'),
    })),
  );
}

/**
 * The quick-start guide's queries, as docs/admin.md gives them for breakwater's labels. Two
 * differ from the guide: its `circuit_breaker_state{name="max_gpu"}` selects by a `name` label,
 * which breakwater calls `breaker`; and its failure rate divides series with different labels
 * (`circuit_breaker_requests_total` has `outcome` too), which PromQL matches to nothing, so both
 * sides are summed by `breaker`.
 */
const GUIDE: Query[] = [
  { where: 'guide: state', expr: 'circuit_breaker_state{breaker="openai"}' },
  { where: 'guide: request rate', expr: 'rate(circuit_breaker_requests_total[5m])' },
  {
    where: 'guide: failure rate',
    expr: 'sum by (breaker) (rate(circuit_breaker_failures_total[5m])) / sum by (breaker) (rate(circuit_breaker_requests_total[5m]))',
  },
  { where: 'guide: rejection rate', expr: 'rate(circuit_breaker_rejections_total[5m])' },
];

const QUERIES = [...boardQueries(), ...GUIDE];

/** Samples of a Prometheus text exposition: series (as written) to value. */
function parseExposition(text: string): { families: Set<string>; samples: Map<string, string> } {
  const families = new Set<string>();
  const samples = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type !== null) families.add(type[1]!);
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), line.slice(at + 1));
  }
  return { families, samples };
}

/** The metric families a query reads that `/metrics` does not serve. */
function missingFamilies(expr: string, families: Set<string>): string[] {
  const names = expr.match(/circuit_breaker_[a-z_]+/g) ?? [];
  return [...new Set(names.map((n) => n.replace(/_(bucket|sum|count)$/, '')))].filter(
    (n) => !families.has(n),
  );
}

function run(file: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolvePromise) =>
    execFile(file, args, { cwd }, (_error, stdout, stderr) => resolvePromise(stdout + stderr)),
  );
}

describe('Grafana board and guide queries, evaluated by promtool over a live /metrics', function () {
  this.timeout(30_000);
  const empty = new Set<string>();
  const skipped = new Map<string, string[]>();
  let app: TestApp | undefined;
  let dir: string | undefined;

  before(async function () {
    if (!existsSync(PROMTOOL)) {
      console.warn(`    (skipped: ${PROMTOOL} is missing; apt-get install prometheus)`);
      this.skip();
    }
    const clock = { t: Date.UTC(2026, 0, 1), now: () => clock.t };
    const registry = new BreakerRegistry({
      defaults: { clock, timeout: false, failureThreshold: 3 },
    });
    app = buildApp('express', registry, { admin: { token: TOKEN } });
    const openai = registry.get('openai');
    const anthropic = registry.get('anthropic');
    const ok = (ms: number) => async () => {
      clock.t += ms;
      return 'ok';
    };
    // The router loads prom-client on first use; the metrics count calls from then on.
    await request(app.server).get('/admin/metrics').expect(200);
    /** A stream whose first content chunk comes after `ms` of the clock. */
    const stream = async (ms: number) => {
      const chunks = openai.stream(async function* () {
        clock.t += ms;
        yield { choices: [{ index: 0, delta: { content: 'hi' } }] };
      });
      for await (const chunk of chunks) expect(chunk).to.have.property('choices');
    };
    for (let i = 0; i < 5; i++) await openai.execute(ok(120));
    await stream(200);
    const first = await request(app.server).get('/admin/metrics').expect(200);
    for (let i = 0; i < 3; i++) {
      await openai.execute(() => Promise.reject(new Error('503'))).catch(() => undefined);
    }
    for (let i = 0; i < 4; i++) await openai.execute(ok(1)).catch(() => undefined);
    for (let i = 0; i < 8; i++) await anthropic.execute(ok(300));
    openai.reset();
    for (let i = 0; i < 3; i++) await stream(400);
    const second = await request(app.server).get('/admin/metrics').expect(200);

    const before = parseExposition(first.text);
    const after = parseExposition(second.text);
    const series = [...new Set([...before.samples.keys(), ...after.samples.keys()])].map(
      (name) => ({
        series: name,
        values: `${before.samples.get(name) ?? '_'} ${after.samples.get(name) ?? '_'}`,
      }),
    );
    const evaluated = QUERIES.filter((q) => {
      const missing = missingFamilies(q.expr, after.families);
      if (missing.length > 0) skipped.set(q.expr, missing);
      return missing.length === 0;
    });
    const rules = {
      groups: [
        {
          name: 'breakwater-queries',
          rules: evaluated.map((q, i) => ({ alert: `Query${i}Empty`, expr: `absent(${q.expr})` })),
        },
      ],
    };
    const tests = {
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: series,
          alert_rule_test: evaluated.map((_, i) => ({
            eval_time: '1m',
            alertname: `Query${i}Empty`,
            exp_alerts: [],
          })),
        },
      ],
    };
    dir = await mkdtemp(join(tmpdir(), 'breakwater-promtool-'));
    // JSON is YAML, and spares the spec YAML's quoting rules.
    await writeFile(join(dir, 'rules.yml'), JSON.stringify(rules));
    await writeFile(join(dir, 'test.yml'), JSON.stringify(tests));
    const output = await run(PROMTOOL, ['test', 'rules', 'test.yml'], dir);
    expect(output, 'promtool read the files').not.to.match(/error|could not/i);
    for (const match of output.matchAll(/alertname: Query(\d+)Empty/g)) {
      empty.add(evaluated[Number(match[1])]!.expr);
    }
    if (skipped.size > 0) {
      console.warn(
        `    skipped ${skipped.size} quer${skipped.size === 1 ? 'y' : 'ies'}, whose metrics /metrics does not serve yet:\n` +
          [...skipped].map(([expr, missing]) => `      ${missing.join(', ')}: ${expr}`).join('\n'),
      );
    }
  });

  after(async () => {
    await app?.admin?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  for (const query of QUERIES) {
    it(`${query.where}: ${query.expr}`, function () {
      const missing = skipped.get(query.expr);
      if (missing !== undefined) this.skip();
      expect(empty.has(query.expr), 'the query returns series').to.equal(false);
    });
  }

  it('checks the board panels the issue asks for', () => {
    const exprs = boardQueries().map((q) => q.expr);
    for (const metric of [
      'circuit_breaker_state',
      'circuit_breaker_requests_total',
      'circuit_breaker_failures_total',
      'circuit_breaker_rejections_total',
      'circuit_breaker_call_duration_seconds_bucket',
      'circuit_breaker_stream_first_chunk_seconds_bucket',
    ]) {
      expect(
        exprs.some((e) => e.includes(metric)),
        metric,
      ).to.equal(true);
    }
  });
});
