import { atTurnEnd, currentTurn, turn } from './event-loop-turn.js';
import { MAX_MEMBERS, SignalSlice, type SliceOwner } from './signal-slice.js';

/** How late past its aim the shared timer may be before a new slice re-aims it. */
const OVERDUE_MS = 1_000;

/** The slice width for `timeout`: 1 % of it, at least 1 ms and at most 1 s. */
export function sliceWidth(timeout: number): number {
  return Math.min(1_000, Math.max(1, timeout / 100));
}

/**
 * The timed calls of one breaker, in slices of time, and the one timer that expires them.
 *
 * Every call of a breaker has the same timeout, so calls that start within one slice width of
 * each other share a {@link SignalSlice}: one signal, and one deadline, `bound + timeout`, where
 * `bound` is a clock reading taken at or after the start of every member. A deadline is never
 * early; it is late by at most the slice width plus the time since the clock was last read.
 * Calls that read the clock (the sampled ones, see `TimeSampler`; every call of a quiet breaker)
 * move `bound` forward; calls that do not just join the newest open slice, and the first reading
 * after them becomes its bound. They may do so only in the event-loop turn of the last reading
 * (see `event-loop-turn.ts`), so the time since that reading is the time a burst of synchronous
 * work took. So a busy breaker reads the clock about once a millisecond, not twice a call.
 *
 * Slices open in deadline order, so one `unref()`ed timer aimed at the oldest serves them all: it
 * stays armed while calls come and go (no `clearTimeout` per call), and re-aims when it fires.
 */
export class DeadlineSlices {
  private head: SignalSlice | null = null;
  /** The newest slice: the one calls join. */
  tail: SignalSlice | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The time the timer is aimed at, and the `setTimeout` that armed it. */
  private armedFor = 0;
  /** The `setTimeout` that armed the timer. */
  armedWith: typeof setTimeout | null = null;
  private width: number;

  constructor(
    private readonly owner: SliceOwner,
    private timeout: number,
    private readonly clock: { now(): number },
  ) {
    this.width = sliceWidth(timeout);
  }

  /** The event-loop turn of the last clock reading: light calls join only in that turn. */
  readTurn = -1;

  /**
   * The slice a call may join without reading the clock: the newest, while open, in the
   * event-loop turn of the last reading, and while the timers are those it armed (fake timers
   * are replaced between tests: then a reading re-aims them). `null` when a reading is needed.
   */
  lightSlice(): SignalSlice | null {
    const slice = this.tail;
    return slice !== null &&
      slice.open &&
      this.readTurn === turn &&
      this.armedWith === globalThis.setTimeout
      ? slice
      : null;
  }

  /**
   * At the end of a turn in which calls joined the newest slice without reading the clock: a
   * reading bounds their start, so a later reading (maybe a long quiet spell later) need not.
   */
  private readonly turnEnded = (): void => {
    const tail = this.tail;
    if (tail !== null && tail.dirty) {
      tail.bound = Math.max(tail.bound, this.clock.now());
      tail.dirty = false;
    }
  };

  /** The slice a call that read the clock at `now` joins: the newest, or a new one. */
  sliceAt(now: number): SignalSlice {
    const readTurn = currentTurn();
    if (readTurn !== this.readTurn) {
      this.readTurn = readTurn;
      atTurnEnd(this.turnEnded);
    }
    if (this.timer !== null && globalThis.setTimeout !== this.armedWith) {
      // The timer belongs to timers that were replaced (fake timers installed or removed).
      clearTimeout(this.timer);
      this.arm(this.clock.now());
    }
    const tail = this.tail;
    if (
      tail !== null &&
      tail.open &&
      now >= tail.openedAt &&
      now < tail.openedAt + this.width &&
      tail.memberCount < MAX_MEMBERS
    ) {
      tail.bound = now;
      tail.dirty = false;
      return tail;
    }
    if (tail !== null) {
      // Calls joined since the last reading started before `now`: it bounds them.
      if (tail.dirty) {
        tail.bound = Math.max(tail.bound, now);
        tail.dirty = false;
      }
      tail.open = false;
    }
    const slice = new SignalSlice(this.owner, now, true);
    slice.timeout = this.timeout;
    if (tail === null) this.head = slice;
    else tail.next = slice;
    this.tail = slice;
    const deadline = now + this.timeout;
    if (this.timer === null) {
      this.arm(deadline);
    } else if (
      deadline < this.armedFor ||
      now > this.armedFor + OVERDUE_MS ||
      globalThis.setTimeout !== this.armedWith
    ) {
      // The timer will fire too late (the clock went back), should have fired long ago, or
      // belongs to timers that were replaced (fake timers installed or removed): aim a new one.
      clearTimeout(this.timer);
      this.arm(Math.min(deadline, this.head!.bound + this.head!.timeout));
    }
    return slice;
  }

  /**
   * The breaker's timeout changed (`breaker.configure`): calls from now on get slices with the new
   * one; calls in flight keep the deadline they started with.
   */
  retime(timeout: number): void {
    this.timeout = timeout;
    this.width = sliceWidth(timeout);
    if (this.tail !== null) this.tail.open = false;
  }

  /** Gives up every timed call with `reason` and aborts the slices' signals. */
  cancelAll(reason: unknown): void {
    for (let slice = this.head; slice !== null; slice = slice.next) slice.cancel(reason);
    this.head = this.tail = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(at: number): void {
    this.armedFor = at;
    this.armedWith = globalThis.setTimeout;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - this.clock.now()));
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = null;
    const now = this.clock.now();
    // Slices are in deadline order unless the clock went back; so the whole (short) list is
    // looked at, and the timer aims at the earliest deadline left.
    let earliest = Number.POSITIVE_INFINITY;
    let prev: SignalSlice | null = null;
    for (let slice = this.head; slice !== null; slice = slice.next) {
      if (slice.dirty) {
        // Calls joined this slice since it was last bounded: they started before `now`.
        slice.bound = Math.max(slice.bound, now);
        slice.dirty = false;
        slice.open = false;
      }
      const deadline = slice.bound + slice.timeout;
      if (deadline > now) {
        earliest = Math.min(earliest, deadline);
        prev = slice;
        continue;
      }
      slice.expire();
      if (prev === null) this.head = slice.next;
      else prev.next = slice.next;
      if (slice === this.tail) this.tail = prev;
    }
    if (earliest !== Number.POSITIVE_INFINITY) this.arm(earliest);
  }
}
