import { show } from '../core/show.js';
import { FaultSchedule, validateTiming, type FaultTiming } from './fault-schedule.js';

/** Throw `error` (or what `error()` returns) instead of calling through. */
export interface ChaosError extends FaultTiming {
  readonly kind: 'error';
  /** The error to throw, or a function making a fresh one per call. */
  readonly error: unknown;
}

/** Wait `delayMs`, then call through. */
export interface ChaosDelay extends FaultTiming {
  readonly kind: 'delay';
  readonly delayMs: number;
}

/** Never settle, unless the call's last argument is an `AbortSignal` that aborts. */
export interface ChaosHang extends FaultTiming {
  readonly kind: 'hang';
}

/** What {@link chaos} does to the calls a fault strikes; `times`, `probability`, `seed` as for the server. */
export type ChaosFault = ChaosError | ChaosDelay | ChaosHang;

/** Steers a function wrapped by {@link chaos}. */
export interface ChaosControl {
  /** Puts `fault` in force, replacing the previous one. */
  inject(fault: ChaosFault): void;
  /** Clears the fault: calls go straight through again. */
  heal(): void;
  /** The fault in force, if any (it clears itself once its `times` are spent). */
  readonly fault: ChaosFault | undefined;
  /** Calls made through the wrapper. */
  readonly calls: number;
  /** Calls a fault struck. */
  readonly struck: number;
}

/** A function wrapped by {@link chaos}: the same signature, plus `.chaos` to steer it. */
export type ChaosFunction<A extends unknown[], R> = ((...args: A) => Promise<R>) & {
  readonly chaos: ChaosControl;
};

/**
 * Wraps your own async function so a test can make it fail, slow down or hang on cue, the way a
 * provider would. The wrapper keeps the function's name and `this`; delays use `setTimeout`, so
 * fake timers drive them. A hang ends when the call's last argument, an `AbortSignal` (as a
 * breaker passes), aborts.
 *
 * @example
 * const complete = chaos(async (prompt: string) => callMyProvider(prompt));
 * complete.chaos.inject({ kind: 'error', error: () => providerError(503), times: 3 });
 * await breaker.execute(() => complete('hi')); // fails 3 times, then calls through
 */
export function chaos<A extends unknown[], R>(
  fn: (...args: A) => R | PromiseLike<R>,
  fault?: ChaosFault,
): ChaosFunction<A, Awaited<R>> {
  if (typeof fn !== 'function') throw new TypeError(`chaos() needs a function, got ${show(fn)}`);
  let schedule: FaultSchedule<ChaosFault> | null = null;
  let calls = 0;
  let struck = 0;
  const control: ChaosControl = {
    inject(next) {
      const valid = validateChaosFault(next);
      schedule = new FaultSchedule(valid, valid, 'chaos fault');
    },
    heal() {
      schedule = null;
    },
    get fault() {
      return schedule?.fault;
    },
    get calls() {
      return calls;
    },
    get struck() {
      return struck;
    },
  };
  if (fault !== undefined) control.inject(fault);

  const wrapped = {
    async [fn.name](this: unknown, ...args: A): Promise<Awaited<R>> {
      calls++;
      const hit = schedule?.draw();
      if (schedule?.spent) schedule = null;
      if (hit !== undefined) {
        struck++;
        const signal =
          args.at(-1) instanceof AbortSignal ? (args.at(-1) as AbortSignal) : undefined;
        switch (hit.kind) {
          case 'error':
            throw typeof hit.error === 'function' ? (hit.error as () => unknown)() : hit.error;
          case 'hang':
            return waitForAbort(signal);
          case 'delay':
            await delay(hit.delayMs, signal);
            break;
        }
      }
      return await fn.apply(this, args);
    },
  }[fn.name]!;
  return Object.assign(wrapped, { chaos: control }) as ChaosFunction<A, Awaited<R>>;
}

function validateChaosFault(fault: unknown): ChaosFault {
  const where = 'chaos fault';
  if (typeof fault !== 'object' || fault === null) {
    throw new TypeError(
      `${where} must be an object such as { kind: 'error', error }, got ${show(fault)}`,
    );
  }
  // Own keys only, read once: an inherited `delayMs` is ignored, never used unchecked.
  const f: Record<string, unknown> = Object.fromEntries(Object.entries(fault));
  const fields: Record<string, string[]> = { error: ['error'], delay: ['delayMs'], hang: [] };
  const kind = f['kind'];
  if (typeof kind !== 'string' || !Object.hasOwn(fields, kind)) {
    throw new TypeError(`${where}.kind must be one of error, delay, hang; got ${show(kind)}`);
  }
  const known = new Set(['kind', 'times', 'probability', 'seed', ...fields[kind]!]);
  for (const key of Object.keys(f)) {
    if (!known.has(key)) throw new TypeError(`${where}: unknown field "${key}" for kind "${kind}"`);
  }
  validateTiming(f as FaultTiming, where);
  if (kind === 'error' && f['error'] === undefined)
    throw new TypeError(`${where}.error must be given`);
  if (kind === 'delay') {
    const ms = f['delayMs'];
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0) {
      throw new RangeError(`${where}.delayMs must be a non-negative integer, got ${show(ms)}`);
    }
    if (ms > 2 ** 31 - 1) {
      throw new RangeError(`${where}.delayMs must be at most 2^31-1 ms, got ${show(ms)}`);
    }
  }
  return f as unknown as ChaosFault;
}

function waitForAbort(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal === undefined) return;
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
