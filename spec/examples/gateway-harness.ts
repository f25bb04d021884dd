/**
 * Starts either example gateway in-process, the way a spec drives it: fake providers on
 * loopback, breakers on a clock the spec moves by hand, and the official `openai` SDK as the
 * gateway's client.
 */
import OpenAI from 'openai';
import type { BreakerSnapshot, Clock } from '../../lib/index.js';
import type { FakeProvider } from '../../lib/testing/index.js';
import { startGateway as startExpressGateway } from '../../examples/ai-gateway/index.js';
import { startGateway as startKoaGateway } from '../../examples/ai-gateway/koa/index.js';
import { readGatewayConfig } from '../../examples/ai-gateway/gateway-config.js';
import type { RunningGateway } from '../../examples/ai-gateway/serve-gateway.js';
import type { StartGatewayOptions } from '../../examples/ai-gateway/start-gateway.js';

export type Framework = 'express' | 'koa';
export const FRAMEWORKS: readonly Framework[] = ['express', 'koa'];

export const STARTERS: Record<Framework, (o: StartGatewayOptions) => Promise<RunningGateway>> = {
  express: startExpressGateway,
  koa: startKoaGateway,
};

/** The admin token the test gateways use. */
export const TOKEN = 'spec-admin-token';

/** Breaker timing of the test gateways, in ms of the hand-moved clock. */
export const RESET_TIMEOUT = 60_000;
export const PROVIDER_TIMEOUT = 50;

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  private time = Date.UTC(2026, 0, 1);

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

/** A chat answer as the gateway's client sees it. */
export interface ClientAnswer {
  readonly content: string;
  /** The `x-served-by` header. */
  readonly servedBy: string | null;
  /** The body's `served_by` field. */
  readonly bodyServedBy: string;
  readonly attempts: { tier: string; outcome: string; duration_ms: number }[];
  readonly model: string;
}

/** One gateway under test and what drives it. */
export interface TestGateway {
  readonly gateway: RunningGateway;
  readonly fake: FakeProvider;
  readonly clock: ManualClock;
  /** The official `openai` SDK pointed at the gateway. */
  readonly client: OpenAI;
  /** Lines the gateway logged. */
  readonly logs: string[];
  chat(prompt: string): Promise<ClientAnswer>;
  /** A breaker's snapshot, read over HTTP from the admin router. */
  breaker(name: string): Promise<BreakerSnapshot>;
  close(): Promise<void>;
}

/**
 * Starts a gateway under `framework` with both providers faked: failureThreshold 3,
 * resetTimeout {@link RESET_TIMEOUT} and timeout {@link PROVIDER_TIMEOUT} on the manual clock
 * (or `clock`), and `env` on top.
 */
export async function startTestGateway(
  framework: Framework,
  env: Record<string, string> = {},
  clock: ManualClock = new ManualClock(),
): Promise<TestGateway> {
  const logs: string[] = [];
  const config = readGatewayConfig({
    PORT: '0',
    FAKE_PROVIDERS: 'always',
    FAILURE_THRESHOLD: '3',
    RESET_TIMEOUT_MS: String(RESET_TIMEOUT),
    PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT),
    ADMIN_TOKEN: TOKEN,
    ...env,
  });
  const gateway = await STARTERS[framework]({ config, clock, log: (line) => logs.push(line) });
  const client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  return {
    gateway,
    fake: gateway.services.fake!,
    clock,
    client,
    logs,
    async chat(prompt) {
      const { data, response } = await client.chat.completions
        .create({ model: 'any', messages: [{ role: 'user', content: prompt }] })
        .withResponse();
      const extra = data as unknown as { served_by: string; attempts: ClientAnswer['attempts'] };
      return {
        content: data.choices[0]!.message.content!,
        servedBy: response.headers.get('x-served-by'),
        bodyServedBy: extra.served_by,
        attempts: extra.attempts,
        model: data.model,
      };
    },
    async breaker(name) {
      const res = await fetch(`${gateway.adminURL}/circuit-breakers/${name}`);
      if (!res.ok) throw new Error(`GET /admin/circuit-breakers/${name}: ${res.status}`);
      return (await res.json()) as BreakerSnapshot;
    },
    close: () => gateway.close(),
  };
}
