/**
 * A module resolution hook (node:module register()) that sends bare imports of a framework to
 * another installed copy: `express` to `express4` (`npm:express@4`), `koa` to `koa2`. It lets
 * the very specs that run on Express 5 and Koa 3 run unchanged on Express 4 and Koa 2, examples
 * included, in a child process.
 */
type Resolve = (specifier: string, context: unknown) => Promise<unknown>;

let aliases: Record<string, string> = {};

export function initialize(data: { aliases: Record<string, string> }): void {
  aliases = data.aliases;
}

export async function resolve(
  specifier: string,
  context: unknown,
  nextResolve: Resolve,
): Promise<unknown> {
  return nextResolve(aliases[specifier] ?? specifier, context);
}
