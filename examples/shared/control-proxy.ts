import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { errorReply, type HttpReply } from './chat-wire.js';
import { readBodyText } from './read-body.js';

/** Where the gateway serves the fake providers' control route in demo mode. */
export const CONTROL_PATH = '/_control';

const BODY_LIMIT = 64 * 1024;

/**
 * Demo mode: the fake providers' control route (see docs/testing.md), served by the gateway
 * under {@link CONTROL_PATH} so that the dashboard, on the same origin, can switch faults.
 * Reading is open; changing a fault needs the admin token as `Authorization: Bearer <token>`.
 */
export class ControlProxy {
  private readonly token: Buffer | null;

  constructor(
    /** The fake server's control root, such as `http://127.0.0.1:4010/_control`. */
    private readonly target: string,
    adminToken: string | undefined,
  ) {
    this.token = adminToken === undefined ? null : Buffer.from(adminToken);
  }

  /** Whether the gateway path is the proxy's. */
  serves(path: string): boolean {
    return path === CONTROL_PATH || path.startsWith(`${CONTROL_PATH}/`);
  }

  /** Forwards one request (path relative to the gateway root) and answers what the fake said. */
  async forward(req: IncomingMessage, path: string): Promise<HttpReply> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && !this.allowed(req.headers.authorization)) {
      return errorReply(
        401,
        'Changing a fake provider needs the admin token: Authorization: Bearer <ADMIN_TOKEN>',
        'unauthorized',
        { headers: { 'www-authenticate': 'Bearer realm="breakwater"' } },
      );
    }
    const body =
      method === 'GET' || method === 'HEAD' ? undefined : await readBodyText(req, BODY_LIMIT);
    if (body === null) return errorReply(413, `Body larger than ${BODY_LIMIT} bytes.`, 'too_large');
    const answer = await fetch(this.target + path.slice(CONTROL_PATH.length), {
      method,
      headers: { 'content-type': 'application/json' },
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
    const given = Buffer.from(match[1]!);
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }
}
