import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { keepNewer, type LocalEntry } from '../../lib/store/local-entry.js';
import {
  stampKey,
  type SharedState,
  type Stamp,
  type StateStore,
  type StoreAttachment,
} from '../../lib/index.js';
import { FleetTrials } from './fleet-trials.js';
import { CLAIM_TRIAL, RELEASE_TRIAL, WRITE_IF_NEWER } from './lua-scripts.js';
import { CommandLog, asError } from './command-log.js';
import { RedisKeys } from './redis-keys.js';
import {
  resolveRedisStoreOptions,
  type RedisStoreOptions,
  type ResolvedRedisStoreOptions,
} from './redis-store-options.js';
import { scanStates } from './scan-states.js';
import { decodeMessage, decodeState, encodeMessage, encodeState } from './shared-state-codec.js';

/** What the store knows of one breaker name. */
interface Entry extends LocalEntry {
  readonly name: string;
  /** Whether Redis has been asked for the state since the store last (re)connected. */
  fetched: boolean;
  readonly trials: FleetTrials;
}

/** Commands a store has sent, by kind: what it costs Redis. */
export interface RedisStoreTraffic {
  /** State writes (each one script run). */
  writes: number;
  /** Trial-permit claims. */
  claims: number;
  /** Permits given back without a move. */
  releases: number;
}

/**
 * A {@link StateStore} in Redis, through ioredis: breakers of the same name in every replica that
 * uses one Redis (or Redis Cluster) and one `keyPrefix` share their state and their half-open
 * trial permits.
 *
 * - Writes go through a Lua script that keeps the newer write in the fleet's order of writes
 *   (term, version, origin: see `Stamp`), exactly as `isNewer` orders them, and PUBLISHes it;
 *   every store SUBSCRIBEs and hands other replicas' writes to its breakers. Nothing waits for
 *   Redis on a closed breaker's call path.
 * - `initial` is answered from a local cache, filled by {@link RedisStore.ready} (which loads every
 *   shared state under the prefix) and kept current by the subscription. A breaker that attaches
 *   before the cache knows its name adopts the shared state when Redis answers. A name whose
 *   breakers have all been removed is forgotten.
 * - Trial permits are claimed from Redis by one claim at a time per breaker; a half-open call
 *   waits for it at most `claimWaitMs`. A trial's permit is given back in the same script as the
 *   move its outcome makes.
 * - When Redis is unreachable, breakers keep working on local state (trial permits are then
 *   counted per process); errors go to `onError`; on reconnect the store writes what it knows
 *   and reads back what it missed, and the order of writes settles it: an operator's move made
 *   meanwhile outranks every automatic one.
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
  /** Commands sent so far, by kind. */
  readonly traffic: RedisStoreTraffic = { writes: 0, claims: 0, releases: 0 };
  private readonly options: ResolvedRedisStoreOptions;
  private readonly redis: Redis | Cluster;
  private readonly subscriber: Redis | Cluster;
  private readonly keys: RedisKeys;
  private readonly entries = new Map<string, Entry>();
  private readonly log: CommandLog;
  private readonly loaded: Promise<void>;
  private settleReady!: () => void;
  private closed = false;
  private readonly onReady = (): void => this.resync();
  /** Resyncs once subscribed again, so nothing published after the reads can be missed. */
  private readonly onSubscriberReady = (): void => {
    this.subscribed = true;
    this.send(this.subscriber.subscribe(this.keys.channel).then(() => this.resync()));
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
    this.log = new CommandLog(this.options.onError, () => this.settleReady());
    this.redis = this.options.redis;
    this.keys = new RedisKeys(this.options.keyPrefix);
    const redis = this.redis;
    this.subscriber = redis.isCluster
      ? (redis as Cluster).duplicate()
      : (redis as Redis).duplicate();
    this.subscriber.on('error', this.onSubscriberError);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.keys.channel) this.receive(message);
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
  flush(): Promise<void> {
    return this.log.flush();
  }

  /** Whether commands can be sent now; when not, breakers work on local state. */
  get online(): boolean {
    return !this.closed && this.redis.status === 'ready';
  }

  /** How many breaker names the store keeps in its cache. */
  get cached(): number {
    return this.entries.size;
  }

  attach(name: string, onRemote: (state: SharedState) => void): StoreAttachment {
    const e = this.entry(name);
    e.listeners.add(onRemote);
    if (!e.fetched && this.online) this.fetch(e);
    return {
      initial: e.state,
      publish: (state, trialOf) => {
        if (keepNewer(e, state, onRemote)) this.write(e, state, trialOf);
        else if (trialOf !== undefined) this.releaseTrial(e, trialOf);
      },
      acquireTrial: (period, max) => e.trials.acquire(period, max),
      releaseTrial: (period) => this.releaseTrial(e, period),
      detach: () => {
        e.listeners.delete(onRemote);
        if (e.listeners.size > 0 || this.entries.get(name) !== e) return;
        e.trials.dispose();
        this.entries.delete(name);
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
    this.closed = this.log.closed = true;
    this.redis.off('ready', this.onReady);
    this.subscriber.off('ready', this.onSubscriberReady);
    this.subscriber.off('close', this.onSubscriberClose);
    this.subscriber.removeAllListeners('message');
    this.subscriber.disconnect();
    // A late 'error' from the closing socket is no longer news.
    this.subscriber.on('error', () => undefined);
    this.subscriber.off('error', this.onSubscriberError);
    for (const e of this.entries.values()) {
      e.trials.dispose();
      e.listeners.clear();
    }
  }

  private entry(name: string): Entry {
    let e = this.entries.get(name);
    if (e === undefined) {
      const state = undefined;
      const made: Entry = {
        name,
        state,
        listeners: new Set(),
        fetched: false,
        trials: new FleetTrials({
          online: () => this.online,
          claim: (period, key, want, max) => this.claim(made, period, key, want, max),
          giveBack: (key) => this.giveBack(made, key),
          adopt: (json) => this.mergeJson(made, json),
          failed: (error) => this.report(asError(error, 'a trial claim')),
          waitMs: this.options.claimWaitMs,
          ttlMs: this.options.trialTtlMs,
        }),
      };
      e = made;
      this.entries.set(name, e);
    }
    return e;
  }

  private receive(message: string): void {
    try {
      const decoded = decodeMessage(message);
      if (decoded.sender === this.id) return;
      if ('free' in decoded) this.entries.get(decoded.name)?.trials.freed(decoded.free);
      else keepNewer(this.entry(decoded.name), decoded.state);
    } catch (error) {
      this.report(asError(error, 'a malformed message on the channel'));
    }
  }

  /** Subscribes, then reads every shared state under the prefix into the cache. */
  private async load(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.keys.channel);
      for (const [key, json] of await scanStates(this.redis, this.keys.statePattern)) {
        const name = this.keys.nameOf(key);
        if (name !== null) this.mergeJson(this.entry(name), json);
      }
      for (const e of this.entries.values()) e.fetched = true;
    } catch (error) {
      if (!this.closed) this.report(asError(error, 'loading shared states'));
    }
  }

  private mergeJson(e: Entry, json: string | null): void {
    if (json === null) return;
    try {
      keepNewer(e, decodeState(json));
    } catch (error) {
      this.report(asError(error, `a malformed state at ${this.keys.state(e.name)}`));
    }
  }

  /** Reads one breaker's shared state. */
  private fetch(e: Entry): void {
    e.fetched = true;
    this.send(
      this.redis.get(this.keys.state(e.name)).then((json) => this.mergeJson(e, json)),
      () => (e.fetched = false),
    );
  }

  /**
   * Writes `state` if newer than the stored one, giving back a permit of `trialOf` in the same
   * step; adopts the stored state when that is newer.
   */
  private write(e: Entry, state: SharedState, trialOf?: Stamp): void {
    const fleetPermit = trialOf !== undefined && e.trials.release(trialOf);
    if (!this.online) return; // written by resync() on reconnect; the permit lapses with its lease
    this.traffic.writes++;
    const message = encodeMessage({ sender: this.id, name: e.name, state });
    const reply = this.redis.eval(
      WRITE_IF_NEWER,
      2,
      this.keys.state(e.name),
      this.keys.trial(e.name),
      encodeState(state),
      state.term,
      state.version,
      state.origin,
      this.options.stateTtlMs,
      this.keys.channel,
      message,
      fleetPermit ? stampKey(trialOf!) : '',
    );
    this.send(
      reply.then((stored) => {
        if (typeof stored === 'string') this.mergeJson(e, stored);
      }),
    );
  }

  private claim(
    e: Entry,
    period: Stamp,
    key: string,
    want: number,
    max: number,
  ): Promise<[number, number | string]> {
    this.traffic.claims++;
    const reply = this.redis.eval(
      CLAIM_TRIAL,
      2,
      this.keys.state(e.name),
      this.keys.trial(e.name),
      period.term,
      period.version,
      period.origin,
      key,
      max,
      want,
      this.options.trialTtlMs,
    ) as Promise<[number, number | string]>;
    this.send(reply);
    return reply;
  }

  private releaseTrial(e: Entry, period: Stamp): void {
    if (e.trials.release(period)) this.giveBack(e, stampKey(period));
  }

  private giveBack(e: Entry, key: string): void {
    if (!this.online) return; // the permit lapses with its lease
    this.traffic.releases++;
    const message = encodeMessage({ sender: this.id, name: e.name, free: key });
    this.send(
      this.redis.eval(RELEASE_TRIAL, 1, this.keys.trial(e.name), key, this.keys.channel, message),
    );
  }

  /** After a (re)connection: writes what the store knows, reads what it missed. */
  private resync(): void {
    if (!this.online) return;
    this.log.healthy();
    for (const e of this.entries.values()) {
      if (e.state !== undefined) this.write(e, e.state);
      else if (e.listeners.size > 0) this.fetch(e);
    }
  }

  private send(reply: Promise<unknown>, onFailure?: () => void): void {
    this.log.send(reply, onFailure);
  }

  private report(error: Error): void {
    this.log.report(error);
  }
}
