import { randomUUID } from 'node:crypto';
import { Breaker } from '../breaker/breaker.js';
import type { BreakerOptions, ResolvedOptions } from '../breaker/options.js';
import type { BreakerSnapshot } from '../breaker/snapshot.js';
import { checkTimerMs, hasOwn, ownOptions } from '../breaker/own-options.js';
import { KNOWN_OPTIONS, validateOptions } from '../breaker/validate-options.js';
import { show } from '../core/show.js';
import type { BreakerEvents } from '../events/breaker-events.js';
import { Emitter, type Disposable, type Listener } from '../events/emitter.js';
import { MemoryStore } from '../store/memory-store.js';
import type { StateStore } from '../store/state-store.js';

/** Options of a {@link BreakerRegistry}. */
export interface RegistryOptions {
  /** Options every breaker of the registry starts from; a breaker's own options win. */
  defaults?: BreakerOptions | undefined;
  /** Where breakers share their state. Default: a {@link MemoryStore} of the registry's own. */
  store?: StateStore | undefined;
  /** How long `close()` waits for calls in flight before aborting them, in ms. Default 10 000. */
  shutdownTimeout?: number | undefined;
}

const REGISTRY_OPTIONS = new Set(['defaults', 'store', 'shutdownTimeout']);

/**
 * Named breakers made on first use, with shared defaults and a shared store: the object that
 * decorators, middleware and admin routes all look breakers up in.
 *
 * @example
 * const registry = new BreakerRegistry({ defaults: { failureThreshold: 3 } });
 * const openai = registry.get('openai', { timeout: 20_000 });
 */
export class BreakerRegistry {
  private readonly breakers = new Map<string, Breaker>();
  private readonly defaults: BreakerOptions;
  private readonly store: StateStore;
  private readonly ownsStore: boolean;
  private readonly events = new Emitter<BreakerEvents>();
  private readonly origin = randomUUID();
  private readonly shutdownTimeout: number;
  private closing: Promise<void> | null = null;
  /** Options objects `get` found to agree with the breaker they name: not compared again. */
  private readonly agreed = new WeakMap<object, Breaker>();
  /** `name\0option` pairs already warned about. */
  private readonly warned = new Set<string>();

  constructor(options?: RegistryOptions) {
    const o = ownOptions(options, 'BreakerRegistry', REGISTRY_OPTIONS) as RegistryOptions;
    // Read once, own keys only: what is checked is what every breaker will start from.
    const defaults = ownOptions(o.defaults, 'BreakerRegistry defaults', KNOWN_OPTIONS);
    validateOptions(defaults as BreakerOptions, 'BreakerRegistry defaults');
    if (hasOwn(defaults, 'name'))
      throw new TypeError(
        'BreakerRegistry defaults: "name" is given per breaker, not as a default',
      );
    this.defaults = defaults as BreakerOptions;
    const store = o.store;
    if (
      store !== undefined &&
      (typeof store !== 'object' || store === null || typeof store.attach !== 'function')
    ) {
      throw new TypeError(
        `store must be a StateStore (an object with attach()), got ${show(store)}`,
      );
    }
    this.store = store ?? new MemoryStore();
    this.ownsStore = store === undefined;
    const timeout = o.shutdownTimeout === undefined ? 10_000 : o.shutdownTimeout;
    this.shutdownTimeout = checkTimerMs('shutdownTimeout', timeout);
  }

  /**
   * The breaker called `name`, made with the registry's defaults and `options` on first use.
   * Later calls return the same breaker, and their `options` are not applied: each option given
   * with another value than the breaker runs with is named in a process warning
   * (`BREAKWATER_OPTIONS_IGNORED`), once per breaker and option. Bad options still throw.
   */
  get(name: string, options?: BreakerOptions): Breaker {
    const existing = this.breakers.get(name);
    if (existing !== undefined) {
      if (options !== undefined && this.agreed.get(options) !== existing) {
        this.checkAgrees(existing, options);
      }
      return existing;
    }
    if (typeof name !== 'string' || name.trim() === '') {
      throw new TypeError(`breaker name must be a non-empty string, got ${show(name)}`);
    }
    if (this.closing !== null)
      throw new Error(`BreakerRegistry is closed; cannot make breaker "${name}"`);
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new TypeError(`options of breaker "${name}" must be an object, got ${show(options)}`);
    }
    const own = ownOptions(options, `options of breaker "${name}"`, KNOWN_OPTIONS);
    const breaker = new Breaker(
      { ...this.defaults, ...own, name },
      { store: this.store, events: this.events, origin: this.origin },
    );
    this.breakers.set(name, breaker);
    if (options !== undefined) this.agreed.set(options, breaker);
    return breaker;
  }

  /**
   * Warns once per breaker and option when `options` asks for another value than `existing`
   * runs with. Not a throw: decorators and failover chains ask for their breaker on every call, so
   * a breaker made first elsewhere (a test's `registry.get(name)`, another chain) would make
   * every call fail long after start-up.
   */
  private checkAgrees(existing: Breaker, options: BreakerOptions): void {
    const where = `options of breaker "${existing.name}"`;
    const own = ownOptions(options, where, KNOWN_OPTIONS);
    const wanted = validateOptions(
      { ...this.defaults, ...own, name: existing.name } as BreakerOptions,
      where,
    );
    for (const key of Object.keys(own) as (keyof ResolvedOptions)[]) {
      if (Object.is(wanted[key], existing.options[key])) continue;
      const warned = `${existing.name}\u0000${key}`;
      if (this.warned.has(warned)) continue;
      this.warned.add(warned);
      process.emitWarning(
        `BreakerRegistry.get("${existing.name}"): the breaker exists with ${key} ${show(existing.options[key])}; ${show(wanted[key])} is ignored (options apply only when a breaker is made; registry.remove() it first to remake it)`,
        { code: 'BREAKWATER_OPTIONS_IGNORED' },
      );
    }
    this.agreed.set(options, existing);
  }

  /** The breaker called `name`, if it exists; never makes one. */
  find(name: string): Breaker | undefined {
    return this.breakers.get(name);
  }

  /** Whether a breaker called `name` exists. */
  has(name: string): boolean {
    return this.breakers.has(name);
  }

  /** Every breaker, in the order they were made. */
  list(): Breaker[] {
    return [...this.breakers.values()];
  }

  /** Every breaker's snapshot, in the order they were made. */
  snapshot(): BreakerSnapshot[] {
    return this.list().map((b) => b.snapshot());
  }

  /** Closes and clears one breaker, or all of them. Throws for an unknown name. */
  reset(name?: string): void {
    if (name === undefined) {
      for (const breaker of this.breakers.values()) breaker.reset();
      return;
    }
    const breaker = this.breakers.get(name);
    if (breaker === undefined) throw new RangeError(`no breaker called ${show(name)}`);
    breaker.reset();
  }

  /** Forgets the breaker called `name`, aborting its calls in flight. Returns whether it existed. */
  remove(name: string): boolean {
    const breaker = this.breakers.get(name);
    if (breaker === undefined) return false;
    breaker.shutdown();
    return this.breakers.delete(name);
  }

  /** Subscribes to an event of every breaker, present and future. */
  on<K extends keyof BreakerEvents>(event: K, listener: Listener<BreakerEvents, K>): Disposable {
    return this.events.on(event, listener);
  }

  /**
   * Waits up to `timeoutMs` (default: the registry's `shutdownTimeout`) for calls in flight, then
   * aborts the rest (their signals abort, their callers get the shutdown's `AbortError`) and
   * releases the store if the registry made it. `close(0)` aborts at once, before it returns.
   * Idempotent: a second call returns the first one's promise.
   */
  close(timeoutMs: number = this.shutdownTimeout): Promise<void> {
    if (this.closing !== null) return this.closing;
    try {
      checkTimerMs('close() timeoutMs', timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
    return (this.closing = this.shutDown(timeoutMs));
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    const breakers = this.list();
    if (timeoutMs === 0) {
      for (const breaker of breakers) breaker.shutdown();
      if (this.ownsStore) await this.store.close();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref?.();
    });
    await Promise.race([Promise.all(breakers.map((b) => b.drain())), deadline]);
    clearTimeout(timer);
    for (const breaker of breakers) breaker.shutdown();
    if (this.ownsStore) await this.store.close();
  }
}
