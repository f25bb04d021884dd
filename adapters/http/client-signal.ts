type AbortListener = EventListenerOrEventListenerObject;

/**
 * An `AbortSignal` for one guarded request that aborts when its client disconnects before the
 * answer. `protect()` makes one per request, and a real `AbortSignal` costs several
 * microseconds to make and to listen to (Node's `EventTarget`), more than the rest of
 * `protect()` together; this implements what a listener of an `AbortSignal` uses (`aborted`,
 * `reason`, `addEventListener`, `removeEventListener`, `onabort`, `throwIfAborted`) with plain
 * fields. It is handed to `breaker.execute()` only, never to user code.
 */
export class ClientSignal {
  aborted = false;
  reason: unknown = undefined;
  onabort: ((event: Event) => void) | null = null;
  private listeners: AbortListener[] | null = null;
  /** @internal The connection's list of watched requests this signal is in (see `watchClient`). */
  watchList: Set<ClientSignal> | null = null;

  addEventListener(type: string, listener: AbortListener | null): void {
    if (type !== 'abort' || listener === null || this.aborted) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(type: string, listener: AbortListener | null): void {
    if (type !== 'abort' || this.listeners === null) return;
    const at = this.listeners.indexOf(listener as AbortListener);
    if (at >= 0) this.listeners.splice(at, 1);
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  /** Aborts with `reason`, calling each listener once. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners ?? [];
    this.listeners = null;
    const event = { type: 'abort', target: this } as unknown as Event;
    this.onabort?.(event);
    for (const listener of listeners) {
      if (typeof listener === 'function') listener(event);
      else listener.handleEvent(event);
    }
  }

  /** This object as the `AbortSignal` type `breaker.execute()` takes. */
  get signal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}
