import { isNewer, type SharedState } from './state-store.js';

/** What a store keeps in this process for one breaker name: the newest shared state and its breakers. */
export interface LocalEntry {
  state: SharedState | undefined;
  readonly listeners: Set<(state: SharedState) => void>;
}

/**
 * Keeps `state` in `entry` when it is newer than what the entry holds, and tells every breaker
 * attached to it but `writer` (the one that wrote it, if local). Answers whether it was kept.
 */
export function keepNewer(
  entry: LocalEntry,
  state: SharedState,
  writer?: (state: SharedState) => void,
): boolean {
  if (!isNewer(state, entry.state)) return false;
  entry.state = state;
  for (const listener of entry.listeners) if (listener !== writer) listener(state);
  return true;
}
