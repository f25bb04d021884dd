/** What the opossum facade's specs share: fake time, actions, and an event recorder. */
import FakeTimers from '@sinonjs/fake-timers';
import type { EventEmitter } from 'node:events';
import Opossum from 'opossum';
import CircuitBreaker from '../../../adapters/opossum/index.js';

/**
 * The implementations a behaviour suite runs against: breakwater's facade and opossum itself,
 * so each spec shows that the facade does what opossum does.
 */
export const IMPLEMENTATIONS: readonly (readonly [string, typeof CircuitBreaker])[] = [
  ['breakwater/opossum', CircuitBreaker],
  ['opossum', Opossum as unknown as typeof CircuitBreaker],
];

export const START = Date.parse('2026-03-01T12:00:00Z');

/** The clock {@link fakeTime} installs. */
export type FakeClock = ReturnType<typeof FakeTimers.install>;

/** Fakes timers and `Date` (not promises or microtasks) from {@link START}. */
export function fakeTime(): FakeClock {
  return FakeTimers.install({
    now: START,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
}

/**
 * Sets up, in the calling `describe`, what every behaviour suite here needs: fake time from
 * {@link START} for each test, and every breaker made through `make` or `track` shut down after
 * the test, before its clock is uninstalled. `clock()` is the running test's clock.
 */
export function breakerSuite(Implementation: typeof CircuitBreaker) {
  let clock: FakeClock;
  const made: CircuitBreaker<any[], any>[] = [];
  const track = <B extends CircuitBreaker<any[], any>>(breaker: B): B => {
    made.push(breaker);
    return breaker;
  };
  const make = (
    action: (...args: any[]) => Promise<any>,
    options?: object,
  ): CircuitBreaker<any[], any> =>
    track(new Implementation(action, options as CircuitBreaker.Options<any[]>));
  beforeEach(() => (clock = fakeTime()));
  afterEach(() => {
    for (const breaker of made.splice(0)) breaker.shutdown();
    clock.uninstall();
  });
  return { make, track, clock: (): FakeClock => clock };
}

export const swallow = (): void => {};

/** An action that answers `value` after `ms` of (fake) time. */
export function after<T>(ms: number, value: T): (...args: any[]) => Promise<T> {
  return () => new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

/** An action that fails with `message`. */
export function failing(message = 'provider down'): (...args: any[]) => Promise<never> {
  return async () => {
    throw new Error(message);
  };
}

/** Records the events named, in order, with their arguments. */
export function recorder(
  emitter: EventEmitter,
  names: readonly string[],
): { names: string[]; calls: { name: string; args: unknown[] }[] } {
  const seen = { names: [] as string[], calls: [] as { name: string; args: unknown[] }[] };
  for (const name of names) {
    emitter.on(name, (...args: unknown[]) => {
      seen.names.push(name);
      seen.calls.push({ name, args });
    });
  }
  return seen;
}

/** Every event opossum's CircuitBreaker emits. */
export const EVENTS = [
  'fire',
  'reject',
  'timeout',
  'success',
  'failure',
  'open',
  'close',
  'halfOpen',
  'fallback',
  'semaphoreLocked',
  'healthCheckFailed',
  'shutdown',
  'cacheHit',
  'cacheMiss',
  'coalesceCacheHit',
  'coalesceCacheMiss',
] as const;
