import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { RunningGateway } from './serve-gateway.js';

/**
 * Whether the module at `moduleURL` (its `import.meta.url`) is the script Node was started
 * with: examples listen only then, and export their app otherwise.
 */
export function isMain(moduleURL: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return moduleURL === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

/**
 * Runs a gateway from the command line: starts it, prints where everything is, and shuts it
 * down gracefully on SIGTERM or SIGINT (a second signal exits at once). The process then exits
 * by itself, with code 0; a watchdog on an unref'ed timer exits with 1 should anything keep it
 * alive past the shutdown deadline.
 */
export async function runFromCommandLine(start: () => Promise<RunningGateway>): Promise<void> {
  let gateway: RunningGateway;
  try {
    gateway = await start();
  } catch (error) {
    console.error(`The gateway did not start: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
    return;
  }
  console.log(banner(gateway));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.log(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
    console.log(`${signal} received`);
    const watchdog = setTimeout(() => {
      console.error('The gateway did not stop in time; exiting');
      process.exit(1);
    }, gateway.services.config.shutdownTimeoutMs + 5_000);
    watchdog.unref();
    gateway.close().then(
      () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
      },
      (error: unknown) => {
        console.error('The gateway failed to shut down cleanly:', error);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * What the gateway prints once it listens: its URLs and the providers. An operator's
 * `ADMIN_TOKEN` is never printed (commands read it from the shell); only a token made up for a
 * demo run is, since nobody could unlock the dashboard without it.
 */
export function banner(gateway: RunningGateway): string {
  const { services, url, adminURL, framework } = gateway;
  const { config, fake, adminToken } = services;
  const fakeURL = {
    openai: fake?.openaiBaseURL,
    anthropic: fake?.anthropicBaseURL,
    google: fake?.googleBaseURL,
  };
  const provider = (name: 'openai' | 'anthropic' | 'google', note = '') => {
    const p = config[name];
    const where = p.fake ? `fake provider at ${fakeURL[name]!}` : (p.baseURL ?? 'the real API');
    return `  ${name.padEnd(10)} ${where} (model ${p.model})${note}`;
  };
  const token =
    adminToken === undefined
      ? 'read-only: set ADMIN_TOKEN to enable reset / open'
      : config.adminToken === undefined
        ? `admin token ${adminToken} (made up for this run; set ADMIN_TOKEN to choose one)`
        : 'admin token from ADMIN_TOKEN';
  const lines = [
    `breakwater AI gateway (${framework}) listening on ${url}`,
    `  chat       POST ${url}/v1/chat/completions`,
    `  dashboard  ${adminURL}  ${token}`,
    provider('openai'),
    provider('anthropic'),
    provider('google', ', streamed answers only'),
  ];
  if (services.demoControls !== null) {
    lines.push(
      `  faults     ${url}/_control (the fake providers' control route; also at ${fake!.controlURL})`,
      '',
      'Try it:',
      `  curl -s ${url}/v1/chat/completions -H 'content-type: application/json' \\`,
      `    -d '{"messages":[{"role":"user","content":"hello"}]}'`,
      // The operator's ADMIN_TOKEN never goes into the log: the command reads it from the shell.
      config.adminToken === undefined
        ? `  curl -s -X PUT ${url}/_control/faults/openai -H 'authorization: Bearer ${adminToken}' \\`
        : `  curl -s -X PUT ${url}/_control/faults/openai -H "authorization: Bearer $ADMIN_TOKEN" \\`,
      `    -H 'content-type: application/json' -d '{"kind":"status","status":503}'`,
      `  then watch ${adminURL} (unlock it with the admin token to switch faults there)`,
    );
  }
  return lines.join('\n');
}
