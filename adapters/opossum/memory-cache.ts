/**
 * Where a breaker keeps cached results: opossum's transport contract. `set`'s third argument is
 * the epoch ms at which the entry expires, `0` for never (what opossum passes, whatever its
 * typings call it).
 */
export interface CacheTransport {
  get(key: string): unknown | undefined;
  set(key: string, value: unknown, expiresAt: number): void;
  flush(): void;
  delete?(key: string): void;
}

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/**
 * opossum's in-memory cache: a `Map` of at most `maxEntries` entries, the oldest evicted first,
 * each expiring at the time it was given (`0`: never).
 */
export class MemoryCache implements CacheTransport {
  readonly cache = new Map<string, Entry>();
  readonly maxEntries: number;

  constructor(maxEntries?: number) {
    this.maxEntries = maxEntries ?? 2 ** 24 - 1;
  }

  get(key: string): unknown | undefined {
    const entry = this.cache.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt === 0 || entry.expiresAt > Date.now()) return entry.value;
    this.cache.delete(key);
    return undefined;
  }

  set(key: string, value: unknown, expiresAt: number): void {
    if (this.cache.size >= this.maxEntries && this.get(key) === undefined) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
    this.cache.set(key, { value, expiresAt });
  }

  delete(key: string): void {
    this.cache.delete(key);
  }

  flush(): void {
    this.cache.clear();
  }
}
