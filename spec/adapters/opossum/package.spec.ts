/**
 * breakwater/opossum as users load it: `import` (ESM) and `require()` (CommonJS, most opossum
 * users), and its types: a file written against @types/opossum compiles with the import swapped.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import CircuitBreaker from 'breakwater/opossum';
import { CircuitBreaker as Local } from '../../../adapters/opossum/index.js';

const root = new URL('../../../../', import.meta.url);
const fixtures = new URL('spec/adapters/opossum/fixtures/', root);

describe('breakwater/opossum as a package', () => {
  it('import gives the CircuitBreaker class as the default export', () => {
    expect(CircuitBreaker).to.equal(Local);
  });

  it('require() gives the class itself, from a CommonJS build', () => {
    const required = createRequire(import.meta.url)('breakwater/opossum') as typeof CircuitBreaker;
    expect(required).to.be.a('function');
    expect(required.name).to.equal('CircuitBreaker');
    expect(required, 'a CommonJS copy, not the ESM module').to.not.equal(CircuitBreaker);
    const breaker = new required(async () => 1, { name: 'required' });
    expect(breaker.closed).to.equal(true);
    breaker.shutdown();
  });

  it('a CommonJS program using it the opossum way runs under node', function () {
    this.timeout(20_000);
    const out = execFileSync(
      process.execPath,
      [fileURLToPath(new URL('require-user.cjs', fixtures))],
      {
        cwd: fileURLToPath(root),
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(out)).to.deep.equal({
      doubled: 42,
      refused: 'EOPENBREAKER',
      events: ['success', 'open'],
      isOurError: false,
      isClass: true,
      named: ['CircuitBreaker', 'MemoryCache', 'Status', 'default'],
      stats: 2,
    });
  });

  it('code written against @types/opossum compiles with the import swapped, ESM and CommonJS', function () {
    this.timeout(60_000);
    const dir = new URL('dist/type-check/opossum/', root);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const source = readFileSync(new URL('opossum-user.ts', fixtures), 'utf8');
    const swapped = source.replace("from 'opossum';", "from 'breakwater/opossum';");
    expect(swapped).to.not.equal(source);
    writeFileSync(new URL('opossum-user.ts', dir), swapped);
    writeFileSync(
      new URL('require-user.cts', dir),
      readFileSync(new URL('require-user.cts', fixtures), 'utf8'),
    );
    writeFileSync(
      new URL('tsconfig.json', dir),
      JSON.stringify({
        extends: '../../../tsconfig.base.json',
        compilerOptions: { noEmit: true, types: ['node'], rootDir: '.', customConditions: [] },
        files: ['opossum-user.ts', 'require-user.cts'],
      }),
    );
    const tsc = fileURLToPath(new URL('node_modules/typescript/bin/tsc', root));
    try {
      execFileSync(process.execPath, [tsc, '-p', fileURLToPath(dir)], { encoding: 'utf8' });
    } catch (error) {
      throw new Error(`tsc failed:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
    }
  });
});
