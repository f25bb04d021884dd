/**
 * The package as `npm pack` makes it, from a checkout with nothing built: `prepack` builds it,
 * every path that package.json and the source maps name is in the tarball, and each subpath
 * export loads from an installed copy the way Node resolves it for users.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { entryPoints, namedPaths, normalise, type Manifest } from './tarball.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
/** What a fresh checkout does not have. */
const UNBUILT = new Set(['node_modules', 'dist', '.git', 'artifacts']);
/** Optional peers a user installs beside the package; tsyringe needs its polyfill first. */
const PEERS = [
  'express',
  'koa',
  '@koa/router',
  'tsyringe',
  'reflect-metadata',
  'ioredis',
  'prom-client',
];

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

describe('npm pack', function () {
  this.timeout(120_000);
  let work: string;
  let unpacked: string;
  let shipped: Set<string>;
  let manifest: Manifest & { scripts?: Record<string, string> };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'breakwater-pack-'));
    const checkout = join(work, 'checkout');
    await cp(root, checkout, {
      recursive: true,
      filter: (source) => !UNBUILT.has(relative(root, source).split(/[\\/]/)[0]!),
    });
    await symlink(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir');
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: checkout,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [{ filename }] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
    // Installed as npm would: the tarball's package/ becomes node_modules/breakwater.
    const modules = join(work, 'app', 'node_modules');
    await mkdir(modules, { recursive: true });
    await run('tar', ['-xzf', join(work, filename), '-C', modules]);
    unpacked = join(modules, 'breakwater');
    await rename(join(modules, 'package'), unpacked);
    shipped = new Set(await filesUnder(unpacked));
    manifest = JSON.parse(
      await readFile(join(unpacked, 'package.json'), 'utf8'),
    ) as typeof manifest;
  });

  after(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('builds the package first (prepack), from a checkout with nothing built', () => {
    // npm run build, whatever steps it grows (a require() entry point made by a script, say)
    expect(manifest.scripts?.['prepack']).to.equal('npm run build');
    expect([...shipped].filter((file) => file.startsWith('dist/')).length).to.be.greaterThan(100);
  });

  it('holds every path named by main, types and exports, under every condition', () => {
    const named = namedPaths(manifest);
    expect(named.length).to.be.greaterThan(10);
    const missing = named.filter(({ path }) => !shipped.has(normalise(path)));
    expect(missing.map(({ where, path }) => `${where}: ${path}`)).to.deep.equal([]);
  });

  it('holds every file a shipped source map or sourceMappingURL points at', async () => {
    const missing: string[] = [];
    let maps = 0;
    for (const file of shipped) {
      if (file.endsWith('.js')) {
        const text = await readFile(join(unpacked, file), 'utf8');
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
        if (url !== undefined && !url.startsWith('data:') && !shipped.has(normalise(url, file))) {
          missing.push(`${file} -> ${url}`);
        }
      }
      if (!file.endsWith('.map')) continue;
      maps++;
      const map = JSON.parse(await readFile(join(unpacked, file), 'utf8')) as {
        sourceRoot?: string;
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      map.sources.forEach((source, i) => {
        if (typeof map.sourcesContent?.[i] === 'string') return;
        const path = normalise(`${map.sourceRoot ?? ''}${source}`, file);
        if (!shipped.has(path)) missing.push(`${file} -> ${source}`);
      });
    }
    expect(maps).to.be.greaterThan(50);
    expect(missing).to.deep.equal([]);
  });

  it('ships the package only: no specs, benchmarks or examples', () => {
    const extra = [...shipped].filter((file) =>
      /^(dist\/)?(spec|bench|examples|legacy)\//.test(file),
    );
    expect(extra).to.deep.equal([]);
  });

  it('loads every subpath export from the installed copy (import, and require where offered)', async () => {
    const app = join(unpacked, '..', '..');
    for (const peer of PEERS) {
      await mkdir(join(app, 'node_modules', peer, '..'), { recursive: true });
      await symlink(join(root, 'node_modules', peer), join(app, 'node_modules', peer), 'dir');
    }
    const entries = entryPoints(manifest.exports);
    expect(entries.map((e) => e.subpath)).to.include.members(['.', './express', './koa']);
    const specifier = (subpath: string) => `breakwater${subpath.slice(1)}`;
    const script = [
      "import 'reflect-metadata';",
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
      'const loaded = {};',
      ...entries.map(({ subpath, conditions }) => {
        const name = JSON.stringify(specifier(subpath));
        const viaRequire = conditions.includes('require')
          ? ` loaded[${name} + ' (require)'] = Object.keys(require(${name})).length;`
          : '';
        return `loaded[${name}] = Object.keys(await import(${name})).length;${viaRequire}`;
      }),
      'console.log(JSON.stringify(loaded));',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: app,
    });
    const loaded = JSON.parse(stdout) as Record<string, number>;
    for (const { subpath, conditions } of entries) {
      expect(loaded[specifier(subpath)], subpath).to.be.greaterThan(0);
      if (conditions.includes('require')) {
        expect(loaded[`${specifier(subpath)} (require)`], `${subpath} (require)`).to.be.greaterThan(
          0,
        );
      }
    }
  });
});
