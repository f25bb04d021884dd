import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('README.md', () => {
  it('is built from docs/, whose code the specs run', () => {
    const check = spawnSync(process.execPath, ['scripts/readme.mjs', '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(check.stderr).to.equal('');
    expect(check.status).to.equal(0);
  });
});
