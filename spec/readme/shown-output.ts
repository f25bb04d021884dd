/**
 * Compares output shown in the docs with the output the code really gives. The docs abbreviate:
 * `, ...` before a closing brace, `{...}` and a `"...": "..."` entry stand for the keys left out, and a
 * string ending in `...` for the rest of the string (`"chatcmpl-..."`). Values that differ on
 * every run (a timestamp, a duration) are named in `varying`: for those only the type counts.
 */

/** Parses a JSON text shown in the docs, with its abbreviations. */
export function parseShown(text: string): unknown {
  const strict = text
    .trim()
    .replace(/,\s*"\.\.\.":\s*"\.\.\."/g, '')
    .replace(/,\s*\.\.\.\s*(?=[}\]])/g, '')
    .replace(/\{\s*\.\.\.\s*\}/g, '{}');
  return JSON.parse(strict);
}

/**
 * Where `shown` does not describe `actual`, one line per place (`[]` when it does). Shown objects
 * name some of the actual keys, in the actual order; arrays match element by element.
 */
export function differences(
  shown: unknown,
  actual: unknown,
  varying: ReadonlySet<string> = new Set(),
  path = '$',
): string[] {
  const key = path.slice(path.lastIndexOf('.') + 1);
  if (typeof shown === 'string' && shown.endsWith('...')) {
    return typeof actual === 'string' && actual.startsWith(shown.slice(0, -3))
      ? []
      : [`${path}: shown ${JSON.stringify(shown)}, is ${JSON.stringify(actual)}`];
  }
  if (varying.has(key) && shown !== null && typeof shown !== 'object') {
    return typeof actual === typeof shown
      ? []
      : [`${path}: shown a ${typeof shown}, is ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual) || actual.length !== shown.length) {
      return [`${path}: shown ${shown.length} items, is ${JSON.stringify(actual)}`];
    }
    return shown.flatMap((item, i) => differences(item, actual[i], varying, `${path}[${i}]`));
  }
  if (typeof shown === 'object' && shown !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
      return [`${path}: shown an object, is ${JSON.stringify(actual)}`];
    }
    const actualKeys = Object.keys(actual);
    const shownKeys = Object.keys(shown);
    const missing = shownKeys.filter((k) => !actualKeys.includes(k));
    if (missing.length > 0) return [`${path}: shown keys ${missing.join(', ')} do not exist`];
    const order = shownKeys.map((k) => actualKeys.indexOf(k));
    const problems = order.every((at, i) => i === 0 || at > order[i - 1]!)
      ? []
      : [`${path}: shown keys in the order ${shownKeys.join(', ')}, are ${actualKeys.join(', ')}`];
    return problems.concat(
      shownKeys.flatMap((k) =>
        differences(
          (shown as Record<string, unknown>)[k],
          (actual as Record<string, unknown>)[k],
          varying,
          `${path}.${k}`,
        ),
      ),
    );
  }
  return shown === actual
    ? []
    : [`${path}: shown ${JSON.stringify(shown)}, is ${JSON.stringify(actual)}`];
}
