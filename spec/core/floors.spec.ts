import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const lib = fileURLToPath(new URL('../../../lib/', import.meta.url));

/** Each relative import of every .ts file under lib/`folder`, as a path inside lib/. */
function importsOf(folder: string): { file: string; target: string; typeOnly: boolean }[] {
  const found: { file: string; target: string; typeOnly: boolean }[] = [];
  for (const name of readdirSync(join(lib, folder)).filter((n) => n.endsWith('.ts'))) {
    const file = join(folder, name);
    const text = readFileSync(join(lib, file), 'utf8');
    for (const m of text.matchAll(/^(?:import|export)(\s+type)?\b[^;]*?from\s+'(\.[^']+)'/gms)) {
      const target = relative(lib, normalize(join(lib, dirname(file), m[2]!)));
      found.push({ file, target, typeOnly: m[1] !== undefined });
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

  it('events/, store/ and policies/ import nothing from breaker/ but the config snapshot type', () => {
    const up = ['events', 'store', 'policies']
      .flatMap(importsOf)
      .filter((i) => i.target.startsWith('breaker/'));
    // ConfigSnapshot (a type, erased at runtime) still lives in breaker/snapshot.ts.
    expect(up).to.deep.equal([
      { file: 'events/breaker-events.ts', target: 'breaker/snapshot.js', typeOnly: true },
    ]);
  });
});
