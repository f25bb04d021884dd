/**
 * Run only in the child process of older-frameworks.spec.ts (its name does not end in
 * `.spec.js`): proves the specs beside it really got the aliased frameworks.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';

/** The `version` of the package that `import specifier` loads here. */
function versionOf(specifier: string): string {
  const entry = import.meta.resolve(specifier);
  const manifest = new URL(`${entry.slice(0, entry.lastIndexOf('/node_modules/'))}/node_modules/`);
  const name = entry.slice(manifest.href.length).split('/')[0]!;
  const pkg = JSON.parse(readFileSync(new URL(`${name}/package.json`, manifest), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

describe('frameworks under their aliases', () => {
  it('express and koa are the versions asked for', () => {
    const wanted = JSON.parse(process.env['BREAKWATER_FRAMEWORK_MAJORS'] ?? '{}') as Record<
      string,
      number
    >;
    for (const [name, major] of Object.entries(wanted)) {
      expect(versionOf(name).split('.')[0], `${name} ${versionOf(name)}`).to.equal(String(major));
    }
  });
});
