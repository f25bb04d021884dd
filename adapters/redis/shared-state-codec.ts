import type { SharedState } from '../../lib/index.js';

const STATES = new Set(['closed', 'open', 'half_open', 'isolated', 'disabled']);

/** A state change as sent on the store's channel. */
export interface StateMessage {
  /** The id of the {@link RedisStore} that wrote it: a store ignores its own echoes. */
  readonly sender: string;
  readonly name: string;
  readonly state: SharedState;
}

/** A trial permit given back without a move: replicas refused in that period may ask again. */
export interface FreeMessage {
  readonly sender: string;
  readonly name: string;
  /** The half-open period, as its stamp key. */
  readonly free: string;
}

/** The JSON a state is stored as. */
export function encodeState(state: SharedState): string {
  return JSON.stringify(state);
}

/** The JSON a message is sent as. */
export function encodeMessage(message: StateMessage | FreeMessage): string {
  return JSON.stringify(message);
}

/**
 * The state in `json`, checked field by field: Redis is shared with others, and a malformed value
 * must not reach a breaker. Throws a TypeError naming what is wrong.
 */
export function decodeState(json: string): SharedState {
  return checkState(JSON.parse(json) as unknown);
}

/** The message in `json`, checked like {@link decodeState}. */
export function decodeMessage(json: string): StateMessage | FreeMessage {
  const value = JSON.parse(json) as Record<string, unknown> | null;
  if (typeof value !== 'object' || value === null) throw new TypeError('message is not an object');
  const { sender, name, free } = value;
  if (typeof sender !== 'string' || typeof name !== 'string') {
    throw new TypeError('message lacks a string "sender" and "name"');
  }
  if (typeof free === 'string') return { sender, name, free };
  return { sender, name, state: checkState(value['state']) };
}

function checkState(value: unknown): SharedState {
  if (typeof value !== 'object' || value === null) throw new TypeError('state is not an object');
  const s = value as Record<string, unknown>;
  const wrong = (field: string) => new TypeError(`state has a bad "${field}": ${String(s[field])}`);
  if (typeof s['state'] !== 'string' || !STATES.has(s['state'])) throw wrong('state');
  if (s['openUntil'] !== null && typeof s['openUntil'] !== 'number') throw wrong('openUntil');
  if (typeof s['reopenCount'] !== 'number') throw wrong('reopenCount');
  if (s['reason'] !== null && typeof s['reason'] !== 'string') throw wrong('reason');
  if (typeof s['changedAt'] !== 'number') throw wrong('changedAt');
  if (typeof s['version'] !== 'number') throw wrong('version');
  if (typeof s['origin'] !== 'string') throw wrong('origin');
  if (s['term'] !== undefined && typeof s['term'] !== 'number') throw wrong('term');
  const config = s['config'];
  if (
    config !== undefined &&
    (typeof config !== 'object' || config === null || Array.isArray(config))
  )
    throw wrong('config');
  // States written before terms existed rank in term 0.
  return (s['term'] === undefined ? { ...s, term: 0 } : value) as SharedState;
}
