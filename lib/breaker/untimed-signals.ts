import { SignalSlice, type SliceOwner } from './signal-slice.js';

/**
 * The signals of a breaker's untimed calls (no `timeout`, no caller's signal): only shutdown
 * aborts them, so they share one {@link SignalSlice} until it gathers listeners, then the next.
 * A slice left behind is kept only while some call of it is still running, for shutdown to abort.
 */
export class UntimedSignals {
  /** The slice new calls join. */
  current: SignalSlice;
  private readonly retired = new Set<SignalSlice>();
  private readonly forget = (slice: SignalSlice): void => {
    this.retired.delete(slice);
  };

  constructor(private readonly owner: SliceOwner) {
    this.current = new SignalSlice(owner, 0, false);
  }

  /** The slice to join: the current one while it is open, else a new one. */
  slice(): SignalSlice {
    const current = this.current;
    return current.open ? current : this.rotate();
  }

  /** Aborts every signal a running call may hold. */
  cancelAll(reason: unknown): void {
    this.current.cancel(reason);
    for (const slice of this.retired) slice.cancel(reason);
    this.retired.clear();
    this.current = new SignalSlice(this.owner, 0, false);
  }

  private rotate(): SignalSlice {
    const old = this.current;
    if (old.live > 0) {
      old.onIdle = this.forget;
      this.retired.add(old);
    }
    return (this.current = new SignalSlice(this.owner, 0, false));
  }
}
