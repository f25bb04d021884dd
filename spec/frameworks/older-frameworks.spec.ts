/**
 * Express 4 and Koa 2, as users of the peer ranges have them. They are installed beside the
 * current majors under aliases (`express4: npm:express@4`, `koa2: npm:koa@2`), and a child
 * process runs the specs of the admin router, protect() and the example gateways (Express and
 * Koa) with `express` and `koa` resolved to those copies (spec/frameworks/alias-resolve.ts).
 * Only the dashboard's Chromium spec is left out: its page does not depend on the framework.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const dist = fileURLToPath(new URL('../', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The framework-facing specs, as compiled. */
async function frameworkSpecs(): Promise<string[]> {
  const http = (await readdir(join(dist, 'adapters/http')))
    .filter((name) => name.endsWith('.spec.js') && name !== 'dashboard.spec.js')
    .map((name) => join(dist, 'adapters/http', name));
  const examples = ['gateway.spec.js', 'readme-examples.spec.js'].map((name) =>
    join(dist, 'examples', name),
  );
  return [join(dist, 'frameworks/framework-versions.check.js'), ...http, ...examples];
}

interface MochaReport {
  stats: { tests: number; passes: number; failures: number; pending: number };
  failures: { fullTitle: string; err: { message: string } }[];
}

describe('Express 4 and Koa 2', function () {
  this.timeout(120_000);

  it('pass the admin router, protect() and example gateway specs', async () => {
    const files = await frameworkSpecs();
    expect(files.length).to.be.greaterThan(6);
    const dir = await mkdtemp(join(tmpdir(), 'breakwater-frameworks-'));
    const output = join(dir, 'report.json');
    try {
      await run(
        process.execPath,
        [
          '--import',
          join(dist, 'frameworks/register-aliases.js'),
          join(root, 'node_modules/mocha/bin/mocha.js'),
          '--no-config',
          '--timeout',
          '20000',
          '--reporter',
          'json',
          '--reporter-option',
          `output=${output}`,
          ...files,
        ],
        {
          cwd: root,
          env: {
            ...process.env,
            BREAKWATER_FRAMEWORK_ALIASES: JSON.stringify({ express: 'express4', koa: 'koa2' }),
            BREAKWATER_FRAMEWORK_MAJORS: JSON.stringify({ express: 4, koa: 2 }),
          },
          maxBuffer: 16 * 1024 * 1024,
        },
      ).catch((error: { stderr?: string }) => {
        if (error.stderr) console.error(error.stderr);
      });
      const report = JSON.parse(await readFile(output, 'utf8')) as MochaReport;
      const failed = report.failures.map((f) => `${f.fullTitle}: ${f.err.message}`);
      expect(failed).to.deep.equal([]);
      expect(report.stats.failures).to.equal(0);
      expect(report.stats.passes).to.be.greaterThan(100);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
