/**
 * What the docs say about the package itself, checked against package.json and this run: the
 * subpath exports (in the opening list and in the layout), the optional peers, the Node version
 * the specs run on, and the Node version the current `openai` SDK asks for.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const manifest = JSON.parse(read('package.json')) as {
  engines: { node: string };
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
};
const head = read('docs/head.md');
const layout = read('docs/layout.md');
/** The paragraph of docs/head.md that starts with `start`, one line. */
const paragraph = (start: string) => {
  const at = head.indexOf(start);
  expect(at, `docs/head.md has "${start}"`).to.be.greaterThan(-1);
  return head.slice(at, head.indexOf('\n\n', at)).replace(/\s+/g, ' ');
};
const specifiers = Object.keys(manifest.exports)
  .filter((subpath) => !subpath.endsWith('.json'))
  .map((subpath) => `breakwater${subpath.slice(1)}`);

describe('docs/head.md and docs/layout.md on the package', () => {
  it('name every subpath export', () => {
    const list = paragraph('Package `breakwater` is ESM only');
    expect(specifiers.length).to.be.greaterThan(6);
    expect(specifiers.filter((s) => !list.includes(`\`${s}\``))).to.deep.equal([]);
    const inLayout = specifiers.filter((s) => s !== 'breakwater');
    expect(inLayout.filter((s) => !new RegExp(`${s}\\b`).test(layout))).to.deep.equal([]);
  });

  it('name every optional peer dependency', () => {
    const list = paragraph('Package `breakwater` is ESM only').toLowerCase();
    const peers = Object.keys(manifest.peerDependencies);
    expect(peers.filter((peer) => !list.includes(peer.toLowerCase()))).to.deep.equal([]);
  });

  it('say which Node the specs run on, and the lowest one engines allows', () => {
    const major = process.versions.node.split('.')[0];
    expect(paragraph('The specs run on Node')).to.include(`The specs run on Node ${major}.`);
    const lowest = /^>=(\d+)/.exec(manifest.engines.node)?.[1];
    expect(paragraph('Package `breakwater` is ESM only')).to.include(
      `for Node ${lowest} and later`,
    );
  });

  it('say which Node the current openai SDK asks for', () => {
    const openai = JSON.parse(read('node_modules/openai/package.json')) as {
      engines: { node: string };
    };
    const wanted = /(\d+)/.exec(openai.engines.node)?.[1];
    const text = paragraph('The specs run on Node');
    expect(text).to.include(`asks for Node ${wanted}`);
    expect(text).to.include(`\`engines\` says \`${openai.engines.node}\``);
  });
});
