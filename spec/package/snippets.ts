/**
 * The README's code as files a user's compiler sees: each ```ts block becomes a module, with the
 * imports it leaves out (the public names it uses) and declarations for what it takes from the
 * surrounding text (an app, a registry, a logger); the examples get the package's own import
 * paths. Helpers of compile-snippets.spec.ts.
 */

/** A ```ts block of the README and the file the docs say it comes from, if any. */
export interface Snippet {
  readonly index: number;
  readonly code: string;
  readonly from: string | undefined;
}

export function readmeSnippets(readme: string): Snippet[] {
  return [...readme.matchAll(/(?:<!-- ([^\n]*?) -->\s*)?```ts\n([\s\S]*?)```/g)].map((m, i) => ({
    index: i + 1,
    code: m[2]!,
    from: /^from (\S+?),?(?:\s|$)/.exec(m[1] ?? '')?.[1],
  }));
}

/**
 * The `compilerOptions` the README tells users to change from `tsc --init`, per decorator mode:
 * the `"key": value` code spans of its "standard" and "legacy" list items (legacy adds to
 * standard: "the same, plus").
 */
export function compilerChanges(doc: string): { standard: object; legacy: object } {
  const item = (label: string) => {
    const start = doc.indexOf(`- **${label}`);
    if (start === -1) throw new Error(`no "- **${label}" item in the docs`);
    const end = doc.indexOf('\n- ', start + 1);
    const text = doc.slice(start, end === -1 ? doc.indexOf('\n\n', start) : end);
    const pairs = [...text.matchAll(/`("\w+": [^`]+)`/g)].map((m) => m[1]!);
    return JSON.parse(`{${pairs.join(', ')}}`) as object;
  };
  const standard = item('standard');
  return { standard, legacy: { ...standard, ...item('legacy') } };
}

/**
 * What the README's fragments take from the text around them, declared as a user's code would
 * have it. A name is declared only where the block uses it and does not make it itself.
 */
const CONTEXT: Record<string, string> = {
  log: 'declare const log: (line: string) => void;',
  logger: 'declare const logger: { warn(message: string): void };',
  answer: 'declare const answer: (request: unknown) => Promise<unknown>;',
  search: "declare const search: import('express').RequestHandler;",
  sessions: 'declare const sessions: { isOperator(request: unknown): Promise<boolean> };',
  registry: "declare const registry: import('breakwater').BreakerRegistry;",
  app: "declare const app: import('express').Express;",
  token: 'declare const token: string;',
  ChatClient: 'interface ChatClient { complete(prompt: string): Promise<string>; }',
  Llm: 'declare class Llm { complete(prompt: string): Promise<string>; }',
  llm: 'declare const llm: Llm;',
  // an app's own wrapper of the SDK client, or the SDK client itself
  openai:
    "declare const openai: import('openai').default & { complete(prompt: string, signal?: AbortSignal): Promise<string> };",
  anthropic:
    "declare const anthropic: import('@anthropic-ai/sdk').default & { complete(prompt: string, signal?: AbortSignal): Promise<string> };",
  breaker: "declare const breaker: import('breakwater').Breaker;",
  signal: 'declare const signal: AbortSignal;',
  prompt: 'declare const prompt: string;',
  complete: 'declare const complete: (prompt: string) => Promise<string>;',
  ModerationRejected: 'declare class ModerationRejected extends Error {}',
  tenantA: "declare const tenantA: import('tsyringe').DependencyContainer;",
  tenantB: "declare const tenantB: import('tsyringe').DependencyContainer;",
  ChatService: 'declare class ChatService { complete(prompt: string): Promise<string>; }',
  UPSTREAM: 'declare const UPSTREAM: string;',
  FakeProvider: 'interface FakeProvider { answer(prompt: string): Promise<string>; }',
  fake: "declare const fake: import('breakwater/testing').FakeProvider;",
  clock: 'declare const clock: { now(): number; tickAsync(ms: number): Promise<number> };',
  body: "declare const body: { model: string; messages: { role: 'user'; content: string }[] };",
  AskOptions: 'interface AskOptions { readonly temperature?: number }',
  SignalClient:
    'interface SignalClient { complete(prompt: string, options: AskOptions & { signal: AbortSignal }): Promise<string>; }',
  chatBody:
    "declare const chatBody: (prompt: string) => { model: string; messages: { role: 'user'; content: string }[] };",
  OpenAI: "import OpenAI from 'openai';",
  Anthropic: "import Anthropic from '@anthropic-ai/sdk';",
  Chat: "type Chat = { messages: { role: 'user' | 'assistant'; content: string }[] };",
  injectable: "import { injectable } from 'tsyringe';",
  inject: "import { inject } from 'tsyringe';",
};
/** Context names that need another declared first. */
const NEEDS: Record<string, string> = { llm: 'Llm', SignalClient: 'AskOptions' };

const escape = (name: string) => name.replace(/\$/g, '\\$');

/** Whether `code` uses `name` as an identifier (not as a property after a dot). */
function uses(code: string, name: string): boolean {
  return new RegExp(`(?<![.\\w$])${escape(name)}(?![\\w$])`).test(code);
}

/** Whether `code` makes `name` itself: a declaration, a destructured binding or an import. */
function makes(code: string, name: string): boolean {
  const n = escape(name);
  return [
    new RegExp(`\\b(?:const|let|var|class|function|interface|type)\\s+${n}\\b`),
    new RegExp(`\\b(?:const|let|var)\\s*[\\[{][^=]*\\b${n}\\b[^=]*[\\]}]\\s*=`),
    new RegExp(`\\bimport\\b[^;]*\\b${n}\\b[^;]*\\bfrom\\b`),
  ].some((re) => re.test(code));
}

/**
 * `snippet` as a module: its own imports first, then imports of the public names it uses from
 * the subpath that exports them (`exported`, in order of preference), then the context it needs.
 */
export function snippetModule(
  snippet: string,
  exported: readonly { specifier: string; names: readonly string[] }[],
): string {
  const lines = snippet.split('\n');
  const own = lines.filter((line) => line.startsWith('import '));
  const rest = lines.filter((line) => !line.startsWith('import '));
  const needed = (name: string) => uses(snippet, name) && !makes(snippet, name);
  const taken = new Set<string>();
  const imports: string[] = [];
  for (const { specifier, names } of exported) {
    // `default` is no name to import by: a word such as 'sdk-default' in a snippet must not pull it in.
    const wanted = names.filter(
      (name) => name !== 'default' && !taken.has(name) && !(name in CONTEXT) && needed(name),
    );
    wanted.forEach((name) => taken.add(name));
    if (wanted.length > 0) imports.push(`import { ${wanted.join(', ')} } from '${specifier}';`);
  }
  const context = Object.keys(CONTEXT).filter(needed);
  for (const name of [...context]) {
    const first = NEEDS[name];
    if (first !== undefined && !context.includes(first) && !makes(snippet, first)) {
      context.unshift(first);
    }
  }
  const declarations = context.map((name) => CONTEXT[name]!);
  return [...own, ...imports, ...declarations, 'export {};', ...rest].join('\n');
}

/** An example's imports of the sources, as a user writes them: from the package's subpaths. */
export function withPackageImports(source: string): string {
  return source
    .replace(/'(?:\.\.\/)+lib\/index\.js'/g, "'breakwater'")
    .replace(/'(?:\.\.\/)+lib\/testing\/index\.js'/g, "'breakwater/testing'")
    .replace(/'(?:\.\.\/)+adapters\/http\/index\.js'/g, "'breakwater/express'")
    .replace(/'(?:\.\.\/)+adapters\/(\w+)\/index\.js'/g, "'breakwater/$1'");
}
