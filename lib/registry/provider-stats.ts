import { isoOrNull } from '../breaker/snapshot.js';
import type { CircuitStateName } from '../core/circuit-state.js';
import type { BreakerRegistry } from './breaker-registry.js';
import { defaultRegistry } from './default-registry.js';

/** Request statistics of one provider: a breaker, or an unguarded fallback of a chain. */
export interface ProviderStatsRow {
  /** The breaker's name, or the method or function name of an unguarded fallback. */
  readonly name: string;
  /** `breaker` for a guarded provider, `fallback` for an unguarded level of a chain. */
  readonly kind: 'breaker' | 'fallback';
  /** The breaker's state; `null` for an unguarded fallback. */
  readonly state: CircuitStateName | null;
  /** Calls offered to the provider, refused ones included. */
  readonly requests: number;
  readonly successes: number;
  /** Calls that failed in a way counted against the provider (timeouts included). */
  readonly failures: number;
  /** Calls a breaker refused without calling the provider; 0 for an unguarded fallback. */
  readonly rejections: number;
  /** Mean duration of the calls that reached the provider, in ms; 0 before the first one. */
  readonly meanLatencyMs: number;
  /** When the provider last answered, as an ISO string; `null` for never. */
  readonly lastSuccessTime: string | null;
}

/** What {@link providerStats} returns. */
export interface ProviderStats {
  /** Every breaker of the registry in the order they were made, then every unguarded fallback. */
  readonly providers: ProviderStatsRow[];
  /** The provider that answered the most recent call of a chain (decorated method or `failover`). */
  readonly lastProvider: string | null;
  /** When it did, as an ISO string; `null` before the first chain call answered. */
  readonly lastProviderTime: string | null;
}

/** Counters of an unguarded fallback, which has no breaker to keep them. @internal */
export class FallbackCounters {
  requests = 0;
  successes = 0;
  failures = 0;
  private totalMs = 0;
  lastSuccessTime = 0;

  /** Records one call that ended at `now` after `durationMs`. */
  record(ok: boolean, durationMs: number, now: number): void {
    this.requests++;
    this.totalMs += durationMs;
    if (ok) {
      this.successes++;
      this.lastSuccessTime = now;
    } else {
      this.failures++;
    }
  }

  get meanLatencyMs(): number {
    return this.requests === 0 ? 0 : this.totalMs / this.requests;
  }
}

/**
 * What chains tell a registry beyond its breakers' own counters: which provider answered last,
 * and how the unguarded fallbacks fared. @internal
 */
export class ProviderUsage {
  lastProvider: string | null = null;
  lastProviderTime = 0;
  private readonly fallbacks = new Map<string, FallbackCounters>();

  /** Notes that `name` answered a chain call at `now`. */
  served(name: string, now: number): void {
    this.lastProvider = name;
    this.lastProviderTime = now;
  }

  /** The counters of the unguarded fallback `name`, made on first use. */
  fallback(name: string): FallbackCounters {
    let counters = this.fallbacks.get(name);
    if (counters === undefined) this.fallbacks.set(name, (counters = new FallbackCounters()));
    return counters;
  }

  /** Every unguarded fallback's counters, in the order they were first used. */
  entries(): IterableIterator<[string, FallbackCounters]> {
    return this.fallbacks.entries();
  }
}

const usages = new WeakMap<BreakerRegistry, ProviderUsage>();

/** The usage chains record for `registry`, made on first use. @internal */
export function usageOf(registry: BreakerRegistry): ProviderUsage {
  let usage = usages.get(registry);
  if (usage === undefined) usages.set(registry, (usage = new ProviderUsage()));
  return usage;
}

/**
 * Per-provider request statistics of a registry (default: {@link defaultRegistry}): requests,
 * successes, failures, rejections and mean latency of every breaker and of every unguarded
 * fallback that chains ran, and the provider that answered the most recent chain call.
 *
 * Breaker rows read the breakers' own counters, so they count every call through the breaker
 * (decorated methods, `failover`, `protect`, `execute`) and start again at `registry.reset()`.
 *
 * @example
 * const { providers, lastProvider } = providerStats(registry);
 * for (const p of providers) console.log(p.name, p.requests, p.failures, p.meanLatencyMs);
 */
export function providerStats(registry: BreakerRegistry = defaultRegistry): ProviderStats {
  if (typeof registry !== 'object' || registry === null || typeof registry.list !== 'function') {
    throw new TypeError(`providerStats needs a BreakerRegistry, got ${String(registry)}`);
  }
  const providers: ProviderStatsRow[] = [];
  for (const breaker of registry.list()) {
    const s = breaker.stats;
    providers.push({
      name: breaker.name,
      kind: 'breaker',
      state: breaker.state,
      requests: s.totalRequests,
      successes: s.successfulRequests,
      failures: s.failedRequests,
      rejections: s.rejectedRequests,
      meanLatencyMs: s.latency === null ? 0 : s.latency.mean(),
      lastSuccessTime: iso(s.lastSuccessTime),
    });
  }
  const usage = usages.get(registry);
  if (usage !== undefined) {
    for (const [name, c] of usage.entries()) {
      providers.push({
        name,
        kind: 'fallback',
        state: null,
        requests: c.requests,
        successes: c.successes,
        failures: c.failures,
        rejections: 0,
        meanLatencyMs: c.meanLatencyMs,
        lastSuccessTime: iso(c.lastSuccessTime),
      });
    }
  }
  return {
    providers,
    lastProvider: usage?.lastProvider ?? null,
    lastProviderTime: usage === undefined ? null : iso(usage.lastProviderTime),
  };
}

/** Total: a time a `Date` cannot hold never throws (see {@link isoOrNull}). */
const iso = isoOrNull;
