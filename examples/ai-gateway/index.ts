import { isMain, runFromCommandLine } from './command-line.js';
import type { RunningGateway } from './serve-gateway.js';
import { startGatewayWith, type StartGatewayOptions } from './start-gateway.js';
import { createGatewayApp } from './app.js';

export { createGatewayApp, type ExpressGateway } from './app.js';
export type { RunningGateway } from './serve-gateway.js';
export type { StartGatewayOptions } from './start-gateway.js';

/**
 * Starts the Express AI gateway: fake providers in demo mode, the app, and the HTTP server on
 * `PORT`. Resolves once it listens. Run this file with Node to start it from the command line
 * (`node dist/examples/ai-gateway/index.js`); importing it starts nothing.
 *
 * @example
 * const gateway = await startGateway({ config: readGatewayConfig({ PORT: '0' }) });
 * // POST `${gateway.url}/v1/chat/completions` ...
 * await gateway.close();
 */
export function startGateway(options: StartGatewayOptions = {}): Promise<RunningGateway> {
  return startGatewayWith('Express', options, (services) => {
    const { app, admin } = createGatewayApp(services);
    return { handler: app, close: () => admin.close() };
  });
}

if (isMain(import.meta.url)) void runFromCommandLine(() => startGateway());
