// Copies the dashboard's chart library (uPlot, a devDependency) and its license into dist/, where
// the admin router serves them from: the published package carries them, so `breakwater` itself
// installs nothing else and the page never loads anything from a CDN.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const uplot = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
const target = join(root, 'dist', 'adapters', 'http', 'assets');
mkdirSync(target, { recursive: true });
for (const [from, to] of [
  ['dist/uPlot.iife.min.js', 'uplot.js'],
  ['dist/uPlot.min.css', 'uplot.css'],
  ['LICENSE', 'uplot-license.txt'],
]) {
  copyFileSync(join(uplot, from), join(target, to));
}
