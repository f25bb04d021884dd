import { show } from '../core/show.js';
import { SeededRandom } from './seeded-random.js';

/** When a fault strikes: every time, the next `times` times, or with a seeded probability. */
export interface FaultTiming {
  /** Strike this many times, then recover (the fault clears itself). Default: until cleared. */
  times?: number | undefined;
  /** Strike each eligible call with this probability, 0–1. Default 1. */
  probability?: number | undefined;
  /** Seed of the generator that draws against `probability`. Default 1. */
  seed?: number | undefined;
}

/**
 * Decides, call by call, whether a fault strikes: counts down `times`, draws against
 * `probability` from a seeded generator. Shared by the fake provider server and {@link chaos}.
 */
export class FaultSchedule<F> {
  private remaining: number;
  private readonly probability: number;
  private readonly random: SeededRandom;

  constructor(
    /** The fault that strikes. */
    readonly fault: F,
    timing: FaultTiming,
    where = 'fault',
  ) {
    validateTiming(timing, where);
    this.remaining = timing.times ?? Number.POSITIVE_INFINITY;
    this.probability = timing.probability ?? 1;
    this.random = new SeededRandom(timing.seed ?? 1);
  }

  /** Strikes left before the fault clears itself (`Infinity` until cleared). */
  get left(): number {
    return this.remaining;
  }

  /** Whether the schedule is used up: the fault no longer strikes. */
  get spent(): boolean {
    return this.remaining <= 0;
  }

  /** Decides for one eligible call: the fault when it strikes, `undefined` when the call goes through. */
  draw(): F | undefined {
    if (this.remaining <= 0) return undefined;
    if (this.probability < 1 && this.random.next() >= this.probability) return undefined;
    this.remaining--;
    return this.fault;
  }
}

/** Checks `times`, `probability` and `seed`, naming the field and the value on bad input. */
export function validateTiming(timing: FaultTiming, where: string): void {
  const { times, probability, seed } = timing;
  if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) {
    throw new RangeError(`${where}.times must be a positive integer, got ${show(times)}`);
  }
  if (
    probability !== undefined &&
    (typeof probability !== 'number' || !(probability >= 0 && probability <= 1))
  ) {
    throw new RangeError(
      `${where}.probability must be a number from 0 to 1, got ${show(probability)}`,
    );
  }
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) {
    throw new TypeError(`${where}.seed must be an integer, got ${show(seed)}`);
  }
}
