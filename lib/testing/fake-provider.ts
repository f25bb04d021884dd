import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkOptions, checkProvider, ControlGate } from './fake-provider-options.js';
import { handleControl, type ActiveFault, type FaultControl } from './control-route.js';
import {
  copyCounters,
  emptyCounters,
  endpointCounters,
  type FakeProviderCounters,
} from './counters.js';
import { play, type Exchange } from './exchange.js';
import { FaultSchedule } from './fault-schedule.js';
import { isStreamOnly, validateFault, type Fault } from './faults.js';
import { BODY_LIMIT, parseJson, readBody, sendJson } from './http-body.js';
import { anthropicWire } from './wire/anthropic.js';
import { googleWire } from './wire/google.js';
import { openaiWire } from './wire/openai.js';
import {
  PROVIDERS,
  type ChatRequest,
  type ProviderName,
  type ProviderWire,
} from './wire/provider-wire.js';

/** Options of {@link startFakeProvider}. */
export interface FakeProviderOptions {
  /** The port to listen on; `0` (the default) picks a free one. */
  port?: number | undefined;
  /** A loopback address: `127.0.0.1` (the default), `::1` or `localhost`. Nothing else is allowed. */
  host?: string | undefined;
  /** When set, requests must carry this API key (`Authorization: Bearer` / `x-api-key`) or get a 401. */
  apiKey?: string | undefined;
  /**
   * The healthy answer's text for a request. Default `` `[${provider}] ${prompt}` ``: the prompt
   * echoed, so tests can tell which provider answered what.
   */
  reply?: ((request: ChatRequest) => string) | undefined;
  /** Path prefix of the HTTP control route, or `false` for none. Default `/_control`. */
  controlPath?: string | false | undefined;
  /**
   * When set, the control route's changes (everything but `GET`) need
   * `Authorization: Bearer <controlToken>` or get a 401: anyone who can reach the port could
   * otherwise switch faults. Compared in constant time, never echoed. Default: none (open).
   */
  controlToken?: string | undefined;
  /** Faults in force from the start, per provider. */
  faults?: Partial<Record<ProviderName, Fault>> | undefined;
}

const WIRES: Record<ProviderName, ProviderWire> = {
  openai: openaiWire,
  anthropic: anthropicWire,
  google: googleWire,
};

/**
 * Starts a fake OpenAI + Anthropic + Google server on loopback. The official `openai`,
 * `@anthropic-ai/sdk` and `@google/genai` clients work against it unchanged; faults are set per
 * provider from code or from the HTTP control route.
 *
 * @example
 * const fake = await startFakeProvider();
 * const openai = new OpenAI({ apiKey: 'test', baseURL: fake.openaiBaseURL, maxRetries: 0 });
 * fake.setFault('openai', { kind: 'status', status: 503, times: 2 }); // fail twice, then recover
 * // ... drive your code ...
 * await fake.close();
 */
export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const fake = new FakeProvider(options);
  await fake.listen();
  return fake;
}

/**
 * A fake provider server: speaks OpenAI chat completions (`POST /v1/chat/completions`),
 * Anthropic messages (`POST /v1/messages`) and Google GenAI
 * (`POST /v1beta/models/{model}:generateContent`, `...:streamGenerateContent?alt=sse`), JSON and
 * SSE, and answers deterministically (the
 * prompt echoed) unless a fault strikes. Each provider has its own fault and counters. Made by
 * {@link startFakeProvider}.
 */
export class FakeProvider implements FaultControl {
  private readonly server: Server;
  private readonly host: string;
  private readonly requestedPort: number;
  private readonly apiKey: string | undefined;
  private readonly controlGate: ControlGate;
  private readonly reply: (request: ChatRequest) => string;
  private readonly controlPath: string | false;
  private readonly schedules = new Map<ProviderName, FaultSchedule<Fault>>();
  private count = emptyCounters();
  private readonly seen: Record<ProviderName, number> = { openai: 0, anthropic: 0, google: 0 };
  private waiters: { provider: ProviderName; count: number; resolve: () => void }[] = [];
  private idleWaiters: { provider: ProviderName | undefined; resolve: () => void }[] = [];
  private sequence = 0;
  private closing: Promise<void> | null = null;
  private address: AddressInfo | null = null;

  /** @internal Use {@link startFakeProvider}. */
  constructor(given: FakeProviderOptions) {
    const options = checkOptions(given);
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port ?? 0;
    this.apiKey = options.apiKey;
    this.controlGate = new ControlGate(options.controlToken);
    this.reply = options.reply ?? ((request) => `[${request.provider}] ${request.prompt}`);
    this.controlPath = options.controlPath === undefined ? '/_control' : options.controlPath;
    for (const provider of PROVIDERS) {
      const fault = options.faults?.[provider];
      if (fault !== undefined) this.setFault(provider, fault);
    }
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => failed(res, error));
    });
  }

  /** @internal */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.requestedPort, this.host, () => {
        this.server.off('error', reject);
        this.address = this.server.address() as AddressInfo;
        resolve();
      });
    });
  }

  /** The port it listens on. */
  get port(): number {
    return this.address!.port;
  }

  /** The server's root, e.g. `http://127.0.0.1:53123`. */
  get url(): string {
    const host =
      this.address!.family === 'IPv6' ? `[${this.address!.address}]` : this.address!.address;
    return `http://${host}:${this.port}`;
  }

  /** The `baseURL` for the `openai` client: the root plus `/v1`. */
  get openaiBaseURL(): string {
    return `${this.url}/v1`;
  }

  /** The `baseURL` for the `@anthropic-ai/sdk` client: the root. */
  get anthropicBaseURL(): string {
    return this.url;
  }

  /**
   * The `httpOptions.baseUrl` for the `@google/genai` client: the root (the client adds `v1beta`).
   *
   * @example
   * new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: fake.googleBaseURL } });
   */
  get googleBaseURL(): string {
    return this.url;
  }

  /** The control route's root, or `undefined` when it is turned off. */
  get controlURL(): string | undefined {
    return this.controlPath === false ? undefined : `${this.url}${this.controlPath}`;
  }

  /**
   * Puts `fault` in force for `provider`'s requests, replacing any fault it had. With `times`, it
   * clears itself after striking that often; with `probability`, it strikes that share of
   * requests, drawn from a generator seeded with `seed`.
   */
  setFault(provider: ProviderName, fault: Fault): void {
    checkProvider(provider);
    const valid = validateFault(fault, `fault for ${provider}`);
    this.schedules.set(provider, new FaultSchedule(valid, valid, `fault for ${provider}`));
  }

  /** Clears `provider`'s fault, or every fault: the provider answers healthily again. */
  clearFaults(provider?: ProviderName): void {
    if (provider === undefined) return this.schedules.clear();
    checkProvider(provider);
    this.schedules.delete(provider);
  }

  /** The fault in force per provider, with the strikes it has left. */
  faults(): Record<ProviderName, ActiveFault | null> {
    const active = (provider: ProviderName): ActiveFault | null => {
      const schedule = this.schedules.get(provider);
      if (schedule === undefined) return null;
      return { fault: schedule.fault, left: Number.isFinite(schedule.left) ? schedule.left : null };
    };
    return { openai: active('openai'), anthropic: active('anthropic'), google: active('google') };
  }

  /** A copy of the per-endpoint counters. */
  counters(): FakeProviderCounters {
    return copyCounters(this.count);
  }

  /** Zeroes the counters (requests in flight still count as in flight). */
  resetCounters(): void {
    const fresh = emptyCounters();
    for (const provider of PROVIDERS) {
      endpointCounters(fresh, provider).inFlight = endpointCounters(this.count, provider).inFlight;
      this.seen[provider] = 0;
    }
    this.count = fresh;
  }

  /**
   * Resolves once `count` chat requests for `provider` have been received and their fault decided
   * (counting since start or the last {@link resetCounters}): lets a spec wait for a request that
   * hangs without sleeping.
   */
  received(provider: ProviderName, count = 1): Promise<void> {
    checkProvider(provider);
    if (this.seen[provider] >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ provider, count, resolve }));
  }

  /**
   * Resolves once no chat request is in flight for `provider` (or for any provider): lets a spec
   * see that a request was really given up (the client aborted, a gateway cancelled it) without
   * sleeping.
   */
  idle(provider?: ProviderName): Promise<void> {
    if (provider !== undefined) checkProvider(provider);
    if (this.inFlight(provider) === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push({ provider, resolve }));
  }

  private inFlight(provider: ProviderName | undefined): number {
    const providers = provider === undefined ? PROVIDERS : [provider];
    return providers.reduce((sum, p) => sum + endpointCounters(this.count, p).inFlight, 0);
  }

  /**
   * Stops the server and ends every connection, hung and slow requests included, so the process
   * can exit. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const control = this.controlPath;
    if (control !== false && (path === control || path.startsWith(`${control}/`))) {
      if (req.method !== 'GET' && !this.controlGate.allows(req.headers.authorization)) {
        req.resume();
        return sendJson(
          res,
          401,
          { error: 'the control route needs "Authorization: Bearer <controlToken>"' },
          { 'www-authenticate': 'Bearer realm="fake-provider"' },
        );
      }
      return handleControl(this, req, res, path.slice(control.length));
    }
    const wire = PROVIDERS.map((p) => WIRES[p]).find((w) => w.matches(path));
    if (wire === undefined) {
      return sendJson(res, 404, {
        error: {
          message: `Unknown request URL: ${req.method} ${path}`,
          type: 'invalid_request_error',
        },
      });
    }
    if (req.method !== 'POST') {
      const body = wire.errorBody(
        405,
        { message: `Method ${req.method} not allowed; use POST` },
        undefined,
        'req_fake',
      );
      return sendJson(res, 405, body, { allow: 'POST' });
    }
    await this.exchange(wire, req, res, path);
  }

  private async exchange(
    wire: ProviderWire,
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<void> {
    const counters = endpointCounters(this.count, wire.name);
    counters.requests++;
    counters.inFlight++;
    let complete = false;
    res.once('close', () => {
      // The counters of now: resetCounters() may have replaced them since (carrying inFlight over).
      const now = endpointCounters(this.count, wire.name);
      now.inFlight--;
      if (complete) now.succeeded++;
      else now.failed++;
      if (this.idleWaiters.length > 0) this.wakeIdle();
    });
    const n = ++this.sequence;
    const requestId = `req_fake_${n}`;
    const reject = (status: number, message?: string) =>
      sendJson(res, status, wire.errorBody(status, { message }, undefined, requestId), {
        [wire.requestIdHeader]: requestId,
      });

    const text = await readBody(req, BODY_LIMIT);
    if (text === undefined) return reject(413, `Request body exceeds ${BODY_LIMIT} bytes.`);
    const body = parseJson(text);
    if (body === undefined) return reject(400, 'The request body is not valid JSON.');
    if (this.apiKey !== undefined && wire.apiKeyOf(req.headers) !== this.apiKey) {
      return reject(401);
    }
    const request = wire.parse(body, path);
    if (typeof request === 'string') return reject(400, request);

    const fault = this.decide(wire.name, request.stream);
    if (fault !== undefined) counters.faulted++;
    this.arrived(wire.name);
    const exchange: Exchange = {
      res,
      wire,
      request,
      text: this.reply(request),
      id: `${wire.idPrefix}${n}`,
      requestId,
      sleep: (ms) => sleep(res, ms),
      succeed: () => (complete = true),
    };
    await play(exchange, fault);
  }

  /** Whether `provider`'s fault strikes this request; a spent fault clears itself. */
  private decide(provider: ProviderName, stream: boolean): Fault | undefined {
    const schedule = this.schedules.get(provider);
    if (schedule === undefined || (isStreamOnly(schedule.fault) && !stream)) return undefined;
    const fault = schedule.draw();
    if (schedule.spent) this.schedules.delete(provider);
    return fault;
  }

  private wakeIdle(): void {
    const ready = this.idleWaiters.filter((w) => this.inFlight(w.provider) === 0);
    this.idleWaiters = this.idleWaiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  }

  private arrived(provider: ProviderName): void {
    const seen = ++this.seen[provider];
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.provider === provider && w.count <= seen);
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  }
}

/** Waits `ms` on an unref'ed timer; `false` if the response closed first (client gone, server closing). */
function sleep(res: ServerResponse, ms: number): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    timer.unref();
    res.once('close', onClose);
  });
}

function failed(res: ServerResponse, error: unknown): void {
  if (!res.headersSent) {
    sendJson(res, 500, {
      error: { message: `fake provider failed: ${String(error)}`, type: 'server_error' },
    });
  } else {
    res.destroy();
  }
}
