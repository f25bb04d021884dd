/**
 * A mocha root hook (registered in .mocharc.json): a spec that makes a breaker with other options
 * than the ones its code declares gets a `BREAKWATER_OPTIONS_IGNORED` warning, and so checks a
 * breaker it did not mean to. Such a warning fails the test it came from, except in the one spec
 * that provokes it on purpose.
 */
import type { Context } from 'mocha';

/** The suite that checks the warning itself. */
const ON_PURPOSE = 'registry.get(existing, differentOptions)';

const seen: string[] = [];
const listen = (warning: Error & { code?: string }): void => {
  if (warning.code === 'BREAKWATER_OPTIONS_IGNORED') seen.push(warning.message);
};

export const mochaHooks = {
  beforeAll(): void {
    process.on('warning', listen);
  },
  async afterEach(this: Context): Promise<void> {
    // process.emitWarning() emits on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    const warnings = seen.splice(0);
    if (warnings.length === 0 || this.currentTest?.fullTitle().startsWith(ON_PURPOSE)) return;
    throw new Error(
      `"${this.currentTest?.fullTitle()}" made a breaker with options other than its code declares:\n` +
        warnings.join('\n'),
    );
  },
  afterAll(): void {
    process.off('warning', listen);
  },
};
