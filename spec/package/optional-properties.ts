/**
 * Finds optional properties in declaration (`.d.ts`) text whose type does not admit `undefined`.
 * Under `exactOptionalPropertyTypes` a user cannot pass `{ token: process.env.ADMIN_TOKEN }` to
 * `token?: string`; `token?: string | undefined` takes it. TypeScript 7 has no JavaScript API, so
 * this is a small scanner: it tracks brackets, skips comments and string literals, and treats a
 * `name?:` directly inside `{ }` as a property (inside `( )` it is a parameter, which already
 * admits `undefined`).
 */

/** One optional property whose type lacks `undefined`. */
export interface StrictOptional {
  readonly line: number;
  readonly property: string;
  readonly type: string;
}

const OPENERS: Record<string, string> = { '{': '}', '(': ')', '[': ']', '<': '>' };
const CLOSERS = new Set(['}', ')', ']', '>']);

export function strictOptionals(dts: string): StrictOptional[] {
  const found: StrictOptional[] = [];
  const stack: string[] = [];
  let i = 0;
  while (i < dts.length) {
    const property = /^([A-Za-z_$][\w$]*|"[^"]*"|'[^']*')\?:/.exec(dts.slice(i));
    if (property !== null && !/[\w$]/.test(dts[i - 1] ?? '') && stack.at(-1) === '{') {
      const start = i + property[0].length;
      const end = typeEnd(dts, start);
      const type = dts.slice(start, end).replace(/\s+/g, ' ').trim();
      if (!topLevelMembers(type).includes('undefined')) {
        found.push({ line: lineOf(dts, i), property: property[1]!, type });
      }
      i = start;
      continue;
    }
    const skipped = skipTrivia(dts, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const ch = dts[i]!;
    if (ch === '=' && dts[i + 1] === '>') {
      i += 2;
      continue;
    }
    if (ch in OPENERS) {
      stack.push(ch);
      i++;
      continue;
    }
    if (CLOSERS.has(ch)) {
      stack.pop();
      i++;
      continue;
    }
    i++;
  }
  return found;
}

/** Index past a comment or string literal starting at `i`, or `i` when none starts there. */
function skipTrivia(text: string, i: number): number {
  if (text.startsWith('//', i)) {
    const end = text.indexOf('\n', i);
    return end === -1 ? text.length : end;
  }
  if (text.startsWith('/*', i)) return text.indexOf('*/', i + 2) + 2;
  const quote = text[i];
  if (quote === '"' || quote === "'" || quote === '`') {
    let j = i + 1;
    while (j < text.length && text[j] !== quote) j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  return i;
}

/** Where the type starting at `start` ends: `;`, `,` or a closing bracket at its own depth. */
function typeEnd(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const skipped = skipTrivia(text, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const ch = text[i]!;
    if (ch === '=' && text[i + 1] === '>') {
      i += 2;
      continue;
    }
    if (ch in OPENERS) depth++;
    else if (CLOSERS.has(ch)) {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && (ch === ';' || ch === ',' || ch === '\n')) {
      if (ch !== '\n' || !continues(text, i)) return i;
    }
    i++;
  }
  return i;
}

/** A type split over lines goes on when the next line starts with `|` or `&`. */
function continues(text: string, newline: number): boolean {
  return /^\s*[|&]/.test(text.slice(newline + 1, newline + 200));
}

/** The members of a union at its top level: `A | (B | C)[] | undefined` -> three members. */
function topLevelMembers(type: string): string[] {
  const members: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < type.length; i++) {
    const ch = type[i]!;
    if (ch === '=' && type[i + 1] === '>') {
      current += '=>';
      i++;
      continue;
    }
    if (ch in OPENERS) depth++;
    else if (CLOSERS.has(ch)) depth--;
    if (ch === '|' && depth === 0) {
      members.push(current.trim());
      current = '';
    } else current += ch;
  }
  members.push(current.trim());
  return members;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}
