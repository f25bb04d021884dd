/** What the admin router specs share: a token, a registry on a clock the spec moves, failures. */
import { BreakerRegistry, type Breaker } from '../../../lib/index.js';
import { buildApp, type Framework, type TestApp } from './frameworks.js';

export const TOKEN = 'tok-3f9a1c0e-admin-secret';
const START = Date.parse('2026-03-01T12:00:00Z');

/** A registry whose breakers read a clock the spec moves. */
export function clockedRegistry(): {
  registry: BreakerRegistry;
  clock: { now: () => number; t: number };
} {
  const clock = { t: START, now: () => clock.t };
  return {
    registry: new BreakerRegistry({
      defaults: { clock, failureThreshold: 2, resetTimeout: 30_000 },
    }),
    clock,
  };
}

/** Makes `breaker` fail `times` calls. */
export async function fail(breaker: Breaker, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await breaker.execute(() => Promise.reject(new Error('provider down'))).catch(() => undefined);
  }
}

/**
 * The app the admin specs drive under `framework`: the admin router with `admin` options (the
 * token by default, no metrics), mounted under `prefix` when given.
 */
export function adminApp(
  framework: Framework,
  registry: BreakerRegistry,
  admin: Record<string, unknown> = { token: TOKEN },
  prefix?: string,
): TestApp {
  return buildApp(framework, registry, {
    admin: { metrics: false, ...admin },
    ...(prefix === undefined ? {} : { prefix }),
  });
}
