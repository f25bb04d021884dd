import { unwatchCaller, watchCaller } from './caller-signals.js';
import {
  captureSettlers,
  isThenable,
  lastSettlers,
  type SignalSlice,
  type SliceMember,
  type SliceOwner,
} from './signal-slice.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- calls of every result type share one list
type AnyCall = GuardedCall<any>;

/** What a breaker needs from a settling call. Implemented by {@link Breaker}. */
export type CallOwner = SliceOwner;

/**
 * One call that needs more than a slice's light path: it is timed (its duration measured), it
 * may move a state that is not closed, or it obeys a caller's signal. It owns the promise the
 * caller awaits, so it can settle it at the deadline or on abort while `fn` still runs; whatever
 * `fn` does afterwards is dropped.
 *
 * Its signal is its slice's, shared with the calls that started with it, unless it has a
 * caller's signal: then it has a controller of its own that the caller's signal aborts (through
 * one listener per caller's signal, see `caller-signals.ts`). Its deadline is its slice's.
 */
export class GuardedCall<T> implements SliceMember {
  prev: AnyCall | null = null;
  next: AnyCall | null = null;
  settled = false;
  private controller: AbortController | null = null;
  private callerSignal: AbortSignal | undefined = undefined;
  /** The slice whose signal `fn` holds, until `fn` settles. */
  private holds: SignalSlice | null = null;
  private resolve!: (value: T) => void;
  private reject!: (error: unknown) => void;
  readonly promise: Promise<T>;

  constructor(
    private readonly owner: CallOwner,
    private readonly list: InFlightCalls,
    /** When the call began, in the owner's clock; `NaN` when its duration is not measured. */
    private readonly start: number,
    private readonly epoch: number,
  ) {
    this.promise = new Promise<T>(captureSettlers as (resolve: (value: T) => void) => void);
    const captured = lastSettlers();
    this.resolve = captured.resolve as (value: T) => void;
    this.reject = captured.reject;
  }

  /**
   * Runs `fn` and settles with its outcome unless the deadline or an abort comes first. `deadline`
   * is the timed slice the call expires with (`null` without a timeout), whose signal it uses
   * when it has no caller's signal (an untimed call always has one here).
   */
  run(
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    deadline: SignalSlice | null,
    signal: AbortSignal | undefined,
  ): void {
    this.list.add(this);
    let own: AbortSignal;
    if (signal !== undefined) {
      this.callerSignal = signal;
      watchCaller(signal, this);
      own = (this.controller = new AbortController()).signal;
      // The deadline's slice counts the call as running, so that it keeps it until it settles.
      if (deadline !== null) (this.holds = deadline).join();
    } else {
      const slice = (this.holds = deadline!);
      slice.join();
      own = slice.signal;
    }
    deadline?.add(this);
    let result: T | PromiseLike<T>;
    try {
      result = fn(own);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (isThenable(result)) {
      result.then(
        (value) => this.succeed(value),
        (error: unknown) => this.fail(error),
      );
    } else {
      this.succeed(result);
    }
  }

  /** Gives up on the call with `reason`, aborting `fn`'s own signal. Not the provider's failure. */
  cancel(reason: unknown): void {
    if (!this.finish()) return;
    this.controller?.abort(reason);
    this.owner.settleCancelled(this.epoch);
    this.reject(reason);
  }

  /** The deadline passed. A shared signal is aborted by its slice. */
  expire(): Error | null {
    if (!this.finish()) return null;
    const error = this.owner.timeoutError();
    this.controller?.abort(error);
    this.owner.settleFailure(error, this.start, this.epoch, true);
    this.reject(error);
    return error;
  }

  private succeed(value: T): void {
    this.releaseSlice();
    if (!this.finish()) return;
    this.owner.settleSuccess(this.start, this.epoch);
    this.resolve(value);
  }

  private fail(error: unknown): void {
    this.releaseSlice();
    if (!this.finish()) return;
    this.owner.settleFailure(error, this.start, this.epoch, false);
    this.reject(error);
  }

  private releaseSlice(): void {
    const slice = this.holds;
    if (slice === null) return;
    this.holds = null;
    slice.release();
  }

  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.list.remove(this);
    if (this.callerSignal !== undefined) unwatchCaller(this.callerSignal, this);
    return true;
  }
}

/**
 * The {@link GuardedCall}s of one breaker still in flight, so that shutdown can give them up.
 * (Their deadlines are kept by their slices; see `DeadlineSlices`.)
 */
export class InFlightCalls {
  private head: AnyCall | null = null;
  private tail: AnyCall | null = null;

  add(call: AnyCall): void {
    call.prev = this.tail;
    if (this.tail === null) this.head = call;
    else this.tail.next = call;
    this.tail = call;
  }

  remove(call: AnyCall): void {
    if (call.prev === null) this.head = call.next;
    else call.prev.next = call.next;
    if (call.next === null) this.tail = call.prev;
    else call.next.prev = call.prev;
    call.prev = call.next = null;
  }

  /** Cancels every call in flight with `reason`. */
  cancelAll(reason: unknown): void {
    while (this.head !== null) this.head.cancel(reason);
  }
}
