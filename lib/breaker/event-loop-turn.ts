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
/** Told when the current turn ends (see {@link atTurnEnd}). */
let enders: (() => void)[] = [];

/** The current turn; makes sure the next turn gets a new number. */
export function currentTurn(): number {
  if (!scheduled || scheduledWith !== globalThis.setImmediate) {
    // Also when the immediate belongs to timers that were replaced (fake timers between tests):
    // it may never run.
    if (scheduled) {
      turn++;
      enders = []; // their immediate may never run: they read no clock, and callers fall back
    }
    scheduled = true;
    scheduledWith = globalThis.setImmediate;
    setImmediate(nextTurn).unref?.();
  }
  return turn;
}

/**
 * Calls `fn` once the current turn is over, before any later turn's work: from the immediate that
 * numbers the next turn (call {@link currentTurn} first). `fn` may read a clock: the reading is at
 * or after the end of every synchronous burst of the turn. Not called when the timers that would
 * run it are replaced (fake timers between tests).
 */
export function atTurnEnd(fn: () => void): void {
  enders.push(fn);
}

function nextTurn(): void {
  scheduled = false;
  turn++;
  const ending = enders;
  if (ending.length === 0) return;
  enders = [];
  for (const fn of ending) fn();
}
