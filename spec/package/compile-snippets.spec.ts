/**
 * The README's code and the examples, compiled by the real `tsc` against the built package as a
 * user installs it (`node_modules/breakwater`), in three setups, each with
 * `exactOptionalPropertyTypes` and `strict` on:
 * - `tsc --init`'s file, changed only as docs/engine.md tells users to change it (TC39 decorators);
 * - the same, changed as it says for legacy decorators (`experimentalDecorators`,
 *   `emitDecoratorMetadata`), where tsyringe's snippets compile too;
 * - a minimal hand-written file for TC39 decorators with `skipLibCheck` off, so the shipped
 *   declarations themselves are checked against the typings of the frameworks;
 * and once more the first setup with Express 4, Koa 2 and their typings (`@types/express` 4,
 * `@types/koa` 2) where a user's install has them.
 * The first setup's output is then run by Node: decorated classes load, the quick start works.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { compilerChanges, readmeSnippets, snippetModule, withPackageImports } from './snippets.js';
import { entryPoints } from './tarball.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');

type Setup = 'init' | 'legacy' | 'minimal' | 'older';

/**
 * The `older` setup's node_modules: Express 4 and Koa 2 with their typings (installed under the
 * aliases `express4`, `koa2`, `@types/express4`, `@types/koa2`) where a user has them.
 */
const OLDER: Record<string, string> = {
  express: 'express4',
  koa: 'koa2',
  '@types/express': '@types/express4',
  '@types/koa': '@types/koa2',
  '@koa/router': '@koa/router',
};

/** Runs tsc in `dir`; its diagnostics, or '' when it compiled. */
async function compile(dir: string): Promise<string> {
  return run(process.execPath, [tsc, '-p', dir], { cwd: dir, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string; message: string }) => error.stdout || error.message,
  );
}

/** Public runtime names per subpath, `breakwater` first, then `breakwater/express`. */
async function exportedNames(): Promise<{ specifier: string; names: string[] }[]> {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, { default?: string } | string>;
  };
  const subpaths = entryPoints(manifest.exports)
    .map(({ subpath }) => subpath)
    .sort((a, b) => rank(a) - rank(b));
  const found = [];
  for (const subpath of subpaths) {
    const target = manifest.exports[subpath]!;
    const file = typeof target === 'string' ? target : target.default!;
    const names = Object.keys(await import(pathToFileURL(join(root, file)).href));
    found.push({ specifier: `breakwater${subpath.slice(1)}`, names });
  }
  return found;
}
const rank = (subpath: string) => (subpath === '.' ? 0 : subpath === './express' ? 1 : 2);

describe('README snippets and examples under users’ compiler settings', function () {
  this.timeout(120_000);
  let work: string;
  const dirs = {} as Record<Setup, string>;
  let snippetFiles: { name: string; legacyOnly: boolean }[];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'breakwater-compile-'));
    const modules = join(work, 'node_modules');
    await mkdir(modules);
    for (const entry of await readdir(join(root, 'node_modules'))) {
      if (entry.startsWith('.')) continue;
      await symlink(join(root, 'node_modules', entry), join(modules, entry), 'dir');
    }
    await symlink(root, join(modules, 'breakwater'), 'dir');

    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const changes = compilerChanges(readme);
    const exported = await exportedNames();
    const snippets = readmeSnippets(readme).filter(
      // blocks taken from an example are compiled as the whole example below
      (snippet) => !snippet.from?.startsWith('examples/'),
    );
    snippetFiles = snippets.map((s) => ({
      name: `snippet-${String(s.index).padStart(2, '0')}.ts`,
      // parameter decorators (@inject) exist only under experimentalDecorators
      legacyOnly: /@inject\(/.test(s.code),
    }));

    const init = join(work, 'init-template');
    await mkdir(init);
    await run(process.execPath, [tsc, '--init'], { cwd: init });
    const generated = await readFile(join(init, 'tsconfig.json'), 'utf8');
    expect(generated).to.match(/"exactOptionalPropertyTypes": true/);
    const configs: Record<Setup, string> = {
      init: generated,
      legacy: generated,
      older: generated,
      minimal: JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'nodenext',
          types: ['node'],
          strict: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          noEmit: true,
        },
      }),
    };
    for (const setup of ['init', 'legacy', 'minimal', 'older'] as const) {
      const dir = (dirs[setup] = join(work, setup));
      await mkdir(join(dir, 'snippets'), { recursive: true });
      await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
      if (setup === 'minimal') await writeFile(join(dir, 'tsconfig.json'), configs.minimal);
      else {
        await writeFile(join(dir, 'tsconfig.init.json'), configs[setup]);
        const compilerOptions =
          setup === 'legacy'
            ? changes.legacy
            : setup === 'init'
              ? changes.standard
              : // resolve from where the links are, as in a flat install (the harness's, not a user's)
                { ...changes.standard, preserveSymlinks: true };
        if (setup === 'older') await olderModules(join(dir, 'node_modules'));
        await writeFile(
          join(dir, 'tsconfig.json'),
          JSON.stringify({ extends: './tsconfig.init.json', compilerOptions }),
        );
      }
      await cp(join(root, 'examples'), join(dir, 'examples'), { recursive: true });
      for (const file of await readdir(join(dir, 'examples'), { recursive: true })) {
        if (!file.endsWith('.ts')) continue;
        const path = join(dir, 'examples', file);
        await writeFile(path, withPackageImports(await readFile(path, 'utf8')));
      }
      for (const [i, snippet] of snippets.entries()) {
        const { name, legacyOnly } = snippetFiles[i]!;
        if (legacyOnly && setup !== 'legacy') continue;
        await writeFile(join(dir, 'snippets', name), snippetModule(snippet.code, exported));
      }
    }
  });

  /** The four compilations, started together at the end of before(): tsc is one process each. */
  let compiled: Record<Setup, Promise<string>>;
  before(() => {
    compiled = {
      init: compile(dirs.init),
      legacy: compile(dirs.legacy),
      minimal: compile(dirs.minimal),
      older: compile(dirs.older),
    };
  });

  /** Express 4 and Koa 2 where a user has them, and a copy of the package that finds them. */
  async function olderModules(modules: string): Promise<void> {
    for (const [name, installed] of Object.entries(OLDER)) {
      await mkdir(join(modules, name, '..'), { recursive: true });
      await symlink(join(root, 'node_modules', installed), join(modules, name), 'dir');
    }
    const copy = join(modules, 'breakwater');
    await mkdir(copy);
    await cp(join(root, 'package.json'), join(copy, 'package.json'));
    for (const dir of ['dist/lib', 'dist/adapters']) {
      await cp(join(root, dir), join(copy, dir), { recursive: true });
    }
  }

  after(async () => {
    if (process.env['KEEP'] !== undefined) return;
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('reads the settings to change from the docs', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    expect(compilerChanges(readme)).to.deep.equal({
      standard: { target: 'es2022', types: ['node'] },
      legacy: {
        target: 'es2022',
        types: ['node'],
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
      },
    });
    expect(snippetFiles.length).to.be.greaterThan(15);
  });

  for (const [setup, title] of [
    ['init', 'tsc --init, changed as the README says for standard decorators'],
    ['legacy', 'tsc --init, changed as the README says for experimentalDecorators'],
    ['minimal', 'TC39 decorators, a minimal config, skipLibCheck off'],
    ['older', 'the first setup with Express 4, Koa 2 and their typings'],
  ] as const) {
    it(`compile: ${title}`, async () => {
      const output = await compiled[setup];
      // Errors inside other packages' typings (skipLibCheck off checks them all) are theirs.
      const errors = output
        .split('\n')
        .filter((line) => line.includes('error TS') && !line.includes('/node_modules/'));
      expect(
        errors,
        'a README block that uses a name it does not make (an app, a client) needs it declared ' +
          'in CONTEXT of spec/package/snippets.ts; snippets/snippet-NN.ts is the NNth ```ts block',
      ).to.deep.equal([]);
      const files = await readdir(dirs[setup], { recursive: true });
      expect(
        files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).length,
      ).to.be.greaterThan(30);
    });
  }

  it('runs what the first setup emitted on this Node: decorated classes load, the quick start answers', async () => {
    const dir = dirs.init;
    await compiled.init;
    const decorated = readmeSnippets(await readFile(join(root, 'README.md'), 'utf8')).find(
      (s) => s.from === 'spec/decorators/fixtures/readme-llm.ts',
    )!;
    const llm = `snippets/snippet-${String(decorated.index).padStart(2, '0')}.js`;
    const script = [
      `const { Llm } = await import('./${llm}');`,
      "const { ask } = await import('./examples/quick-start/index.js');",
      "await import('./examples/ai-gateway/chat-service.js');",
      "const up = { complete: async (p) => 'openai: ' + p };",
      "const llm = new Llm(up, { complete: async (p) => 'claude: ' + p });",
      "console.log(await llm.complete('hi'), '|', await ask(async (p) => 'echo ' + p, 'hi'));",
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
    });
    expect(stdout.trim()).to.equal('openai: hi | echo hi');
    expect(relative(work, dir)).to.equal('init');
  });
});
