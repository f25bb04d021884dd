import { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import type { CircuitOpenError } from '../errors/circuit-open-error.js';
import type { BreakerEvents } from '../events/breaker-events.js';
import { Emitter, type Disposable, type Listener } from '../events/emitter.js';
import { TimeSampler } from '../stats/time-sampler.js';
import { buildSnapshot } from './build-snapshot.js';
import { announce } from './announce.js';
import { Bookkeeping, type BreakerContext } from './bookkeeping.js';
import { DeadlineSlices } from './deadline-slices.js';
import { GuardedCall, InFlightCalls } from './guarded-call.js';
import { UntimedSignals } from './untimed-signals.js';
import type { BreakerOptions, ResolvedOptions } from './options.js';
import type { BreakerSnapshot, ConfigSnapshot } from './snapshot.js';
import type { CircuitState, CircuitStateName } from '../core/circuit-state.js';
import { applyChanges, changedOptions, configOf, type ConfigChanges } from './live-config.js';
import { GuardedStream, type StreamSource } from '../streams/guarded-stream.js';

/** The function a breaker guards. It receives a signal that aborts on timeout, caller abort and shutdown. */
export type Guarded<T> = (signal: AbortSignal) => T | PromiseLike<T>;

export type { BreakerContext };

/** The `start` and `epoch` of a call that was not timed. */
const UNTIMED = Number.NaN;

/** The breaker whose call, admitted after waiting for its trial permit, re-enters `execute`. */
let admitted: Breaker | null = null;

/**
 * Guards calls to one provider: refuses them at once while the provider is failing, lets a few
 * trial calls find out when it recovers, and measures everything. The state machine is its
 * {@link Circuit}; the breaker runs calls, times them and reports their outcomes.
 *
 * @example
 * const breaker = new Breaker({ name: 'openai', failureThreshold: 3, timeout: 10_000 });
 * const answer = await breaker.execute((signal) => client.chat.completions.create(body, { signal }));
 */
export class Breaker extends Bookkeeping {
  /** `options.timeout`, read by every call. */
  private timeout: number | false;
  /** Which calls are timed; made by the first call, so an idle breaker pays nothing for it. */
  private sampler: TimeSampler | null = null;
  private calls: InFlightCalls | null = null;
  /** Signals of untimed calls, and slices of timed ones: made on first use. */
  private untimed: UntimedSignals | null = null;
  private deadlines: DeadlineSlices | null = null;
  private timesAll = false;
  private seenRevision = -1;

  constructor(options?: BreakerOptions, context: BreakerContext = {}) {
    super(options, context);
    this.timeout = this.options.timeout;
  }

  /** The current state; an open breaker whose wait is over reads (and becomes) `half_open`. */
  get state(): CircuitStateName {
    this.circuit.refresh(this.options.clock.now());
    return this.circuit.current.kind;
  }

  /**
   * Runs `fn` through the breaker. Refused calls reject with {@link CircuitOpenError} or
   * {@link CapacityExceededError} without running `fn`; a call past `timeout` rejects with
   * {@link CallTimeoutError}; `fn`'s own errors reach the caller as they are.
   *
   * `fn` gets an `AbortSignal` whatever parameters it declares: it aborts at the call's deadline
   * (at most 1 % of `timeout` late, see `DeadlineSlices`), when `signal` aborts, and at shutdown.
   * Calls that start together share one signal while that is harmless (see `SignalSlice`): a
   * signal costs Node 20 more than the rest of a call. A caller's `signal` gets one listener,
   * however many calls it governs.
   */
  execute<T>(fn: Guarded<T>, signal?: AbortSignal): Promise<T> {
    this.stats.totalRequests++;
    const circuit = this.circuit;
    if (circuit.current.kind !== 'closed' && admitted !== this) {
      const refusal = circuit.admit(this.options.clock.now());
      if (refusal !== null) {
        if (refusal instanceof Promise) return this.afterClaim(refusal, fn, signal);
        return this.refuse(refusal);
      }
    }
    if (this.inFlight >= this.options.capacity) {
      circuit.releaseTrial(circuit.epoch);
      return this.refuse(CapacityExceededError.refusal(this.name, this.options.capacity));
    }
    if (signal !== undefined && signal.aborted) {
      circuit.releaseTrial(circuit.epoch);
      this.stats.cancelled++;
      return Promise.reject(signal.reason);
    }
    this.inFlight++;
    const measured = (this.sampler ??= new TimeSampler()).due() || this.timesEveryCall();
    const light = !measured && signal === undefined && circuit.current.kind === 'closed';
    if (this.timeout === false) {
      if (signal === undefined) {
        const slice = (this.untimed ??= new UntimedSignals(this)).slice();
        if (!light) {
          return slice.runWatched(fn, this.sampler!.start(this.options.clock.now()), circuit.epoch);
        }
        // The fast path, inline: every frame between the caller and `fn` makes the stack that
        // `fn`'s own errors capture dearer. See runWatched for why the caller gets `fn`'s promise.
        slice.join();
        let result: T | PromiseLike<T>;
        try {
          result = fn(slice.signal);
        } catch (error) {
          slice.release();
          this.settleFailure(error, UNTIMED, UNTIMED, false);
          return Promise.reject(error);
        }
        const promise =
          result instanceof Promise ? (result as Promise<T>) : Promise.resolve(result);
        promise.then(slice.ok, slice.fail);
        return promise;
      }
    } else if (light && this.deadlines !== null) {
      // A timed call that joins the newest slice reads no clock and makes no closure.
      const slice = this.deadlines.lightSlice();
      if (slice !== null) return slice.runLight(fn);
    }
    const now = this.options.clock.now();
    const start = measured ? this.sampler!.start(now) : UNTIMED;
    const deadline =
      this.timeout === false
        ? null
        : (this.deadlines ??= new DeadlineSlices(this, this.timeout, this.options.clock)).sliceAt(
            now,
          );
    const call = new GuardedCall<T>(
      this,
      (this.calls ??= new InFlightCalls()),
      start,
      circuit.epoch,
    );
    call.run(fn, deadline, signal);
    return call.promise;
  }

  /**
   * As {@link execute}, but a refusal is returned rather than thrown: `fn`'s promise when the call
   * is admitted, the {@link CircuitOpenError} or {@link CapacityExceededError} when it is not. A
   * failover chain learns of a refusal this way without the cost of a rejection.
   */
  attempt<T>(
    fn: Guarded<T>,
    signal?: AbortSignal,
  ): Promise<T> | CircuitOpenError | CapacityExceededError {
    const kind = this.circuit.current.kind;
    if (kind === 'open' || kind === 'isolated') {
      const refusal = this.circuit.refusal(this.options.clock.now());
      if (refusal !== null) {
        this.stats.totalRequests++;
        return this.countRefusal(refusal);
      }
    } else if (kind !== 'half_open' && this.inFlight >= this.options.capacity) {
      this.stats.totalRequests++;
      return this.countRefusal(CapacityExceededError.refusal(this.name, this.options.capacity));
    }
    return this.execute(fn, signal);
  }

  /** Closes the breaker and clears its counters, windows and backoff. */
  reset(): void {
    this.stats.clear();
    this.circuit.operatorMove({ kind: 'closed', since: this.options.clock.now() });
  }

  /** Holds the breaker open until {@link reset}: every call is refused. */
  isolate(): void {
    this.circuit.operatorMove({ kind: 'isolated', since: this.options.clock.now() });
  }

  /** Lets every call through, still measured, until {@link reset}. */
  disable(): void {
    this.circuit.operatorMove({ kind: 'disabled', since: this.options.clock.now() });
  }

  /** Ends a {@link disable}: the breaker closes, keeping its counters. Does nothing in other states. */
  enable(): void {
    if (this.circuit.current.kind === 'disabled')
      this.circuit.operatorMove({ kind: 'closed', since: this.options.clock.now() });
  }

  /**
   * Changes thresholds and timeouts of the live breaker (see {@link LIVE_OPTION_NAMES}), checked
   * as at construction; state, counters and the rolling window are kept. Emits `configure` and
   * returns the options now in force, as JSON. Calls in flight keep the deadline they started with.
   * With a shared store the change is an operator's move: every replica applies it, until the
   * next operator config change.
   *
   * @example
   * breaker.configure({ failureThreshold: 10, timeout: 5_000, errorThresholdPercentage: null });
   */
  configure(changes: ConfigChanges): ConfigSnapshot {
    const config = this.reconfigure(changes);
    this.circuit.shareConfig(changes, this.lastRead);
    return config;
  }

  /** Runs with `changes` from now on: {@link configure}'s, or another replica's operator's. */
  private reconfigure(changes: ConfigChanges): ConfigSnapshot {
    const before = this.options;
    const next = applyChanges(before, changes);
    (this as { options: ResolvedOptions }).options = next;
    this.timeout = next.timeout;
    if (next.timeout !== false) this.deadlines?.retime(next.timeout);
    this.seenRevision = -1;
    this.circuit.reconfigure(next, this.read());
    const config = configOf(next);
    const events = this.events();
    if (events !== null && events.active) {
      const changed = changedOptions(before, next);
      events.emit('configure', { breaker: this.name, changed, config, at: this.lastRead });
    }
    return config;
  }

  /** Subscribes to one of the breaker's {@link BreakerEvents}. */
  on<K extends keyof BreakerEvents>(event: K, listener: Listener<BreakerEvents, K>): Disposable {
    return (this.ownEvents ??= new Emitter(this.parentEvents())).on(event, listener);
  }

  /** The breaker as JSON, for admin routes, dashboards and logs. */
  snapshot(): BreakerSnapshot {
    const now = this.read();
    this.circuit.refresh(now);
    return buildSnapshot(this, now);
  }

  /** Notes that a fallback answered for a call this breaker could not serve. */
  recordFallback(error: unknown): void {
    this.stats.fallbacks++;
    const events = this.events();
    if (events !== null && events.active) events.emit('fallback', { breaker: this.name, error });
  }

  /** Gives up every call in flight, aborts their signals, and leaves the store. */
  shutdown(
    reason: unknown = new DOMException(`Breaker "${this.name}" shut down`, 'AbortError'),
  ): void {
    this.calls?.cancelAll(reason);
    this.deadlines?.cancelAll(reason);
    this.untimed?.cancelAll(reason);
    this.circuit.detach();
    const streams = this.streams;
    this.streams = null;
    if (streams !== null) for (const stream of streams) stream.shutdown(reason);
  }

  /** @internal The circuit moved: tell the listeners. */
  circuitMoved(from: CircuitStateName, next: CircuitState, remote: boolean): void {
    const events = this.events();
    if (events !== null && events.active) announce(events, this.name, from, next, remote);
  }

  /** @internal Another replica's operator changed the config: run with it, without sharing it again. */
  configShared(config: Readonly<Record<string, unknown>>): void {
    try {
      this.reconfigure(config as ConfigChanges);
    } catch {
      // a change this replica cannot run (another version's option): it keeps its own
    }
  }

  /**
   * Whether every call must be timed: a slow-call policy needs every duration, and listeners of
   * outcomes get one in every event. Rechecked only when some emitter's listeners changed.
   */
  private timesEveryCall(): boolean {
    if (this.seenRevision !== Emitter.revision) {
      this.seenRevision = Emitter.revision;
      const events = this.events();
      this.timesAll =
        this.options.slowCallDurationThreshold !== undefined ||
        (events !== null &&
          (events.has('success') || events.has('failure') || events.has('timeout')));
    }
    return this.timesAll;
  }

  /**
   * A half-open call that waits (a few ms at most, bounded by the store) for its replica's claim
   * of a fleet trial permit, rather than being refused at once. Never on a closed breaker's path.
   */
  private async afterClaim<T>(
    claim: Promise<CircuitOpenError | null>,
    fn: Guarded<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const refusal = await claim;
    if (refusal !== null) throw this.countRefusal(refusal);
    this.stats.totalRequests--; // counted once already
    admitted = this; // read synchronously by the admission check below, then cleared
    let call: Promise<T>;
    try {
      call = this.execute(fn, signal);
    } finally {
      admitted = null;
    }
    return call;
  }

  private refuse(error: CircuitOpenError | CapacityExceededError): Promise<never> {
    return Promise.reject(this.countRefusal(error));
  }

  /**
   * Runs a streaming call through the breaker: `fn(signal)` returns an `AsyncIterable` (or a
   * promise of one), such as `openai.chat.completions.create({ ..., stream: true }, { signal })`.
   * The stream is returned at once; iterating it runs the call. A refusal throws from the first
   * `next()`; `firstChunkTimeout` and `idleTimeout` abort `signal` and end the iteration with
   * {@link CallTimeoutError}; a stream that ends is a success, one that throws, stalls or carries an
   * error event is judged by {@link verdictOf}; a consumer that stops early (`break`) aborts the
   * request and counts as cancelled. See `lib/streams/guarded-stream.ts`.
   *
   * @example
   * for await (const chunk of breaker.stream((signal) => openai.chat.completions.create(body, { signal }))) {
   *   process.stdout.write(chunk.choices[0]?.delta.content ?? '');
   * }
   */
  stream<C>(fn: StreamSource<C>, signal?: AbortSignal): AsyncIterable<C> {
    return new GuardedStream(this, fn, signal);
  }

  /**
   * @internal The streams in flight, which shutdown aborts; made by the first stream. A set
   * rather than a signal they all listen to: Node warns past ten listeners on one signal.
   */
  streams: Set<{ shutdown(reason: unknown): void }> | null = null;
}
