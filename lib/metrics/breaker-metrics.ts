import type { CircuitStateName } from '../core/circuit-state.js';
import { ownOptions } from '../breaker/own-options.js';
import { show } from '../core/show.js';
import { isCircuitOpenError } from '../errors/circuit-open-error.js';
import type { Disposable } from '../events/emitter.js';
import { BreakerRegistry } from '../registry/breaker-registry.js';

/** The value of `circuit_breaker_state` for each state; the `state` label names it too. */
/**
 * What the collector needs of a prom-client registry. Structural, so that `lib/` imports nothing:
 * the prom-client module is handed in by `breakwater/prometheus` or the admin router.
 */
export interface MetricsRegister {
  registerMetric(metric: never): void;
  getSingleMetric(name: string): unknown;
  removeSingleMetric(name: string): void;
  metrics(): Promise<string>;
  readonly contentType: string;
}

/** The parts of the prom-client module the collector uses: pass `await import('prom-client')`. */
export interface PromClient<R extends MetricsRegister = MetricsRegister> {
  readonly Counter: new (config: never) => unknown;
  readonly Gauge: new (config: never) => unknown;
  readonly Histogram: new (config: never) => unknown;
  readonly Registry: new () => R;
  readonly register: R;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- prom-client's classes, handed in untyped */
type AnyMetric = any;

export const STATE_VALUES: Readonly<Record<CircuitStateName, number>> = Object.freeze({
  closed: 0,
  half_open: 1,
  open: 2,
  isolated: 3,
  disabled: 4,
});

/** Default buckets of the call-duration histogram, in seconds: 5 ms to 60 s. */
export const DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
]);

/** Buckets of the time-to-first-chunk histogram of streams, in seconds: 50 ms to 30 s. */
export const FIRST_CHUNK_BUCKETS: readonly number[] = Object.freeze([
  0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30,
]);

/** Options of {@link collectBreakerMetrics}. */
export interface BreakerMetricsOptions<R extends MetricsRegister = MetricsRegister> {
  /** The prom-client registry to add the metrics to. Default: prom-client's global `register`. */
  register?: R | undefined;
  /** Put before every metric name, e.g. `myapp_`. Default: none. */
  prefix?: string | undefined;
  /** Buckets of `circuit_breaker_call_duration_seconds`, in seconds. Default {@link DURATION_BUCKETS}. */
  buckets?: readonly number[] | undefined;
}

/** The metrics of a registry's breakers inside a prom-client registry. */
export interface BreakerMetrics<R extends MetricsRegister = MetricsRegister> {
  /** The prom-client registry holding them: `await register.metrics()` is the exposition text. */
  readonly register: R;
  /** Stops counting and removes the metrics from `register`. Idempotent. */
  dispose(): void;
}

const OPTION_NAMES = ['register', 'prefix', 'buckets'];

/**
 * Exposes every breaker of `registry` (present and future) to Prometheus through prom-client:
 *
 * | metric | type | labels |
 * |---|---|---|
 * | `circuit_breaker_state` | gauge, one series per breaker: 0 closed, 1 half_open, 2 open, 3 isolated, 4 disabled | `breaker`, `state` |
 * | `circuit_breaker_requests_total` | counter of calls offered | `breaker`, `outcome` (`success`, `failure`, `timeout`, `caller_error`, `rejected`) |
 * | `circuit_breaker_failures_total` | counter of calls counted against the provider (timeouts included) | `breaker` |
 * | `circuit_breaker_rejections_total` | counter of calls refused without reaching the provider | `breaker`, `reason` (`open`, `half_open`, `isolated`, `capacity`) |
 * | `circuit_breaker_call_duration_seconds` | histogram of settled calls (a stream's is its time to first content) | `breaker`, `outcome` |
 * | `circuit_breaker_streams_total` | counter of streams ended | `breaker`, `outcome` (`success`, `failure`, `timeout`, `caller_error`, `cancelled`, `interrupted`: a failure or timeout after content) |
 * | `circuit_breaker_stream_first_chunk_seconds` | histogram of streams' time to their first content chunk (the first token) | `breaker` |
 *
 * The state is read at scrape time; the counters and the histogram count from the moment this
 * is called (a breaker's `reset()` does not turn them back).
 *
 * @example
 * import { Registry } from 'prom-client';
 * import { collectBreakerMetrics } from 'breakwater/prometheus';
 *
 * const register = new Registry();
 * collectBreakerMetrics(registry, { register });
 * app.get('/metrics', async (_req, res) => res.type(register.contentType).send(await register.metrics()));
 */
export function collectBreakerMetrics<R extends MetricsRegister>(
  prom: PromClient<R>,
  registry: BreakerRegistry,
  options: BreakerMetricsOptions<R> = {},
): BreakerMetrics<R> {
  const { Counter, Gauge, Histogram } = prom as unknown as Record<
    string,
    new (config: object) => AnyMetric
  >;
  if (!(registry instanceof BreakerRegistry)) {
    throw new TypeError(
      `collectBreakerMetrics: registry must be a BreakerRegistry, got ${show(registry)}`,
    );
  }
  const o = checkOptions(options) as BreakerMetricsOptions<R>;
  const register = o.register ?? prom.register;
  const prefix = o.prefix ?? '';
  const registers = [register];
  const state = new Gauge({
    name: `${prefix}circuit_breaker_state`,
    help: 'State of each circuit breaker: 0 closed, 1 half_open, 2 open, 3 isolated (held open), 4 disabled',
    labelNames: ['breaker', 'state'],
    registers,
    collect(this: AnyMetric) {
      this.reset();
      for (const breaker of registry.list()) {
        const current = breaker.state;
        this.set({ breaker: breaker.name, state: current }, STATE_VALUES[current]);
      }
    },
  });
  const requests = new Counter({
    name: `${prefix}circuit_breaker_requests_total`,
    help: 'Calls offered to each circuit breaker, by outcome',
    labelNames: ['breaker', 'outcome'],
    registers,
    collect(this: AnyMetric) {
      for (const breaker of registry.list())
        this.inc({ breaker: breaker.name, outcome: 'success' }, 0);
    },
  });
  const failures = new Counter({
    name: `${prefix}circuit_breaker_failures_total`,
    help: 'Calls counted against the provider (errors and timeouts) by each circuit breaker',
    labelNames: ['breaker'],
    registers,
    collect(this: AnyMetric) {
      for (const breaker of registry.list()) this.inc({ breaker: breaker.name }, 0);
    },
  });
  const rejections = new Counter({
    name: `${prefix}circuit_breaker_rejections_total`,
    help: 'Calls refused by each circuit breaker without reaching the provider, by reason',
    labelNames: ['breaker', 'reason'],
    registers,
    collect(this: AnyMetric) {
      for (const breaker of registry.list()) this.inc({ breaker: breaker.name, reason: 'open' }, 0);
    },
  });
  const hedges = new Counter({
    name: `${prefix}circuit_breaker_hedges_total`,
    help: 'Hedged attempts of failover chains at each breaker, started and won',
    labelNames: ['breaker', 'kind'],
    registers,
  });
  const duration = new Histogram({
    name: `${prefix}circuit_breaker_call_duration_seconds`,
    help: 'Duration of the calls each circuit breaker let through, by outcome',
    labelNames: ['breaker', 'outcome'],
    buckets: [...(o.buckets ?? DURATION_BUCKETS)],
    registers,
  });

  const streams = new Counter({
    name: `${prefix}circuit_breaker_streams_total`,
    help: 'Streams run through each circuit breaker, by how they ended (interrupted: failed after content)',
    labelNames: ['breaker', 'outcome'],
    registers,
  });
  const firstChunk = new Histogram({
    name: `${prefix}circuit_breaker_stream_first_chunk_seconds`,
    help: 'Time from the start of a stream to its first content chunk (the first token)',
    labelNames: ['breaker'],
    buckets: [...FIRST_CHUNK_BUCKETS],
    registers,
  });

  const subscriptions: Disposable[] = [
    registry.on('streamFirstChunk', ({ breaker, durationMs }) => {
      firstChunk.observe({ breaker }, durationMs / 1000);
    }),
    registry.on('streamEnd', ({ breaker, outcome, afterContent }) => {
      const interrupted = afterContent && (outcome === 'failure' || outcome === 'timeout');
      streams.inc({ breaker, outcome: interrupted ? 'interrupted' : outcome });
    }),
    registry.on('success', ({ breaker, durationMs }) => {
      requests.inc({ breaker, outcome: 'success' });
      duration.observe({ breaker, outcome: 'success' }, durationMs / 1000);
    }),
    registry.on('failure', ({ breaker, durationMs, counted }) => {
      const outcome = counted ? 'failure' : 'caller_error';
      requests.inc({ breaker, outcome });
      if (counted) failures.inc({ breaker });
      duration.observe({ breaker, outcome }, durationMs / 1000);
    }),
    registry.on('timeout', ({ breaker, durationMs }) => {
      requests.inc({ breaker, outcome: 'timeout' });
      failures.inc({ breaker });
      duration.observe({ breaker, outcome: 'timeout' }, durationMs / 1000);
    }),
    registry.on('hedge', ({ breaker, kind }) => {
      hedges.inc({ breaker, kind });
    }),
    registry.on('reject', ({ breaker, error }) => {
      requests.inc({ breaker, outcome: 'rejected' });
      rejections.inc({ breaker, reason: isCircuitOpenError(error) ? error.state : 'capacity' });
    }),
  ];

  let disposed = false;
  return {
    register,
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const subscription of subscriptions) subscription.dispose();
      const owned = new Map<string, unknown>([
        [`${prefix}circuit_breaker_state`, state],
        [`${prefix}circuit_breaker_requests_total`, requests],
        [`${prefix}circuit_breaker_failures_total`, failures],
        [`${prefix}circuit_breaker_rejections_total`, rejections],
        [`${prefix}circuit_breaker_hedges_total`, hedges],
        [`${prefix}circuit_breaker_call_duration_seconds`, duration],
        [`${prefix}circuit_breaker_streams_total`, streams],
        [`${prefix}circuit_breaker_stream_first_chunk_seconds`, firstChunk],
      ]);
      for (const [name, metric] of owned) {
        if (register.getSingleMetric(name) === metric) register.removeSingleMetric(name);
      }
    },
  };
}

/**
 * A prom-client registry of its own holding breakwater's metrics: what the admin router's
 * `GET /metrics` serves unless given another.
 */
export function createBreakerMetricsRegistry<R extends MetricsRegister>(
  prom: PromClient<R>,
  registry: BreakerRegistry,
  options: Omit<BreakerMetricsOptions<R>, 'register'> = {},
): BreakerMetrics<R> {
  return collectBreakerMetrics(prom, registry, {
    ...checkOptions(options),
    register: new prom.Registry(),
  });
}

function checkOptions(options: unknown): BreakerMetricsOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`collectBreakerMetrics options must be an object, got ${show(options)}`);
  }
  // Own keys only, read once: an inherited `register` is ignored, never used unchecked.
  const o = ownOptions(
    options,
    'collectBreakerMetrics',
    new Set(OPTION_NAMES),
  ) as BreakerMetricsOptions;
  if (
    o.register !== undefined &&
    (typeof o.register !== 'object' || typeof o.register?.registerMetric !== 'function')
  ) {
    throw new TypeError(
      `collectBreakerMetrics: register must be a prom-client Registry, got ${show(o.register)}`,
    );
  }
  if (
    o.prefix !== undefined &&
    (typeof o.prefix !== 'string' ||
      (o.prefix !== '' && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(o.prefix)))
  ) {
    throw new TypeError(
      `collectBreakerMetrics: prefix must be a valid metric name prefix, got ${show(o.prefix)}`,
    );
  }
  if (
    o.buckets !== undefined &&
    (!Array.isArray(o.buckets) ||
      o.buckets.length === 0 ||
      !o.buckets.every(
        (b, i, all) => typeof b === 'number' && b > 0 && (i === 0 || b > all[i - 1]!),
      ))
  ) {
    throw new RangeError(
      `collectBreakerMetrics: buckets must be increasing positive seconds, got ${show(o.buckets)}`,
    );
  }
  return o;
}
