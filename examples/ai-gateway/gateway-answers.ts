import type { ServerResponse } from 'node:http';
import { TIERS } from './chat-service.js';
import { errorReply, type HttpReply } from './chat-wire.js';
import { CONTROL_PATH } from './demo-controls.js';
import { DEMO_ASK_PATH } from './demo-traffic.js';
import type { GatewayServices } from './gateway-services.js';

/** `GET /`: what the gateway serves and where. */
export function rootReply(services: GatewayServices): HttpReply {
  const body = {
    name: 'breakwater AI gateway',
    chat: 'POST /v1/chat/completions',
    tiers: TIERS,
    admin: '/admin',
    faults: services.demoControls === null ? null : CONTROL_PATH,
    ask: services.demoControls === null ? null : `POST ${DEMO_ASK_PATH}`,
  };
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

/** Any other path: a 404 in OpenAI's error shape. */
export function notFoundReply(method: string, path: string): HttpReply {
  return errorReply(404, `Unknown request URL: ${method} ${path}`, 'invalid_request_error', {
    code: 'unknown_url',
  });
}

/** A request the app failed on unexpectedly (the error goes to the log, not to the caller). */
export function internalErrorReply(): HttpReply {
  return errorReply(500, 'The gateway failed to answer; see its log.', 'server_error');
}

/** Writes a reply on a Node response (Express; Koa sets `ctx` fields instead). */
export function writeReply(res: ServerResponse, reply: HttpReply): void {
  if (res.headersSent) return void res.end();
  res.writeHead(reply.status, reply.headers).end(reply.body);
}
