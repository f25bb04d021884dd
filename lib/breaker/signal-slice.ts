import { getEventListeners, setMaxListeners } from 'node:events';

/** How many calls join a slice between two looks at its listener count. */
const CHECK_EVERY = 8;
/**
 * A timed slice keeps the callers it may have to time out until its functions have all settled;
 * past this many it takes no more calls, so that a busy breaker keeps few settled ones.
 */
export const MAX_MEMBERS = 256;
/** A slice whose signal carries this many abort listeners takes no more calls. */
export const MAX_SHARED_LISTENERS = 8;
/**
 * The most listeners a slice's signal may carry before Node warns: the threshold, plus the calls
 * that join between two looks adding up to four listeners each. Beyond that a function leaks.
 */
const WARN_ABOVE = MAX_SHARED_LISTENERS + CHECK_EVERY * 4;

/** What settles the calls of a slice. Implemented by {@link Breaker}. */
export interface SliceOwner {
  settleSuccess(start: number, epoch: number): void;
  settleFailure(error: unknown, start: number, epoch: number, timedOut: boolean): void;
  settleCancelled(epoch: number): void;
  timeoutError(): Error;
}

/** One call in a timed slice that the slice must settle at its deadline. */
export interface SliceMember {
  /** The deadline passed: time the call out unless it settled; the error it got, if it did. */
  expire(): Error | null;
  /** Shutdown: give the call up with `reason` unless it settled. */
  cancel(reason: unknown): void;
}

/**
 * One `AbortController` shared by the guarded calls of one breaker that start close together.
 * Node 20 takes 2–4 µs to make an `AbortSignal` (ten times a guarded call), so calls share one
 * for as long as that is harmless:
 *
 * - untimed calls share it until the breaker shuts down (the only thing that aborts them);
 * - timed calls share it for a slice of time: all of them are aborted together when the last
 *   one's deadline passes (see {@link DeadlineSlices});
 * - a function may add an abort listener per call and never remove it (`fetch` removes its own
 *   only at GC): every {@link CHECK_EVERY} calls the slice counts its signal's listeners and,
 *   from {@link MAX_SHARED_LISTENERS} on, takes no more calls. A signal that nobody listens to is
 *   shared freely; one that every call listens to carries about sixteen listeners at most.
 *
 * The slice counts the calls whose function has not settled (`live`), so that it knows whether
 * its deadline or a shutdown has anything to abort.
 */
export class SignalSlice {
  readonly controller = new AbortController();
  readonly signal: AbortSignal;
  /** Calls whose function has not settled yet. */
  live = 0;
  /** Whether calls may still join. */
  open = true;
  /** Set when its deadline passed or the breaker shut down: late outcomes change nothing. */
  done = false;
  /** Timed slices: the latest clock reading known to be at or after every member's start. */
  bound: number;
  /** Timed slices: the breaker's timeout when the slice opened; its deadline is `bound + timeout`. */
  timeout = 0;
  /** Timed slices: calls joined since `bound` was read; their start is known only to be later. */
  dirty = false;
  /** Timed slices: members the slice settles at its deadline (light callers' `reject`s, heavy calls). */
  members: (SliceMember | ((error: unknown) => void))[] | null = null;
  /** Timed slices: how many entries of `members` are in use (the rest are stale, to be reused). */
  memberCount = 0;
  /** Timed slices: members of `members` that are light and have not settled. */
  lightLive = 0;
  /** The next slice, in opening (and so deadline) order. */
  next: SignalSlice | null = null;
  /** Told when a closed slice has no call left (untimed slices: to forget it). */
  onIdle: ((slice: SignalSlice) => void) | null = null;
  private joins = 0;
  /** Outcome handlers of the light calls of this slice: made once per slice, not per call. */
  readonly ok: () => void;
  readonly fail: (error: unknown) => void;

  constructor(
    readonly owner: SliceOwner,
    /** When the slice opened, by the breaker's clock. */
    readonly openedAt: number,
    timed: boolean,
  ) {
    this.signal = this.controller.signal;
    setMaxListeners(WARN_ABOVE, this.signal);
    this.bound = openedAt;
    if (timed) {
      this.members = [];
      this.ok = () => this.lightSettled(NO_ERROR);
      this.fail = (error) => this.lightSettled(error);
    } else {
      this.ok = () => {
        this.release();
        owner.settleSuccess(Number.NaN, Number.NaN);
      };
      this.fail = (error) => {
        this.release();
        owner.settleFailure(error, Number.NaN, Number.NaN, false);
      };
    }
  }

  /** Adds a heavy call the slice must expire at its deadline. */
  add(member: SliceMember): void {
    this.members![this.memberCount++] = member;
  }

  /** Counts a call in; every few calls, closes the slice if its signal gathers listeners. */
  join(): void {
    this.live++;
    if (++this.joins % CHECK_EVERY === 0) {
      if (getEventListeners(this.signal, 'abort').length >= MAX_SHARED_LISTENERS) this.open = false;
    }
  }

  /** A call's function settled. */
  release(): void {
    if (--this.live !== 0) return;
    // Every function settled: the members need no settling, and their entries are reused.
    if (this.lightLive === 0) this.memberCount = 0;
    if (!this.open && this.onIdle !== null) this.onIdle(this);
  }

  /**
   * Runs `fn` as a light call of this timed slice: the caller gets a promise of the slice's making
   * (settled by `fn`, or by the slice at its deadline or shutdown), and the outcome is counted by
   * the slice's handlers. No clock read, no closure, no controller of its own.
   */
  runLight<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>): Promise<T> {
    const promise = new Promise<T>(captureSettlers as (resolve: (value: T) => void) => void);
    const resolve = captured.resolve as (value: T) => void;
    const reject = captured.reject;
    this.members![this.memberCount++] = reject;
    if (this.memberCount >= MAX_MEMBERS) this.open = false;
    this.lightLive++;
    this.dirty = true;
    this.join();
    let result: T | PromiseLike<T>;
    try {
      result = fn(this.signal);
    } catch (error) {
      this.fail(error);
      reject(error);
      return promise;
    }
    if (isThenable(result)) {
      // One reaction that counts the outcome and then settles the caller: two closures cost
      // less than a second reaction and the microtask it takes.
      result.then(
        (value) => {
          this.lightSettled(NO_ERROR);
          resolve(value as T);
        },
        (error: unknown) => {
          this.lightSettled(error);
          reject(error);
        },
      );
    } else {
      this.ok();
      resolve(result);
    }
    return promise;
  }

  /**
   * Runs an untimed call that is measured or may move a non-closed state. The caller gets `fn`'s
   * own promise; the breaker watches it beside the caller rather than in front of it, so a failure
   * reaches the caller without being rethrown (a rethrow costs about as much as the error itself),
   * and the bookkeeping, registered first, is done before the caller resumes.
   */
  runWatched<T>(
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    start: number,
    epoch: number,
  ): Promise<T> {
    const owner = this.owner;
    this.join();
    let result: T | PromiseLike<T>;
    try {
      result = fn(this.signal);
    } catch (error) {
      this.release();
      owner.settleFailure(error, start, epoch, false);
      return Promise.reject(error);
    }
    const promise = result instanceof Promise ? (result as Promise<T>) : Promise.resolve(result);
    promise.then(
      () => {
        this.release();
        owner.settleSuccess(start, epoch);
      },
      (error: unknown) => {
        this.release();
        owner.settleFailure(error, start, epoch, false);
      },
    );
    return promise;
  }

  /** Aborts the signal with `reason` if a call may still be using it. */
  abortIfLive(reason: () => unknown): void {
    if (this.live > 0 && !this.signal.aborted) this.controller.abort(reason());
  }

  /**
   * The deadline passed: rejects the light callers still waiting with a {@link CallTimeoutError}
   * each (a caller already settled ignores it), expires the heavy members, and aborts the signal
   * if any function still runs.
   */
  expire(): void {
    if (this.done) return;
    this.done = true;
    this.open = false;
    const owner = this.owner;
    const members = this.members!;
    const count = this.memberCount;
    this.members = null;
    let firstError: Error | null = null;
    for (let i = 0; i < this.lightLive; i++) {
      const error = owner.timeoutError();
      firstError ??= error;
      owner.settleFailure(error, this.openedAt, Number.NaN, true);
    }
    const light = this.lightLive > 0;
    this.lightLive = 0;
    for (let i = 0; i < count; i++) {
      const member = members[i]!;
      if (typeof member === 'function') {
        if (light) member(owner.timeoutError());
      } else {
        const error = member.expire();
        firstError ??= error;
      }
    }
    this.abortIfLive(() => firstError ?? owner.timeoutError());
  }

  /** Shutdown: gives up every call still waiting with `reason` and aborts the signal. */
  cancel(reason: unknown): void {
    if (this.members !== null && !this.done) {
      this.done = true;
      const members = this.members;
      this.members = null;
      for (let i = 0; i < this.lightLive; i++) this.owner.settleCancelled(Number.NaN);
      this.lightLive = 0;
      for (let i = 0; i < this.memberCount; i++) {
        const member = members[i]!;
        if (typeof member === 'function') member(reason);
        else member.cancel(reason);
      }
    }
    this.done = true;
    this.open = false;
    if (!this.signal.aborted) this.controller.abort(reason);
  }

  private lightSettled(error: unknown): void {
    if (this.done) {
      this.live--;
      return;
    }
    this.lightLive--;
    this.release();
    if (error === NO_ERROR) this.owner.settleSuccess(Number.NaN, Number.NaN);
    else this.owner.settleFailure(error, Number.NaN, Number.NaN, false);
  }
}

/** Marks a success where any value, `undefined` included, may be an error. */
const NO_ERROR: unique symbol = Symbol('no error');

/** Where {@link captureSettlers} leaves a new promise's settlers: one shared executor, no closure per call. */
const captured: { resolve: (value: unknown) => void; reject: (error: unknown) => void } = {
  resolve: () => undefined,
  reject: () => undefined,
};

/** @internal */
export function captureSettlers(
  resolve: (value: unknown) => void,
  reject: (error: unknown) => void,
): void {
  captured.resolve = resolve;
  captured.reject = reject;
}

/** The settlers of the promise made last with {@link captureSettlers}. @internal */
export function lastSettlers(): typeof captured {
  return captured;
}

/** @internal */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}
