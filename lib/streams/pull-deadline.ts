import type { Clock } from '../breaker/options.js';

/**
 * The deadline of a stream's pending pull, with one `unref()`ed timer per stream. Setting a later
 * deadline (each `next()` does) changes a number, not the timer: the timer, when it fires early,
 * re-aims at the deadline then in force, so a stream of a thousand fast chunks arms it a handful
 * of times, not a thousand. Only a deadline closer than the timer's aim (or timers replaced, as
 * fake timers do) re-arms it at once.
 * @internal
 */
export class PullDeadline {
  /** When the pending pull times out; `Infinity` while none is pending. */
  private deadline = Number.POSITIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private armedFor = Number.POSITIVE_INFINITY;
  private armedWith: typeof setTimeout | null = null;

  constructor(
    private readonly clock: Clock,
    /** Called once the deadline in force has passed. */
    private readonly expired: () => void,
  ) {}

  /** Sets the pending pull's deadline (`Infinity`: none). */
  set(deadline: number): void {
    this.deadline = deadline;
    if (deadline === Number.POSITIVE_INFINITY) return;
    if (this.timer !== null) {
      if (deadline >= this.armedFor && globalThis.setTimeout === this.armedWith) return;
      clearTimeout(this.timer);
    }
    this.arm(deadline);
  }

  /** No pull is pending: the timer may fire, and will find nothing to do. */
  clear(): void {
    this.deadline = Number.POSITIVE_INFINITY;
  }

  /** The stream is over: the timer goes. */
  stop(): void {
    this.deadline = Number.POSITIVE_INFINITY;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private arm(deadline: number): void {
    this.armedFor = deadline;
    this.armedWith = globalThis.setTimeout;
    const delay = Math.max(0, deadline - this.clock.now());
    this.timer = setTimeout(this.fire, delay);
    this.timer.unref?.();
  }

  private readonly fire = (): void => {
    this.timer = null;
    const deadline = this.deadline;
    if (deadline === Number.POSITIVE_INFINITY) return;
    if (this.clock.now() < deadline) this.arm(deadline);
    else this.expired();
  };
}
