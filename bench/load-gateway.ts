/**
 * Load through the Express AI gateway while OpenAI fails half its calls: autocannon, loopback
 * only, 1,000 requests at 50 connections. Reports whether every request was answered (by some
 * tier), which tiers answered, the breakers' state changes, and p50/p99 latency.
 * `npm run load` runs it; {@link loadGateway} is the same for a bench harness.
 */
import autocannon from 'autocannon';
import type { StateChangeEvent } from '../lib/index.js';
import { startGateway } from '../examples/ai-gateway/index.js';
import { isMain } from '../examples/ai-gateway/command-line.js';
import { readGatewayConfig } from '../examples/ai-gateway/gateway-config.js';
import { fmt, table } from './harness.js';

/** What one load run saw. */
export interface GatewayLoadReport {
  readonly connections: number;
  readonly requests: number;
  /** Answers with a status outside 2xx: must be 0. */
  readonly non2xx: number;
  /** Requests that got no answer at all (connection errors, client timeouts): must be 0. */
  readonly errors: number;
  /** Answers per `x-served-by` tier. */
  readonly tiers: Readonly<Record<string, number>>;
  /** Every breaker state change, in order. */
  readonly transitions: readonly StateChangeEvent[];
  /** Share of OpenAI calls the fake failed. */
  readonly openaiFailureShare: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly durationMs: number;
}

/** How much load {@link loadGateway} makes. */
export interface LoadOptions {
  /** Requests in all. Default 1,000. */
  readonly requests?: number;
  /** Connections at once. Default 50. */
  readonly connections?: number;
}

/**
 * Runs the load and prints the report through `log`. The gateway runs in this process with fake
 * providers; OpenAI fails half its calls with 500s (a seeded probability, so every run strikes
 * the same calls), its breaker opens after 3 failures in a row and tries again after 250 ms.
 */
export async function loadGateway(
  log: (line: string) => void = (line) => console.log(line),
  { requests = 1_000, connections = 50 }: LoadOptions = {},
): Promise<GatewayLoadReport> {
  const gateway = await startGateway({
    config: readGatewayConfig({
      PORT: '0',
      FAKE_PROVIDERS: 'always',
      FAILURE_THRESHOLD: '3',
      RESET_TIMEOUT_MS: '250',
      PROVIDER_TIMEOUT_MS: '5000',
      SHUTDOWN_TIMEOUT_MS: '2000',
    }),
    log: () => {},
  });
  const { registry, fake } = gateway.services;
  const transitions: StateChangeEvent[] = [];
  const watch = registry.on('stateChange', (event) => transitions.push(event));
  fake!.setFault('openai', { kind: 'status', status: 500, probability: 0.5, seed: 7 });
  const tiers: Record<string, number> = {};
  let sent = 0;
  try {
    const result = await autocannon({
      url: `${gateway.url}/v1/chat/completions`,
      connections,
      amount: requests,
      timeout: 20,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({
              model: 'any',
              messages: [{ role: 'user', content: `question ${sent++ % 50}` }],
            }),
          }),
          onResponse: (_status, _body, _context, headers) => {
            const served = headers?.['x-served-by'];
            const tier = typeof served === 'string' ? served : '(none)';
            tiers[tier] = (tiers[tier] ?? 0) + 1;
          },
        },
      ],
    });
    const counters = fake!.counters().openai.chatCompletions;
    const report: GatewayLoadReport = {
      connections,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      tiers,
      transitions,
      openaiFailureShare: counters.requests === 0 ? 0 : counters.faulted / counters.requests,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      durationMs: result.duration * 1000,
    };
    log(renderLoadReport(report));
    return report;
  } finally {
    watch.dispose();
    await gateway.close();
  }
}

/** The report as Markdown tables. */
export function renderLoadReport(report: GatewayLoadReport): string {
  const answered = report.requests - report.non2xx - report.errors;
  const moves = new Map<string, number>();
  for (const t of report.transitions) {
    const key = `${t.breaker}: ${t.from} -> ${t.to}`;
    moves.set(key, (moves.get(key) ?? 0) + 1);
  }
  return [
    `## Load: ${report.requests} requests, ${report.connections} connections, Express gateway, OpenAI failing ` +
      `${fmt(report.openaiFailureShare * 100, 0)} % of its calls (loopback)`,
    '',
    table([
      ['requests', 'answered 2xx', 'non-2xx', 'no answer', 'p50', 'p99', 'max', 'duration'],
      [
        String(report.requests),
        String(answered),
        String(report.non2xx),
        String(report.errors),
        `${fmt(report.latencyMs.p50, 0)} ms`,
        `${fmt(report.latencyMs.p99, 0)} ms`,
        `${fmt(report.latencyMs.max, 0)} ms`,
        `${fmt(report.durationMs / 1000, 1)} s`,
      ],
    ]),
    '',
    table([
      ['served by', 'answers'],
      ...Object.entries(report.tiers).map(([tier, n]) => [tier, String(n)]),
    ]),
    '',
    table([['breaker transition', 'times'], ...[...moves].map(([move, n]) => [move, String(n)])]),
    '',
    report.non2xx === 0 && report.errors === 0
      ? 'every request was answered by some tier'
      : `NOT every request was answered: ${report.non2xx} non-2xx, ${report.errors} without an answer`,
  ].join('\n');
}

if (isMain(import.meta.url)) {
  if (process.argv.includes('--stream')) {
    // Streaming mode: `npm run load -- --stream`.
    const { loadGatewayStreams } = await import('./load-gateway-streams.js');
    const resumed = await loadGatewayStreams(undefined, { resume: true });
    await loadGatewayStreams(undefined, { resume: false });
    if (resumed.full !== resumed.streams) process.exitCode = 1;
  } else {
    const report = await loadGateway();
    if (report.non2xx > 0 || report.errors > 0) process.exitCode = 1;
  }
}
