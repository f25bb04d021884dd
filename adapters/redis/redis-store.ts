import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keepNewer, type LocalEntry } from '../../lib/store/local-entry.js';
import { type SharedState, type StateStore, type StoreAttachment } from '../../lib/index.js';
import { CLAIM_TRIAL, RELEASE_TRIAL, WRITE_IF_NEWER } from './lua-scripts.js';
import {
  resolveRedisStoreOptions,
  type RedisStoreOptions,
  type ResolvedRedisStoreOptions,
} from './redis-store-options.js';
import { decodeMessage, decodeState, encodeMessage, encodeState } from './shared-state-codec.js';

/** What the store knows of one breaker name. */
interface Entry extends LocalEntry {
  readonly name: string;
  /** Whether Redis has been asked for the state since the store last (re)connected. */
  fetched: boolean;
  /** The half-open period (its version) the trial counts below belong to. */
  trialVersion: number;
  /** Trials running through this store. */
  inUse: number;
  /** Of those, how many hold a fleet permit to give back to Redis. */
  fromFleet: number;
  /** Fleet permits granted to this store and not used yet. */
  held: number;
  /** Epoch ms at which held permits lapse with their key in Redis. */
  heldUntil: number;
  /** Whether a claim for a permit is on its way. */
  claiming: boolean;
}

/**
 * A {@link StateStore} in Redis, through ioredis: breakers of the same name in every replica that
 * uses one Redis (and one `keyPrefix`) share their state and their half-open trial permits.
 *
 * - Writes go through a Lua script that keeps the newer write by (version, origin), exactly as
 *   `isNewer` orders them, and PUBLISHes it; every store SUBSCRIBEs and hands other replicas'
 *   writes to its breakers. Nothing waits for Redis on a breaker's call path.
 * - `initial` is answered from a local cache, filled by {@link RedisStore.ready} (which loads every
 *   shared state under the prefix) and kept current by the subscription. A breaker that attaches
 *   before the cache knows its name adopts the shared state when Redis answers.
 * - Trial permits are claimed from Redis in the background: a call that finds no permit held is
 *   refused while the claim is on its way, and a later call takes the permit.
 * - When Redis is unreachable, breakers keep working on local state (trial permits are then
 *   counted per process); errors go to `onError`; on reconnect the store writes what it knows
 *   and reads back what it missed.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { BreakerRegistry } from 'breakwater';
 * import { RedisStore } from 'breakwater/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!);
 * const store = await RedisStore.connect({ redis });
 * const registry = new BreakerRegistry({ store });
 * // ... at shutdown:
 * await registry.close();
 * await store.close();
 * await redis.quit();
 */
export class RedisStore implements StateStore {
  /** This store's id on the channel, to skip its own echoes. */
  readonly id = randomUUID();
  private readonly options: ResolvedRedisStoreOptions;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly loaded: Promise<void>;
  private settleReady!: () => void;
  private failing = false;
  private closed = false;
  private readonly onReady = (): void => this.resync();
  /** Resyncs once subscribed again, so nothing published after the reads can be missed. */
  private readonly onSubscriberReady = (): void => {
    this.subscribed = true;
    this.send(this.subscriber.subscribe(this.channel).then(() => this.resync()));
  };
  /** Whether the subscriber connection is up; its loss is reported once per outage. */
  private subscribed = false;
  private readonly onSubscriberClose = (): void => {
    if (!this.subscribed || this.closed) return;
    this.subscribed = false;
    this.report(new Error('the connection to Redis closed'));
  };
  private readonly onSubscriberError = (error: Error): void => this.report(error);

  /**
   * Starts connecting at once; `initial` states are known after {@link RedisStore.ready}. Prefer
   * {@link RedisStore.connect}, which waits for it.
   */
  constructor(options: RedisStoreOptions) {
    this.options = resolveRedisStoreOptions(options);
    this.redis = this.options.redis;
    this.channel = `${this.options.keyPrefix}states`;
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('error', this.onSubscriberError);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
    });
    this.redis.on('ready', this.onReady);
    this.subscriber.on('ready', this.onSubscriberReady);
    this.subscriber.on('close', this.onSubscriberClose);
    this.loaded = new Promise<void>((resolve) => (this.settleReady = resolve));
    void this.load().then(() => this.settleReady());
  }

  /**
   * A store that has subscribed and loaded every shared state under its prefix, so breakers
   * attaching to it start in the fleet's state. Resolves even when Redis cannot be reached (the
   * error goes to `onError`; the store then works locally and catches up on reconnect).
   *
   * @example
   * const store = await RedisStore.connect({ redis, keyPrefix: 'checkout:' });
   */
  static async connect(options: RedisStoreOptions): Promise<RedisStore> {
    const store = new RedisStore(options);
    await store.ready();
    return store;
  }

  /**
   * Resolves once subscribed and loaded, or at the first Redis error before that (reported to
   * `onError`); never rejects.
   */
  ready(): Promise<void> {
    return this.loaded;
  }

  /** Resolves when every write, read and claim this store has sent so far has been answered. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Whether commands can be sent now; when not, breakers work on local state. */
  get online(): boolean {
    return !this.closed && this.redis.status === 'ready';
  }

  attach(name: string, onRemote: (state: SharedState) => void): StoreAttachment {
    const e = this.entry(name);
    e.listeners.add(onRemote);
    if (!e.fetched && this.online) this.fetch(e);
    return {
      initial: e.state,
      publish: (state) => {
        if (keepNewer(e, state, onRemote)) this.write(e, state);
      },
      acquireTrial: (version, max) => this.acquireTrial(e, version, max),
      releaseTrial: (version) => this.releaseTrial(e, version),
      detach: () => {
        e.listeners.delete(onRemote);
      },
    };
  }

  /**
   * Stops listening and closes the subscriber connection it made; your `redis` client stays open.
   * Waits up to a second for writes on their way. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.redis.status === 'ready') {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 1_000);
        timer.unref();
      });
      await Promise.race([this.flush(), limit]);
      clearTimeout(timer);
    }
    this.closed = true;
    this.redis.off('ready', this.onReady);
    this.subscriber.off('ready', this.onSubscriberReady);
    this.subscriber.off('close', this.onSubscriberClose);
    this.subscriber.removeAllListeners('message');
    this.subscriber.disconnect();
    // A late 'error' from the closing socket is no longer news.
    this.subscriber.on('error', () => undefined);
    this.subscriber.off('error', this.onSubscriberError);
    for (const e of this.entries.values()) e.listeners.clear();
  }

  private key(kind: 'state' | 'trial', name: string, version?: number): string {
    const base = `${this.options.keyPrefix}${kind}:${name}`;
    return version === undefined ? base : `${base}:${version}`;
  }

  private entry(name: string): Entry {
    let e = this.entries.get(name);
    if (e === undefined) {
      e = {
        name,
        state: undefined,
        listeners: new Set(),
        fetched: false,
        trialVersion: -1,
        inUse: 0,
        fromFleet: 0,
        held: 0,
        heldUntil: 0,
        claiming: false,
      };
      this.entries.set(name, e);
    }
    return e;
  }

  /** Adopts `state` if it is newer than what the store knows, and tells the breakers. */
  private merge(e: Entry, state: SharedState): void {
    keepNewer(e, state);
  }

  private receive(message: string): void {
    try {
      const { sender, name, state } = decodeMessage(message);
      if (sender !== this.id) this.merge(this.entry(name), state);
    } catch (error) {
      this.report(asError(error, 'a malformed message on the channel'));
    }
  }

  /** Subscribes, then reads every shared state under the prefix into the cache. */
  private async load(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.channel);
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(
          cursor,
          'MATCH',
          `${this.key('state', '')}*`,
          'COUNT',
          200,
        );
        cursor = next;
        if (keys.length > 0) {
          const values = await this.redis.mget(...keys);
          const from = this.key('state', '').length;
          keys.forEach((key, i) => this.mergeJson(this.entry(key.slice(from)), values[i] ?? null));
        }
      } while (cursor !== '0');
      for (const e of this.entries.values()) e.fetched = true;
    } catch (error) {
      if (!this.closed) this.report(asError(error, 'loading shared states'));
    }
  }

  private mergeJson(e: Entry, json: string | null): void {
    if (json === null) return;
    try {
      this.merge(e, decodeState(json));
    } catch (error) {
      this.report(asError(error, `a malformed state at ${this.key('state', e.name)}`));
    }
  }

  /** Reads one breaker's shared state. */
  private fetch(e: Entry): void {
    e.fetched = true;
    this.send(
      this.redis.get(this.key('state', e.name)).then((json) => this.mergeJson(e, json)),
      () => (e.fetched = false),
    );
  }

  /** Writes `state` if newer than the stored one; adopts the stored one when that is newer. */
  private write(e: Entry, state: SharedState): void {
    if (!this.online) return; // written by resync() on reconnect
    const message = encodeMessage({ sender: this.id, name: e.name, state });
    const reply = this.redis.eval(
      WRITE_IF_NEWER,
      1,
      this.key('state', e.name),
      encodeState(state),
      state.version,
      state.origin,
      this.options.stateTtlMs,
      this.channel,
      message,
    );
    this.send(
      reply.then((stored) => {
        if (typeof stored === 'string') this.mergeJson(e, stored);
      }),
    );
  }

  private acquireTrial(e: Entry, version: number, max: number): boolean {
    if (version > e.trialVersion) {
      e.trialVersion = version;
      e.inUse = e.fromFleet = e.held = 0;
      e.claiming = false;
    } else if (version < e.trialVersion) {
      return false;
    }
    if (e.inUse >= max) return false;
    if (!this.online) {
      e.inUse++; // Redis is out of reach: count trials in this process only
      return true;
    }
    if (e.held > 0 && Date.now() < e.heldUntil) {
      e.held--;
      e.inUse++;
      e.fromFleet++;
      return true;
    }
    e.held = 0;
    if (!e.claiming) this.claimTrial(e, version, max);
    return false;
  }

  /** Asks Redis for one of the fleet's `max` permits of the period `version`. */
  private claimTrial(e: Entry, version: number, max: number): void {
    e.claiming = true;
    const sentAt = Date.now();
    const key = this.key('trial', e.name, version);
    const reply = this.redis.eval(CLAIM_TRIAL, 1, key, max, this.options.trialTtlMs);
    this.send(
      reply.then((answer) => {
        const [granted, ttl] = answer as [number, number];
        if (e.trialVersion !== version) {
          if (granted === 1) this.giveBack(key);
          return;
        }
        e.claiming = false;
        if (granted === 1) {
          e.held++;
          e.heldUntil = sentAt + (ttl > 0 ? ttl : this.options.trialTtlMs);
        }
      }),
      () => {
        if (e.trialVersion === version) e.claiming = false;
      },
    );
  }

  private releaseTrial(e: Entry, version: number): void {
    if (version !== e.trialVersion || e.inUse === 0) return;
    e.inUse--;
    if (e.fromFleet > 0) {
      e.fromFleet--;
      this.giveBack(this.key('trial', e.name, version));
    }
  }

  private giveBack(key: string): void {
    if (this.online) this.send(this.redis.eval(RELEASE_TRIAL, 1, key));
  }

  /** After a (re)connection: writes what the store knows, reads what it missed. */
  private resync(): void {
    if (!this.online) return;
    this.failing = false;
    for (const e of this.entries.values()) {
      if (e.state !== undefined) this.write(e, e.state);
      else if (e.listeners.size > 0) this.fetch(e);
    }
  }

  /** Tracks a command's reply; a failure is reported, never thrown. */
  private send(reply: Promise<unknown>, onFailure?: () => void): void {
    const done = reply.then(
      () => undefined,
      (error: unknown) => {
        onFailure?.();
        if (!this.closed) this.report(asError(error, 'a Redis command'));
      },
    );
    this.pending.add(done);
    void done.then(() => this.pending.delete(done));
  }

  private report(error: Error): void {
    this.settleReady();
    const onError = this.options.onError;
    if (onError !== undefined) {
      try {
        onError(error);
      } catch {
        // a failing error handler must not break the store
      }
      return;
    }
    if (this.failing) return;
    this.failing = true;
    process.emitWarning(
      `breakwater/redis: ${error.message}; breakers work on local state until Redis answers`,
      'BreakwaterRedisWarning',
    );
  }
}

function asError(error: unknown, what: string): Error {
  return error instanceof Error ? error : new Error(`${what} failed: ${String(error)}`);
}
