#!/usr/bin/env node
// Installs the Debian packages the specs need when they are missing: chromium, for the
// dashboard spec in real headless Chromium, and redis-server, which the RedisStore specs start
// on a port of their own (nothing needs it running as a service), and prometheus, whose promtool
// evaluates the Grafana board's queries against a scraped /metrics. Runs before `npm test`; does
// nothing when all are there.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const needed = [
  { pkg: 'chromium', path: '/usr/bin/chromium' },
  { pkg: 'redis-server', path: '/usr/bin/redis-server' },
  { pkg: 'prometheus', path: '/usr/bin/promtool' },
];
const missing = needed.filter(({ path }) => !existsSync(path)).map(({ pkg }) => pkg);
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = isRoot ? [] : ['sudo'];
console.log(`installing ${missing.join(', ')} (needed by the specs) with apt-get`);
const run = (args) =>
  execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), {
    stdio: 'inherit',
  });
try {
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
} catch (error) {
  console.error(
    `could not install ${missing.join(', ')}: install them by hand (apt-get install ${missing.join(' ')})`,
  );
  process.exit(1);
}
