import type { RequestListener } from 'node:http';
import { readGatewayConfig, type GatewayConfig } from './gateway-config.js';
import { GatewayServices, type GatewayOptions } from './gateway-services.js';
import { listenGateway, type RunningGateway } from './serve-gateway.js';

/** Options of the examples' `startGateway()`. */
export interface StartGatewayOptions extends GatewayOptions {
  /** The configuration. Default: read from the environment (`readGatewayConfig`). */
  readonly config?: GatewayConfig;
}

/** A framework's app as the server needs it: a request listener, and what to end at shutdown. */
export interface MountedApp {
  readonly handler: RequestListener;
  close(): Promise<void>;
}

/**
 * Starts a gateway: its services (fake providers in demo mode), the framework's app made by
 * `mount`, and the HTTP server on the configured port. Resolves once it listens; if anything
 * fails on the way, what was started is closed again.
 */
export async function startGatewayWith(
  framework: string,
  options: StartGatewayOptions,
  mount: (services: GatewayServices) => MountedApp,
): Promise<RunningGateway> {
  const { config = readGatewayConfig(process.env), ...rest } = options;
  const services = await GatewayServices.start(config, rest);
  let app: MountedApp;
  try {
    app = mount(services);
  } catch (error) {
    await services.close(0);
    throw error;
  }
  return listenGateway(app.handler, services, framework, () => app.close());
}
