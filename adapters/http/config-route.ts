import type { Breaker } from '../../lib/breaker/breaker.js';
import { LIVE_OPTION_NAMES, type ConfigChanges } from '../../lib/breaker/live-config.js';
import type { ConfigSnapshot } from '../../lib/breaker/snapshot.js';
import { errorAnswer, jsonAnswer, type AdminAnswer } from './admin-answer.js';

/** What `GET` and `PATCH /circuit-breakers/:name/config` answer. */
export interface ConfigAnswer {
  readonly name: string;
  /** The options in force, as JSON: no functions, no clock, nothing secret. */
  readonly config: ConfigSnapshot;
  /** The options a `PATCH` may change. */
  readonly changeable: readonly string[];
}

/** The body of a config answer for `breaker`. */
export function configAnswer(breaker: Breaker, config = breaker.snapshot().config): ConfigAnswer {
  return { name: breaker.name, config, changeable: LIVE_OPTION_NAMES };
}

/**
 * Applies a `PATCH` body to `breaker`: 200 with the new config, or 400 naming the option and the
 * value (`{ error, message, option }`) and changing nothing. `null` turns an optional setting off.
 */
export function configure(breaker: Breaker, changes: Record<string, unknown>): AdminAnswer {
  if (Object.keys(changes).length === 0) {
    return errorAnswer(
      400,
      'bad_request',
      `Send a JSON object of the options to change, any of: ${LIVE_OPTION_NAMES.join(', ')}`,
    );
  }
  try {
    const config = breaker.configure(changes as ConfigChanges);
    return jsonAnswer(200, configAnswer(breaker, config));
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    const option = firstNamed(error.message, Object.keys(changes));
    return jsonAnswer(400, {
      error: 'bad_request',
      message: error.message,
      ...(option === undefined ? {} : { option }),
    });
  }
}

/** Of `keys`, the one `message` names first, as a whole word. */
function firstNamed(message: string, keys: readonly string[]): string | undefined {
  let first: string | undefined;
  let at = Infinity;
  for (const key of keys) {
    const word = key.replace(/[^\w]/g, '');
    const found = word === '' ? null : new RegExp(`\\b${word}\\b`).exec(message);
    if (found !== null && found.index < at) {
      at = found.index;
      first = key;
    }
  }
  return first;
}
