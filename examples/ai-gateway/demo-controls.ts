import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ActiveFault } from '../../lib/testing/index.js';
import type { ChatService } from './chat-service.js';
import { errorReply, type HttpReply } from './chat-wire.js';
import { askDemoQuestions, DEMO_ASK_LIMIT, DEMO_ASK_PATH } from './demo-traffic.js';
import { DEMO_FAULTS_PATH, faultStatus } from './demo-faults.js';
import { readBodyText } from './read-body.js';

/** Where the gateway serves the fake providers' control route in demo mode. */
export const CONTROL_PATH = '/_control';

const BODY_LIMIT = 64 * 1024;

/**
 * Demo mode's routes, on the gateway's own origin so that the dashboard may call them:
 *
 * | route | |
 * |---|---|
 * | `/_control/...` | the fake providers' control route (docs/testing.md), forwarded as it is |
 * | `POST /_demo/ask` | asks `{ count }` questions (default 10, at most 50) and says which tier answered |
 * | `GET /_demo/faults/:provider` | `{ active, message }`: which fault switch is in force (a panel's `status`) |
 *
 * Reading the control route is open; everything else needs the admin token as
 * `Authorization: Bearer <token>`.
 */
export class DemoControls {
  private readonly token: Buffer | null;

  constructor(
    /** The fake server's control root, such as `http://127.0.0.1:4010/_control`. */
    private readonly target: string,
    private readonly chat: ChatService,
    /** Also the fake's `controlToken`: forwarded changes carry it. */
    private readonly adminToken: string | undefined,
  ) {
    this.token = adminToken === undefined ? null : digest(adminToken);
  }

  /** Whether a gateway path is one of these routes. */
  serves(path: string): boolean {
    return (
      path === CONTROL_PATH ||
      path.startsWith(`${CONTROL_PATH}/`) ||
      path === DEMO_ASK_PATH ||
      path.startsWith(`${DEMO_FAULTS_PATH}/`)
    );
  }

  /** Answers one request; `path` is relative to the gateway's root. */
  async answer(req: IncomingMessage, path: string): Promise<HttpReply> {
    const method = req.method ?? 'GET';
    const reading = method === 'GET' && path !== DEMO_ASK_PATH;
    if (!reading && !this.allowed(req.headers.authorization)) {
      req.resume();
      return errorReply(
        401,
        'Demo controls need the admin token: Authorization: Bearer <ADMIN_TOKEN>',
        'unauthorized',
        { headers: { 'www-authenticate': 'Bearer realm="breakwater"' } },
      );
    }
    const body = reading ? undefined : await readBodyText(req, BODY_LIMIT);
    if (body === null) return errorReply(413, `Body larger than ${BODY_LIMIT} bytes.`, 'too_large');
    if (path.startsWith(`${DEMO_FAULTS_PATH}/`)) return this.faultInForce(method, path);
    return path === DEMO_ASK_PATH ? this.ask(method, body) : this.forward(method, path, body);
  }

  private async ask(method: string, body: string | undefined): Promise<HttpReply> {
    if (method !== 'POST') {
      return errorReply(405, 'Use POST', 'method_not_allowed', { headers: { allow: 'POST' } });
    }
    let count: unknown = 10;
    if (body !== undefined && body.trim() !== '') {
      try {
        count = (JSON.parse(body) as { count?: unknown }).count ?? 10;
      } catch {
        return errorReply(400, 'The body is not valid JSON.', 'invalid_request_error');
      }
    }
    if (
      typeof count !== 'number' ||
      !Number.isInteger(count) ||
      count < 1 ||
      count > DEMO_ASK_LIMIT
    ) {
      return errorReply(
        400,
        `count must be an integer from 1 to ${DEMO_ASK_LIMIT}, got ${JSON.stringify(count)}`,
        'invalid_request_error',
        { param: 'count' },
      );
    }
    const result = await askDemoQuestions(this.chat, count);
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify(result),
    };
  }

  private async faultInForce(method: string, path: string): Promise<HttpReply> {
    if (method !== 'GET') {
      return errorReply(405, 'Use GET', 'method_not_allowed', { headers: { allow: 'GET' } });
    }
    const provider = decodeURIComponent(path.slice(DEMO_FAULTS_PATH.length + 1));
    const answer = await fetch(`${this.target}/`);
    const { faults } = (await answer.json()) as { faults: Record<string, ActiveFault | null> };
    if (!Object.hasOwn(faults, provider)) {
      return errorReply(404, `No fake provider called ${JSON.stringify(provider)}`, 'not_found');
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify(faultStatus(faults[provider])),
    };
  }

  private async forward(
    method: string,
    path: string,
    body: string | undefined,
  ): Promise<HttpReply> {
    const answer = await fetch(this.target + path.slice(CONTROL_PATH.length), {
      method,
      headers: {
        'content-type': 'application/json',
        ...(this.adminToken === undefined ? {} : { authorization: `Bearer ${this.adminToken}` }),
      },
      ...(body === undefined || body === '' ? {} : { body }),
    });
    const headers: Record<string, string> = {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
      'cache-control': 'no-store',
    };
    const allow = answer.headers.get('allow');
    if (allow !== null) headers['allow'] = allow;
    return { status: answer.status, headers, body: await answer.text() };
  }

  private allowed(authorization: string | undefined): boolean {
    if (this.token === null || authorization === undefined) return false;
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match === null) return false;
    return timingSafeEqual(digest(match[1]!), this.token);
  }
}

/** Equal-length digests: the comparison takes the same time whatever the guess's length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
