import { Breaker, type BreakerOptions } from '../../lib/index.js';

/** A clock the spec moves by hand. */
export class ManualClock {
  constructor(public time = 0) {}
  now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** An error a provider answered with `status`. */
export function httpError(status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`HTTP ${status}`), { status, headers });
}

export const succeed = async (): Promise<string> => 'ok';
export const fail503 = async (): Promise<never> => {
  throw httpError(503);
};

/** A breaker on a manual clock, no timeout unless asked. */
export function breakerOn(clock: ManualClock, options: BreakerOptions = {}): Breaker {
  return new Breaker({ name: 'provider', timeout: false, clock, ...options });
}

/** Runs `times` calls of `fn`, swallowing their errors. */
export async function repeat(
  breaker: Breaker,
  times: number,
  fn: () => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < times; i++) await breaker.execute(fn).catch(() => undefined);
}

/** The error a promise rejects with; fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
