import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayServices } from './gateway-services.js';

/** A gateway listening for requests. */
export interface RunningGateway {
  /** The gateway's root, such as `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The dashboard and admin routes: `url + '/admin'`. */
  readonly adminURL: string;
  /** Which web framework serves it. */
  readonly framework: string;
  readonly server: Server;
  readonly services: GatewayServices;
  /**
   * Graceful shutdown: stops accepting connections, ends the dashboard's event streams, lets
   * the requests in flight finish for up to `SHUTDOWN_TIMEOUT_MS` (provider calls still running
   * then are aborted), ends the connections left, and closes the fake providers. Idempotent.
   */
  close(): Promise<void>;
}

/** How long after the provider calls are done the gateway waits for their answers to be written. */
const WRITE_GRACE_MS = 1_000;

/**
 * Serves `handler` (an Express app, or a Koa app's `callback()`) on the configured host and
 * port, and returns the {@link RunningGateway}. `closeApp` ends what the app holds open (the
 * admin router's event streams) when the gateway shuts down.
 */
export async function listenGateway(
  handler: RequestListener,
  services: GatewayServices,
  framework: string,
  closeApp: () => Promise<void>,
): Promise<RunningGateway> {
  // Responses in flight, so that a shutdown can ask for their connections to close after them.
  const responses = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    responses.add(res);
    res.once('close', () => responses.delete(res));
    handler(req, res);
  });
  const { port, host } = services.config;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await closeApp();
    await services.close(0);
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${/^(0\.0\.0\.0|\[::\])$/.test(shown) ? 'localhost' : shown}:${address.port}`;
  let closing: Promise<void> | null = null;
  return {
    url,
    adminURL: `${url}/admin`,
    framework,
    server,
    services,
    close: () => (closing ??= shutDown(server, responses, services, closeApp)),
  };
}

async function shutDown(
  server: Server,
  responses: ReadonlySet<ServerResponse>,
  services: GatewayServices,
  closeApp: () => Promise<void>,
): Promise<void> {
  const deadline = services.config.shutdownTimeoutMs;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections end with the answer they are waiting for.
  for (const res of responses) if (!res.headersSent) res.setHeader('connection', 'close');
  services.log(
    `shutting down: ${services.endpoint.inFlight} chat request(s) in flight, waiting up to ${deadline} ms`,
  );
  await closeApp();
  await services.registry.close(deadline);
  await within(closed, WRITE_GRACE_MS);
  server.closeAllConnections();
  await closed;
  await services.fake?.close();
  services.log('gateway stopped');
}

/** Waits for `promise`, but no longer than `ms` (on an unref'ed timer). */
function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
