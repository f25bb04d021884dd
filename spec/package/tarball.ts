/**
 * What `npm pack` puts in the tarball, and what the package's manifest and source maps point
 * at: the helpers of tarball.spec.ts.
 */

/** A package.json, as far as the paths it names go. */
export interface Manifest {
  readonly main?: string | undefined;
  readonly types?: string | undefined;
  readonly exports?: unknown;
}

/** Every file path the manifest names: `main`, `types`, and each target of `exports`, with its conditions. */
export function namedPaths(manifest: Manifest): { where: string; path: string }[] {
  const named: { where: string; path: string }[] = [];
  if (manifest.main !== undefined) named.push({ where: 'main', path: manifest.main });
  if (manifest.types !== undefined) named.push({ where: 'types', path: manifest.types });
  const visit = (value: unknown, where: string): void => {
    if (typeof value === 'string') named.push({ where, path: value });
    else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${where}[${i}]`));
    else if (typeof value === 'object' && value !== null) {
      for (const [key, v] of Object.entries(value)) visit(v, `${where}.${key}`);
    }
  };
  visit(manifest.exports, 'exports');
  return named;
}

/** `./dist/lib/index.js` -> `dist/lib/index.js`; `../x` from `dist/lib/a.js.map` -> `dist/x`. */
export function normalise(path: string, from = ''): string {
  const parts = from === '' ? [] : from.split('/').slice(0, -1);
  for (const part of path.split('/')) {
    if (part === '.' || part === '') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** The export keys that name a module, with the conditions each one offers. */
export function entryPoints(exports: unknown): { subpath: string; conditions: string[] }[] {
  if (typeof exports !== 'object' || exports === null) return [];
  return Object.entries(exports as Record<string, unknown>)
    .filter(([subpath]) => !subpath.endsWith('.json'))
    .map(([subpath, target]) => ({
      subpath,
      conditions: typeof target === 'object' && target !== null ? Object.keys(target) : ['default'],
    }));
}
