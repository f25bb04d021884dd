/**
 * Which turn of the event loop this is, told apart cheaply: the number changes once the loop has
 * moved on (an `unref()`ed `setImmediate`, scheduled at most once per turn, and only when someone
 * asked). A timed call that joins a slice without reading the clock may do so only in the turn
 * the slice was last read in: calls of one turn start within a burst of synchronous work, while
 * calls of a later turn may start any time later.
 */
export let turn = 0;
let scheduled = false;
let scheduledWith: typeof setImmediate | null = null;

/** The current turn; makes sure the next turn gets a new number. */
export function currentTurn(): number {
  if (!scheduled || scheduledWith !== globalThis.setImmediate) {
    // Also when the immediate belongs to timers that were replaced (fake timers between tests):
    // it may never run.
    if (scheduled) turn++;
    scheduled = true;
    scheduledWith = globalThis.setImmediate;
    setImmediate(nextTurn).unref?.();
  }
  return turn;
}

function nextTurn(): void {
  scheduled = false;
  turn++;
}
