/** A call that a caller's signal may cancel. */
export interface Cancellable {
  cancel(reason: unknown): void;
}

/**
 * The calls one caller's signal governs, across every breaker: the signal gets ONE abort
 * listener, this group, however many calls share it, so a request's signal passed to a hundred
 * calls never trips Node's MaxListenersExceededWarning. The listener is removed when the last of
 * its calls settles.
 */
class CallerGroup {
  readonly calls = new Set<Cancellable>();

  constructor(private readonly signal: AbortSignal) {}

  handleEvent(): void {
    groups.delete(this.signal);
    const reason: unknown = this.signal.reason;
    for (const call of [...this.calls]) call.cancel(reason);
    this.calls.clear();
  }
}

const groups = new WeakMap<AbortSignal, CallerGroup>();

/** Cancels `call` with the signal's reason when `signal` aborts. */
export function watchCaller(signal: AbortSignal, call: Cancellable): void {
  let group = groups.get(signal);
  if (group === undefined) {
    groups.set(signal, (group = new CallerGroup(signal)));
    signal.addEventListener('abort', group, { once: true });
  }
  group.calls.add(call);
}

/** Stops watching `call`; the last call of a signal takes the group's listener away. */
export function unwatchCaller(signal: AbortSignal, call: Cancellable): void {
  const group = groups.get(signal);
  if (group === undefined || !group.calls.delete(call) || group.calls.size > 0) return;
  groups.delete(signal);
  signal.removeEventListener('abort', group);
}

/** How many abort listeners breakwater holds on `signal`: 0 or 1. @internal */
export function callerListeners(signal: AbortSignal): number {
  return groups.has(signal) ? 1 : 0;
}
