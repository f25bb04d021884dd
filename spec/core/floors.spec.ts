import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const lib = fileURLToPath(new URL('../../../lib/', import.meta.url));

/** Each relative import of every .ts file under lib/`folder`, as a path inside lib/. */
function importsOf(folder: string): { file: string; target: string }[] {
  const found: { file: string; target: string }[] = [];
  for (const name of readdirSync(join(lib, folder)).filter((n) => n.endsWith('.ts'))) {
    const file = join(folder, name);
    const text = readFileSync(join(lib, file), 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\b[^;]*?from\s+'(\.[^']+)'/gms)) {
      const target = relative(lib, normalize(join(lib, dirname(file), m[1]!)));
      found.push({ file, target });
    }
  }
  return found;
}

describe('the floors of lib/ (arrows point down)', () => {
  it('core/ imports nothing from the rest of lib/', () => {
    const up = importsOf('core').filter((i) => !i.target.startsWith('core/'));
    expect(up).to.deep.equal([]);
    expect(readdirSync(join(lib, 'core'))).to.include.members(['show.ts', 'circuit-state.ts']);
  });

  it('events/, store/ and policies/ import nothing from breaker/', () => {
    const imports = ['events', 'store', 'policies'].flatMap(importsOf);
    expect(imports.map((i) => i.target)).to.include('core/circuit-state.js');
    expect(imports.filter((i) => i.target.startsWith('breaker/'))).to.deep.equal([]);
  });
});
