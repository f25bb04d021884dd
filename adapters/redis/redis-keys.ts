/**
 * The names a {@link RedisStore} uses under its prefix. A breaker's keys carry one hash tag,
 * `{<prefix><name>}`, so they sit in one slot of a Redis Cluster and one script can touch both.
 */
export class RedisKeys {
  /** The pub/sub channel every store of the fleet listens on. */
  readonly channel: string;
  /** A SCAN pattern matching every breaker's state key. */
  readonly statePattern: string;

  constructor(private readonly prefix: string) {
    this.channel = `${prefix}states`;
    this.statePattern = `{${escapeGlob(prefix)}*}:state`;
  }

  /** The key holding breaker `name`'s shared state. */
  state(name: string): string {
    return `{${this.prefix}${name}}:state`;
  }

  /** The key counting breaker `name`'s trial permits of its current half-open period. */
  trial(name: string): string {
    return `{${this.prefix}${name}}:trial`;
  }

  /** The breaker name of a state key, or `null` for a key that is not one of this prefix's. */
  nameOf(stateKey: string): string | null {
    const head = `{${this.prefix}`;
    if (!stateKey.startsWith(head) || !stateKey.endsWith('}:state')) return null;
    return stateKey.slice(head.length, -'}:state'.length);
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
