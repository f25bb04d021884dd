/**
 * Streaming load through the Express AI gateway while OpenAI cuts or stalls half its streams
 * after their first words: `stream: true` requests from a small pool of concurrent clients, on
 * loopback. Reports the time to first token (p50, p99), how many streams were answered in full
 * (ended with `data: [DONE]`, no error event), which tier began each answer, and how many were
 * continued by another tier mid-answer. `npm run load -- --stream` runs it with `STREAM_RESUME`
 * on and off; {@link loadGatewayStreams} is the same for a spec.
 */
import { performance } from 'node:perf_hooks';
import { startGateway } from '../examples/ai-gateway/index.js';
import { readGatewayConfig } from '../examples/ai-gateway/gateway-config.js';
import type { Fault } from '../lib/testing/index.js';
import { fmt, table } from './harness.js';

/** What one streaming load run saw. */
export interface StreamLoadReport {
  readonly streams: number;
  readonly concurrency: number;
  /** Whether the gateway continued cut answers at the next provider (`STREAM_RESUME=1`). */
  readonly resume: boolean;
  /** Streams that ended with `data: [DONE]` and no error event. */
  readonly full: number;
  /** Streams that ended with the gateway's error event (cut after content, no resume). */
  readonly interrupted: number;
  /** Requests answered with a non-200 status, or not at all. */
  readonly failed: number;
  /** Streams whose chunks came from more than one provider tier: continued mid-answer. */
  readonly resumed: number;
  /** Streams per `x-served-by` header (the tier that began the answer). */
  readonly tiers: Readonly<Record<string, number>>;
  /** Share of OpenAI's streams the fake cut or stalled. */
  readonly openaiFaultShare: number;
  /** Time from sending the request to the first content, in ms. */
  readonly firstTokenMs: { readonly p50: number; readonly p99: number };
  /** Time from sending the request to the end of the stream, in ms. */
  readonly totalMs: { readonly p50: number; readonly p99: number };
  readonly durationMs: number;
}

/** How much streaming load {@link loadGatewayStreams} makes. */
export interface StreamLoadOptions {
  /** Streams in all; half meet cuts, half stalls (each with probability 0.5). Default 300. */
  readonly streams?: number;
  /** Streams at once. Default 10. */
  readonly concurrency?: number;
  /** `STREAM_RESUME`. Default `true`. */
  readonly resume?: boolean;
  /** The providers' idle deadline (`PROVIDER_TIMEOUT_MS`), which ends a stall. Default 1000. */
  readonly idleMs?: number;
}

/** One stream as the client read it. */
interface StreamRead {
  readonly status: number;
  readonly servedBy: string;
  readonly firstTokenMs: number;
  readonly totalMs: number;
  readonly done: boolean;
  readonly errorEvent: boolean;
  readonly tiers: ReadonlySet<string>;
}

/**
 * Runs the load and prints the report through `log`. The gateway runs in this process with fake
 * providers. The first half of the streams meets OpenAI cutting the connection after the first
 * word of half its answers; the second half meets it stalling there (the gateway's idle deadline
 * ends the wait). Both faults are seeded: every run strikes the same streams.
 */
export async function loadGatewayStreams(
  log: (line: string) => void = (line) => console.log(line),
  { streams = 300, concurrency = 10, resume = true, idleMs = 1000 }: StreamLoadOptions = {},
): Promise<StreamLoadReport> {
  const gateway = await startGateway({
    config: readGatewayConfig({
      PORT: '0',
      FAKE_PROVIDERS: 'always',
      // A tripped breaker would send every stream to Anthropic: keep OpenAI in the fight.
      FAILURE_THRESHOLD: '1000000',
      RESET_TIMEOUT_MS: '250',
      PROVIDER_TIMEOUT_MS: String(idleMs),
      SHUTDOWN_TIMEOUT_MS: '2000',
      STREAM_RESUME: resume ? '1' : '0',
    }),
    log: () => {},
  });
  const fake = gateway.services.fake!;
  const url = `${gateway.url}/v1/chat/completions`;
  const reads: StreamRead[] = [];
  const started = performance.now();
  try {
    const phases: Fault[] = [
      { kind: 'streamCut', afterChunks: 2, probability: 0.5, seed: 11 },
      { kind: 'hang', afterChunks: 2, probability: 0.5, seed: 13 },
    ];
    let sent = 0;
    for (const [i, fault] of phases.entries()) {
      fake.setFault('openai', fault);
      const amount = i === 0 ? Math.floor(streams / 2) : streams - Math.floor(streams / 2);
      let left = amount;
      const worker = async () => {
        while (left > 0) {
          left--;
          reads.push(await readStream(url, `question ${sent++ % 50} with some words`));
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, amount) }, worker));
    }
    const durationMs = performance.now() - started;
    const counters = fake.counters().openai.chatCompletions;
    const tiers: Record<string, number> = {};
    for (const read of reads) tiers[read.servedBy] = (tiers[read.servedBy] ?? 0) + 1;
    const ok = reads.filter((r) => r.status === 200);
    const report: StreamLoadReport = {
      streams: reads.length,
      concurrency,
      resume,
      full: ok.filter((r) => r.done && !r.errorEvent).length,
      interrupted: ok.filter((r) => r.errorEvent).length,
      failed: reads.filter((r) => r.status !== 200).length,
      resumed: ok.filter((r) => r.tiers.size > 1).length,
      tiers,
      openaiFaultShare: counters.requests === 0 ? 0 : counters.faulted / counters.requests,
      firstTokenMs: percentiles(ok.map((r) => r.firstTokenMs).filter(Number.isFinite)),
      totalMs: percentiles(ok.map((r) => r.totalMs)),
      durationMs,
    };
    log(renderStreamLoadReport(report));
    return report;
  } finally {
    await gateway.close();
  }
}

/** Sends one `stream: true` request and reads it to its end, timing the first content. */
async function readStream(url: string, prompt: string): Promise<StreamRead> {
  const start = performance.now();
  let firstTokenMs = Number.POSITIVE_INFINITY;
  let done = false;
  let errorEvent = false;
  const tiers = new Set<string>();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'any',
        messages: [{ role: 'user', content: prompt }],
        stream: true,
      }),
    });
    const servedBy = response.headers.get('x-served-by') ?? '(none)';
    if (response.status !== 200 || response.body === null) {
      await response.body?.cancel();
      return {
        status: response.status,
        servedBy,
        firstTokenMs,
        totalMs: 0,
        done,
        errorEvent,
        tiers,
      };
    }
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const bytes of response.body) {
      buffer += decoder.decode(bytes as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!event.startsWith('data: ')) continue;
        const data = event.slice(6);
        if (data === '[DONE]') {
          done = true;
          continue;
        }
        const chunk = JSON.parse(data) as {
          error?: unknown;
          served_by?: string;
          choices?: { delta?: { content?: string } }[];
        };
        if (chunk.error !== undefined) errorEvent = true;
        const content = chunk.choices?.[0]?.delta?.content;
        if (typeof content === 'string' && content !== '') {
          if (!Number.isFinite(firstTokenMs)) firstTokenMs = performance.now() - start;
          if (chunk.served_by !== undefined) tiers.add(chunk.served_by);
        }
      }
    }
    return {
      status: 200,
      servedBy,
      firstTokenMs,
      totalMs: performance.now() - start,
      done,
      errorEvent,
      tiers,
    };
  } catch {
    return { status: 0, servedBy: '(none)', firstTokenMs, totalMs: 0, done, errorEvent, tiers };
  }
}

function percentiles(values: number[]): { p50: number; p99: number } {
  if (values.length === 0) return { p50: Number.NaN, p99: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99) };
}

/** The report as Markdown tables. */
export function renderStreamLoadReport(report: StreamLoadReport): string {
  return [
    `## Streaming load: ${report.streams} streams, ${report.concurrency} at once, Express gateway, ` +
      `OpenAI cutting or stalling ${fmt(report.openaiFaultShare * 100, 0)} % of its streams after the first word, ` +
      `STREAM_RESUME=${report.resume ? 1 : 0} (loopback)`,
    '',
    table([
      [
        'streams',
        'answered in full',
        'interrupted',
        'failed',
        'continued mid-answer',
        'first token p50',
        'first token p99',
        'whole stream p50',
        'whole stream p99',
        'duration',
      ],
      [
        String(report.streams),
        String(report.full),
        String(report.interrupted),
        String(report.failed),
        String(report.resumed),
        `${fmt(report.firstTokenMs.p50, 1)} ms`,
        `${fmt(report.firstTokenMs.p99, 1)} ms`,
        `${fmt(report.totalMs.p50, 0)} ms`,
        `${fmt(report.totalMs.p99, 0)} ms`,
        `${fmt(report.durationMs / 1000, 1)} s`,
      ],
    ]),
    '',
    table([
      ['began with (x-served-by)', 'streams'],
      ...Object.entries(report.tiers).map(([tier, n]) => [tier, String(n)]),
    ]),
    '',
    report.full === report.streams
      ? 'every stream was answered in full'
      : `${report.streams - report.full} of ${report.streams} streams were NOT answered in full`,
  ].join('\n');
}
