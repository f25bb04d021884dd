import type { Disposable } from '../events/emitter.js';
import { show } from '../core/show.js';
import { BreakerHistory, type BreakerHistoryJSON } from './breaker-history.js';
import type { BreakerRegistry } from './breaker-registry.js';

/** How much history to keep. */
export interface HistoryOptions {
  /** Ms between samples. Default 5 000. */
  readonly intervalMs?: number | undefined;
  /** How far back samples and state bands are kept, in ms. Default 900 000 (15 minutes). */
  readonly keepMs?: number | undefined;
}

/**
 * The recent past of every breaker of a registry, kept in a bounded ring per breaker
 * ({@link BreakerHistory}), so a dashboard opened in the middle of an outage sees its last
 * minutes: requests/s, error rate, p95, fallbacks and refusals, and the state bands with their
 * reasons. One registry-wide timer, `unref()`ed, samples every breaker; state changes and config
 * changes are recorded as they happen. Nothing runs on the call path.
 *
 * @example
 * const history = new RegistryHistory(registry, { intervalMs: 5_000 });
 * history.of('openai')?.bands; // [{ state: 'closed', from, to, reason }, { state: 'open', ... }]
 * history.close();
 */
export class RegistryHistory {
  readonly intervalMs: number;
  readonly keepMs: number;
  /** Bumped whenever anything is recorded, so a reader can tell whether to send it again. */
  revision = 0;
  private readonly histories = new Map<string, BreakerHistory>();
  private readonly subscriptions: Disposable[];
  private timer: ReturnType<typeof setInterval> | null;

  constructor(
    private readonly registry: BreakerRegistry,
    options: HistoryOptions = {},
    /**
     * Told of an error reading a breaker (which snapshots do not throw, but a future bug might):
     * that breaker's sample is skipped, and the timer and the listeners go on.
     */
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`history options must be an object, got ${show(options)}`);
    }
    for (const key of Object.keys(options)) {
      if (key !== 'intervalMs' && key !== 'keepMs') {
        throw new TypeError(`history: unknown option "${key}"; known options: intervalMs, keepMs`);
      }
    }
    this.intervalMs = checkMs('history intervalMs', options.intervalMs, 5_000);
    this.keepMs = checkMs('history keepMs', options.keepMs, 900_000);
    if (this.keepMs < this.intervalMs) {
      throw new RangeError(
        `history keepMs must be at least intervalMs (${this.intervalMs}), got ${show(this.keepMs)}`,
      );
    }
    this.subscriptions = [
      registry.on('stateChange', (event) => {
        this.revision++;
        this.safely(() => this.track(event.breaker, false)?.moved(event));
      }),
      registry.on('streamFirstChunk', (event) => {
        this.safely(() => this.track(event.breaker)?.firstChunk(event.durationMs));
      }),
      registry.on('configure', (event) => {
        this.revision++;
        this.safely(() => this.track(event.breaker)?.configured(event));
      }),
    ];
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  /** Samples every breaker now (the timer does it every `intervalMs`). */
  sample(): void {
    this.revision++;
    for (const breaker of this.registry.list()) {
      this.safely(() => this.track(breaker.name)?.sample());
    }
    if (this.histories.size > this.registry.list().length) {
      for (const name of this.histories.keys())
        if (!this.registry.has(name)) this.histories.delete(name);
    }
  }

  /** One breaker's history, `undefined` for a name the registry does not hold. */
  of(name: string): BreakerHistoryJSON | undefined {
    return this.track(name)?.toJSON();
  }

  /** Every breaker's history, in the registry's order (one that cannot be read is left out). */
  all(): BreakerHistoryJSON[] {
    const all: BreakerHistoryJSON[] = [];
    for (const breaker of this.registry.list()) {
      this.safely(() => {
        const history = this.track(breaker.name);
        if (history !== undefined) all.push(history.toJSON());
      });
    }
    return all;
  }

  /** Stops the timer and the subscriptions. */
  close(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions.length = 0;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs `step`, reporting what it throws: it runs in a timer or a listener. */
  private safely(step: () => void): void {
    try {
      step();
    } catch (error) {
      try {
        this.onError(error);
      } catch {
        // A throwing onError must not end the process either.
      }
    }
  }

  private track(name: string, seed = true): BreakerHistory | undefined {
    let history = this.histories.get(name);
    if (history === undefined) {
      const breaker = this.registry.find(name);
      if (breaker === undefined) return undefined;
      history = new BreakerHistory(breaker, this.intervalMs, this.keepMs, seed);
      this.histories.set(name, history);
    }
    return history;
  }
}

const shared = new WeakMap<BreakerRegistry, { history: RegistryHistory; users: number }>();

/**
 * The history of `registry` that admin routers share: made by the first caller (with its
 * `options`), closed when the last one calls `release()`.
 */
export function acquireHistory(
  registry: BreakerRegistry,
  options?: HistoryOptions,
  onError?: (error: unknown) => void,
): { readonly history: RegistryHistory; release(): void } {
  let entry = shared.get(registry);
  if (entry === undefined) {
    entry = { history: new RegistryHistory(registry, options, onError), users: 0 };
    shared.set(registry, entry);
  }
  entry.users++;
  const held = entry;
  let released = false;
  return {
    history: held.history,
    release() {
      if (released) return;
      released = true;
      if (--held.users === 0) {
        held.history.close();
        if (shared.get(registry) === held) shared.delete(registry);
      }
    },
  };
}

function checkMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
    throw new RangeError(`${name} must be a positive number of ms, got ${show(value)}`);
  }
  return value;
}
