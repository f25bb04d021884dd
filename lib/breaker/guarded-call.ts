// eslint-disable-next-line @typescript-eslint/no-explicit-any -- calls of every result type share one list
type AnyCall = GuardedCall<any>;

/** Where {@link captureSettlers} leaves a new promise's settlers: one shared executor, no closure per call. */
const captured: { resolve: (value: unknown) => void; reject: (error: unknown) => void } = {
  resolve: () => undefined,
  reject: () => undefined,
};

function captureSettlers(
  resolve: (value: unknown) => void,
  reject: (error: unknown) => void,
): void {
  captured.resolve = resolve;
  captured.reject = reject;
}

/**
 * What a breaker needs from a settling call. Implemented by {@link Breaker}; kept as an
 * interface so this file does not import it.
 */
export interface CallOwner {
  settleSuccess(start: number, epoch: number): void;
  settleFailure(error: unknown, start: number, epoch: number, timedOut: boolean): void;
  settleCancelled(epoch: number): void;
  timeoutError(): Error;
}

/**
 * One call that needs more than `await fn()`: it has a deadline, a signal for `fn`, or a caller's
 * signal to obey. It owns the promise the caller awaits, so it can settle it at the deadline or
 * on abort while `fn` is still running; whatever `fn` does afterwards is dropped.
 *
 * Calls of one breaker are linked in start order ({@link InFlightCalls}). All of them have the
 * same timeout, so start order is deadline order and one timer, aimed at the oldest call, serves
 * them all: no timer per call.
 */
export class GuardedCall<T> {
  prev: AnyCall | null = null;
  next: AnyCall | null = null;
  settled = false;
  controller: AbortController | null = null;
  private callerSignal: AbortSignal | undefined = undefined;
  private resolve!: (value: T) => void;
  private reject!: (error: unknown) => void;
  readonly promise: Promise<T>;

  constructor(
    private readonly owner: CallOwner,
    private readonly list: InFlightCalls,
    /** When the call began, in the owner's clock. */
    readonly start: number,
    /** Whether its duration is measured; untimed calls report `NaN` as their start. */
    private readonly timed: boolean,
    readonly deadline: number,
    private readonly epoch: number,
  ) {
    this.promise = new Promise<T>(captureSettlers as (resolve: (value: T) => void) => void);
    this.resolve = captured.resolve as (value: T) => void;
    this.reject = captured.reject;
  }

  /** Runs `fn` and settles with its outcome unless the deadline or an abort comes first. */
  run(
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    wantsSignal: boolean,
    signal?: AbortSignal,
  ): void {
    if (wantsSignal) this.controller = new AbortController();
    this.list.add(this);
    if (signal !== undefined) {
      this.callerSignal = signal;
      signal.addEventListener('abort', this, { once: true });
    }
    let result: T | PromiseLike<T>;
    try {
      result = wantsSignal ? fn(this.controller!.signal) : (fn as () => T | PromiseLike<T>)();
    } catch (error) {
      this.fail(error);
      return;
    }
    if (result !== null && typeof (result as PromiseLike<T>)?.then === 'function') {
      (result as PromiseLike<T>).then(
        (value) => this.succeed(value),
        (error: unknown) => this.fail(error),
      );
    } else {
      this.succeed(result as T);
    }
  }

  /** The caller's signal aborted (this object is its listener). */
  handleEvent(): void {
    this.cancel(this.callerSignal!.reason);
  }

  /** Gives up on the call with `reason`, aborting `fn`'s signal. Not the provider's failure. */
  cancel(reason: unknown): void {
    if (!this.finish()) return;
    this.controller?.abort(reason);
    this.owner.settleCancelled(this.epoch);
    this.reject(reason);
  }

  /** The deadline passed. */
  expire(): void {
    if (!this.finish()) return;
    const error = this.owner.timeoutError();
    this.controller?.abort(error);
    this.owner.settleFailure(error, this.measuredFrom(), this.epoch, true);
    this.reject(error);
  }

  private succeed(value: T): void {
    if (!this.finish()) return;
    this.owner.settleSuccess(this.measuredFrom(), this.epoch);
    this.resolve(value);
  }

  private fail(error: unknown): void {
    if (!this.finish()) return;
    this.owner.settleFailure(error, this.measuredFrom(), this.epoch, false);
    this.reject(error);
  }

  private measuredFrom(): number {
    return this.timed ? this.start : Number.NaN;
  }

  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.list.remove(this);
    if (this.callerSignal !== undefined) this.callerSignal.removeEventListener('abort', this);
    return true;
  }
}

/** How late past its aim the shared timer may be before a new call re-aims it. */
const OVERDUE_MS = 1_000;

/**
 * The guarded calls of one breaker still in flight, oldest first, and the one timer that expires
 * them. The timer is armed when a call with a deadline joins an empty timer slot, stays armed
 * while calls come and go (no clearTimeout per call), and re-aims at the oldest call when it
 * fires. It is `unref()`ed: it never keeps a process alive.
 */
export class InFlightCalls {
  private head: AnyCall | null = null;
  private tail: AnyCall | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The deadline the timer is aimed at, and the `setTimeout` that armed it. */
  private armedFor = 0;
  private armedWith: typeof setTimeout | null = null;

  constructor(private readonly now: () => number) {}

  add(call: AnyCall): void {
    call.prev = this.tail;
    if (this.tail === null) this.head = call;
    else this.tail.next = call;
    this.tail = call;
    const deadline = call.deadline;
    if (deadline === Number.POSITIVE_INFINITY) return;
    if (this.timer === null) {
      this.arm(deadline);
    } else if (
      deadline < this.armedFor ||
      call.start > this.armedFor + OVERDUE_MS ||
      globalThis.setTimeout !== this.armedWith
    ) {
      // The timer will fire too late (the clock went back), should have fired long ago, or
      // belongs to timers that were replaced (fake timers installed or removed): aim a new one.
      clearTimeout(this.timer);
      this.arm(deadline);
    }
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

  private arm(deadline: number): void {
    this.armedFor = deadline;
    this.armedWith = globalThis.setTimeout;
    const delay = Math.max(0, deadline - this.now());
    this.timer = setTimeout(() => this.fire(), delay);
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = null;
    const now = this.now();
    while (this.head !== null && this.head.deadline <= now) this.head.expire();
    let next = this.head;
    while (next !== null && next.deadline === Number.POSITIVE_INFINITY) next = next.next;
    if (next !== null) this.arm(next.deadline);
  }
}
