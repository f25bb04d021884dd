import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BreakerRegistry } from '../../lib/registry/breaker-registry.js';
import { acquireHistory } from '../../lib/registry/registry-history.js';
import {
  errorAnswer,
  jsonAnswer,
  type AdminAnswer,
  type EventStreamAnswer,
} from './admin-answer.js';
import { AdminAuth } from './admin-auth.js';
import type { MetricsSource, ResolvedAdminOptions } from './admin-options.js';
import { matchRoute, type MatchedRoute, type RouteMatch } from './admin-routes.js';
import { dashboardPage } from './dashboard-page.js';
import { EVENT_STREAM_HEADERS, EventStreams } from './event-streams.js';
import { readHealth } from './health.js';
import { assetAnswer } from './dashboard-assets.js';
import { configAnswer, configure } from './config-route.js';
import { readBody } from './request-body.js';

/** One request as the admin core sees it; the Express and Koa adapters build it. */
export interface AdminRequest<Req> {
  readonly method: string;
  /** The path relative to where the router is mounted, without the query, still percent-encoded. */
  readonly path: string;
  /** Express's `req` or Koa's `ctx`, handed to `authorize`. */
  readonly raw: Req;
  /** The Node request, for the body. */
  readonly node: IncomingMessage;
  /** What a body parser that ran before the router left, if any. */
  readonly parsedBody: unknown;
}

/** A metrics source the router made itself, and how to let it go. */
export interface OwnedMetrics {
  readonly source: MetricsSource;
  dispose(): void;
}

/** Makes the default metrics source; the adapters pass one that loads `breakwater/prometheus`. */
export type MetricsLoader = () => Promise<OwnedMetrics>;

/**
 * The admin router without a framework: matches routes, checks access, and answers with plain
 * {@link AdminAnswer}s that the Express and Koa adapters write as they are, so both answer
 * byte for byte the same. No route makes a breaker: every lookup uses `registry.find`.
 */
export class AdminCore<Req> {
  private readonly auth: AdminAuth<Req>;
  private readonly streams: EventStreams;
  private readonly metrics: Promise<MetricsSource | Error> | MetricsSource | false;
  private readonly owned: Promise<OwnedMetrics | Error> | null = null;
  private readonly history: ReturnType<typeof acquireHistory> | null;

  constructor(
    private readonly registry: BreakerRegistry,
    private readonly options: ResolvedAdminOptions<Req>,
    loadMetrics?: MetricsLoader,
  ) {
    this.auth = new AdminAuth(options.token, options.authorize);
    this.history =
      options.history === false ? null : acquireHistory(registry, options.history, options.onError);
    this.streams = new EventStreams(
      registry,
      options.eventsInterval,
      options.onError,
      this.history?.history,
    );
    if (options.metrics !== undefined) this.metrics = options.metrics;
    else if (loadMetrics === undefined) this.metrics = false;
    else {
      const owned = loadMetrics().catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      );
      this.owned = owned;
      this.metrics = owned.then((o) => (o instanceof Error ? o : o.source));
    }
  }

  /** How many `GET /events` streams are open. */
  get eventStreams(): number {
    return this.streams.size;
  }

  /** What a request is to the router; `null` for a path it does not serve. */
  match(method: string, path: string): RouteMatch {
    return matchRoute(method, path);
  }

  /**
   * Answers a request that {@link match} recognised. Never rejects: an unexpected error is
   * reported to `onError` and answered with a bare 500.
   */
  async answer(
    request: AdminRequest<Req>,
    match: Exclude<RouteMatch, null>,
  ): Promise<AdminAnswer | EventStreamAnswer> {
    try {
      return await this.route(request, match);
    } catch (error) {
      this.options.onError(error);
      return errorAnswer(
        500,
        'internal_error',
        'The admin router failed to answer; see the server log',
      );
    }
  }

  /** Starts the event stream of a request that {@link answer} answered with `events`. */
  openEvents(request: IncomingMessage, response: ServerResponse): void {
    this.streams.open(request, response);
  }

  /** Ends every event stream and releases the metrics the router made. */
  async close(): Promise<void> {
    this.streams.close();
    this.history?.release();
    if (this.owned !== null) {
      const owned = await this.owned;
      if (!(owned instanceof Error)) owned.dispose();
    }
  }

  private async route(
    request: AdminRequest<Req>,
    match: Exclude<RouteMatch, null>,
  ): Promise<AdminAnswer | EventStreamAnswer> {
    if (match.kind === 'malformed')
      return errorAnswer(400, 'bad_request', 'The path is not valid percent-encoding');
    if (match.kind === 'method') {
      return errorAnswer(
        405,
        'method_not_allowed',
        `Use ${match.allow.join(' or ')} on this route`,
        {
          allow: match.allow.join(', '),
        },
      );
    }
    const authorization = request.node.headers.authorization;
    const verdict = await this.auth.check(request.raw, accessOf(match), authorization);
    if (!verdict.allowed) {
      const code = verdict.status === 401 ? 'unauthorized' : 'forbidden';
      const headers =
        verdict.status === 401 ? { 'www-authenticate': 'Bearer realm="breakwater"' } : undefined;
      return errorAnswer(verdict.status, code, verdict.message, headers);
    }
    let body: Record<string, unknown> = {};
    if (match.action === 'write') {
      const read = await readBody(request.node, request.parsedBody, this.options.bodyLimit);
      if ('kind' in read) return read;
      body = read.value;
    }
    return this.serve(match, request.method, body);
  }

  private async serve(
    match: MatchedRoute,
    method: string,
    body: Record<string, unknown>,
  ): Promise<AdminAnswer | EventStreamAnswer> {
    switch (match.name) {
      case 'dashboard':
        return this.dashboard();
      case 'list':
        return jsonAnswer(200, { breakers: this.registry.snapshot() });
      case 'resetAll':
        this.registry.reset();
        return jsonAnswer(200, { breakers: this.registry.snapshot() });
      case 'health': {
        const { httpStatus, report } = readHealth(this.registry);
        return jsonAnswer(httpStatus, report);
      }
      case 'metrics':
        return this.renderMetrics();
      case 'events':
        // HEAD gets the stream's headers and ends: a stream that never ends would hold the
        // connection, and any request pipelined behind it, forever.
        if (method === 'HEAD')
          return { kind: 'answer', status: 200, headers: EVENT_STREAM_HEADERS, body: '' };
        return { kind: 'events' };
      case 'asset':
        return assetAnswer(match.asset!);
      case 'history':
        return this.breakerHistory(match.breaker!);
      case 'config':
      case 'configure':
        return this.config(match.breaker!, match.name === 'configure' ? body : undefined);
      case 'show':
      case 'reset':
      case 'open':
      case 'disable':
      case 'enable': {
        const breaker = this.registry.find(match.breaker!);
        if (breaker === undefined) {
          return errorAnswer(
            404,
            'not_found',
            `No breaker called ${JSON.stringify(match.breaker)}`,
          );
        }
        if (match.name === 'reset') breaker.reset();
        if (match.name === 'open') breaker.isolate();
        if (match.name === 'disable') breaker.disable();
        if (match.name === 'enable') breaker.enable();
        return jsonAnswer(200, breaker.snapshot());
      }
    }
  }

  /** `GET .../history`: the samples and state bands the dashboard draws. */
  private breakerHistory(name: string): AdminAnswer {
    if (this.history === null) {
      return errorAnswer(404, 'not_found', 'History is turned off on this router (history: false)');
    }
    const history = this.history.history.of(name);
    if (history === undefined) {
      return errorAnswer(404, 'not_found', `No breaker called ${JSON.stringify(name)}`);
    }
    return jsonAnswer(200, history);
  }

  /** `GET` (no `changes`) or `PATCH .../config`. */
  private config(name: string, changes: Record<string, unknown> | undefined): AdminAnswer {
    const breaker = this.registry.find(name);
    if (breaker === undefined) {
      return errorAnswer(404, 'not_found', `No breaker called ${JSON.stringify(name)}`);
    }
    if (changes === undefined) return jsonAnswer(200, configAnswer(breaker));
    return configure(breaker, changes);
  }

  private dashboard(): AdminAnswer {
    const nonce = randomBytes(16).toString('base64');
    return {
      kind: 'answer',
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      },
      body: dashboardPage({ nonce, mutations: this.auth.mode, panels: this.options.panels }),
    };
  }

  private async renderMetrics(): Promise<AdminAnswer> {
    if (this.metrics === false)
      return errorAnswer(
        404,
        'not_found',
        'Metrics are turned off on this router (metrics: false)',
      );
    const resolved = this.metrics instanceof Promise ? await this.metrics : this.metrics;
    if (resolved instanceof Error) {
      return errorAnswer(
        501,
        'metrics_unavailable',
        'GET /metrics needs the optional peer dependency prom-client: npm install prom-client',
      );
    }
    const source = resolved;
    const text = await source.metrics();
    return {
      kind: 'answer',
      status: 200,
      headers: { 'content-type': source.contentType, 'cache-control': 'no-store' },
      body: text,
    };
  }
}

function accessOf(match: MatchedRoute): {
  action: 'read' | 'write';
  route: MatchedRoute['name'];
  breaker?: string;
} {
  return match.breaker === undefined
    ? { action: match.action, route: match.name }
    : { action: match.action, route: match.name, breaker: match.breaker };
}
