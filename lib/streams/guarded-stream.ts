import type { Breaker } from '../breaker/breaker.js';
import { show } from '../core/show.js';
import { noteStreamSyntaxError } from '../classify/sdk-errors.js';
import { CallTimeoutError } from '../errors/call-timeout-error.js';
import { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { enterContext, leaveContext, type CallContext } from '../failover/call-context.js';
import { isContentChunk } from './content.js';
import { inBandError } from './in-band-error.js';
import { captured, capture, ignore, isThenable, toAsyncIterator } from './iterable.js';
import { PullDeadline } from './pull-deadline.js';
import type { StreamOutcome } from '../events/breaker-events.js';

/**
 * What {@link Breaker.stream} guards: a function given the stream's own `AbortSignal` that
 * returns an `AsyncIterable` (an SDK stream, an async generator) or a promise of one.
 */
export type StreamSource<C> = (
  signal: AbortSignal,
) => AsyncIterable<C> | Iterable<C> | PromiseLike<AsyncIterable<C> | Iterable<C>>;

const IDLE = 0;
const OPENING = 1;
const STREAMING = 2;
const DONE = 3;

/** Marks "no call context was entered". */
const NO_CONTEXT: unique symbol = Symbol('no context');

/** An epoch no circuit ever has: an outcome settled with it updates statistics only. */
const NO_EPOCH = -1;

const END: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * One streaming call through a breaker, as the consumer iterates it.
 *
 * - The call is admitted at the first `next()`; a refusal rejects it.
 * - Pulling is lazy: each `next()` asks the provider's iterator for one chunk, no read-ahead.
 * - Deadlines: `firstChunkTimeout` from the start to the first chunk, `idleTimeout` from each
 *   `next()` to its chunk (a slow consumer never trips it). One `unref()`ed timer per stream,
 *   re-aimed only when it fires early or a deadline moves closer: not one per chunk.
 * - Outcomes: the end of the stream is a success; a throw, a stall or an in-band error event
 *   ({@link inBandError}) a failure judged by {@link Breaker.verdictOf}; `return()` (a consumer's
 *   `break`), the caller's signal and shutdown abort the provider's request and count as
 *   cancelled.
 * - A half-open trial is settled at the stream's first content chunk: the provider has shown it
 *   serves, and holding the single trial permit for a minutes-long generation would keep every
 *   other call refused meanwhile. The stream's own outcome is still counted at its end: a stream
 *   cut after the breaker closed counts as a failure of the closed period.
 * - The duration a breaker records for a stream (latency, slow calls, `success` events) is its
 *   time to the first content chunk, the latency GenAI users watch; the stream's whole length is
 *   in the `streamEnd` event.
 * @internal
 */
export class GuardedStream<C> implements AsyncIterableIterator<C> {
  private phase = IDLE;
  private iterator: AsyncIterator<C> | null = null;
  private controller: AbortController | null = null;
  private start = 0;
  private epoch = NO_EPOCH;
  private trial = false;
  private trialSettled = false;
  /** When the first content chunk came, `NaN` before. */
  private contentAt = Number.NaN;
  private chunks = 0;
  private resolvePull: ((result: IteratorResult<C>) => void) | null = null;
  private rejectPull: ((error: unknown) => void) | null = null;
  private pulling: Promise<IteratorResult<C>> | null = null;
  private readonly deadline: PullDeadline;
  private iterated = false;
  private readonly firstChunkMs: number;
  private readonly idleMs: number;

  constructor(
    private readonly breaker: Breaker,
    private readonly fn: StreamSource<C>,
    private readonly callerSignal: AbortSignal | undefined,
    /** Which chunks carry content (the first one settles a trial and times the first token). */
    private readonly isContent: (chunk: C) => boolean = isContentChunk,
    /**
     * The `callContext()` of a chain level, without its signal: held while `fn` starts and while
     * the first chunk is asked for, when the body of an `async *` method starts running.
     */
    private readonly context: Omit<CallContext, 'signal'> | undefined = undefined,
  ) {
    if (typeof fn !== 'function') {
      throw new TypeError(`breaker.stream needs a function returning a stream, got ${show(fn)}`);
    }
    const o = breaker.options;
    const first = o.firstChunkTimeout ?? o.timeout;
    const idle = o.idleTimeout ?? o.timeout;
    this.firstChunkMs = first === false ? Number.POSITIVE_INFINITY : first;
    this.idleMs = idle === false ? Number.POSITIVE_INFINITY : idle;
    this.deadline = new PullDeadline(o.clock, () => this.expire());
  }

  [Symbol.asyncIterator](): this {
    if (this.iterated) {
      throw new TypeError(
        `a stream of breaker "${this.breaker.name}" can be iterated once; call breaker.stream() again for another`,
      );
    }
    this.iterated = true;
    return this;
  }

  /** Whether the stream has delivered a content chunk. */
  get hasContent(): boolean {
    return this.contentAt === this.contentAt;
  }

  next(): Promise<IteratorResult<C>> {
    switch (this.phase) {
      case STREAMING:
        if (this.pulling !== null) return this.pulling.then(() => this.next());
        return this.pull();
      case IDLE:
        return this.open();
      case OPENING:
        return this.pulling!.then(() => this.next());
      default:
        return Promise.resolve(END);
    }
  }

  /** The consumer stopped early: abort the provider's request, count the call as cancelled. */
  return(): Promise<IteratorResult<C>> {
    if (this.phase === IDLE) {
      this.phase = DONE;
    } else if (this.phase !== DONE) {
      const reason = new DOMException('The consumer stopped reading the stream', 'AbortError');
      this.cancel(reason, true);
    }
    return Promise.resolve(END);
  }

  /** The caller's signal aborted (this object is its listener). */
  handleEvent(event: Event): void {
    this.cancel((event.target as AbortSignal).reason, false);
  }

  /** The breaker shuts down. */
  shutdown(reason: unknown): void {
    this.cancel(reason, false);
  }

  private open(): Promise<IteratorResult<C>> {
    const breaker = this.breaker;
    const circuit = breaker.circuit;
    const clock = breaker.options.clock;
    breaker.stats.totalRequests++;
    this.phase = DONE;
    if (circuit.current.kind !== 'closed') {
      const refusal = circuit.admit(clock.now());
      if (refusal instanceof Promise) {
        // half-open: wait (a few ms at most) for this replica's claim of a fleet trial permit
        return refusal.then((late) =>
          late !== null ? Promise.reject(breaker.countRefusal(late)) : this.admitted(),
        );
      }
      if (refusal !== null) return Promise.reject(breaker.countRefusal(refusal));
    }
    return this.admitted();
  }

  /** Starts the admitted call. */
  private admitted(): Promise<IteratorResult<C>> {
    const breaker = this.breaker;
    const circuit = breaker.circuit;
    const clock = breaker.options.clock;
    const capacity = breaker.options.capacity;
    if (breaker.inFlight >= capacity) {
      circuit.releaseTrial(circuit.epoch);
      return Promise.reject(
        breaker.countRefusal(CapacityExceededError.refusal(breaker.name, capacity)),
      );
    }
    const signal = this.callerSignal;
    if (signal !== undefined && signal.aborted) {
      circuit.releaseTrial(circuit.epoch);
      breaker.stats.cancelled++;
      return Promise.reject(signal.reason);
    }
    breaker.inFlight++;
    this.phase = OPENING;
    this.epoch = circuit.epoch;
    this.trial = circuit.current.kind === 'half_open';
    this.start = clock.now();
    const controller = (this.controller = new AbortController());
    signal?.addEventListener('abort', this, { once: true });
    (breaker.streams ??= new Set()).add(this);
    const promise = this.expectPull();
    this.deadline.set(this.start + this.firstChunkMs);
    let result: ReturnType<StreamSource<C>>;
    const previous = this.enter();
    try {
      result = this.fn(controller.signal);
    } catch (error) {
      this.fail(error, false);
      return promise;
    } finally {
      if (previous !== NO_CONTEXT) leaveContext(previous);
    }
    if (isThenable(result)) {
      result.then(
        (value) => this.opened(value),
        (error: unknown) => this.fail(error, false),
      );
    } else {
      this.opened(result);
    }
    return promise;
  }

  private opened(value: unknown): void {
    if (this.phase !== OPENING) return; // cancelled or timed out meanwhile
    const iterator = toAsyncIterator<C>(value);
    if (iterator === undefined) {
      this.fail(
        new TypeError(
          `breaker.stream: fn must return an AsyncIterable or a promise of one (an SDK stream, an async generator), got ${show(value)}`,
        ),
        false,
      );
      return;
    }
    this.iterator = iterator;
    this.phase = STREAMING;
    const previous = this.enter();
    try {
      this.read();
    } finally {
      if (previous !== NO_CONTEXT) leaveContext(previous);
    }
  }

  /** Makes the level's call context current, when there is one; returns what it replaced. */
  private enter(): ReturnType<typeof enterContext> | typeof NO_CONTEXT {
    const c = this.context;
    if (c === undefined) return NO_CONTEXT;
    return enterContext(this.controller!.signal, c.error, c.attempt, c.level);
  }

  private pull(): Promise<IteratorResult<C>> {
    const promise = this.expectPull();
    if (this.chunks > 0 && this.idleMs !== Number.POSITIVE_INFINITY) {
      this.deadline.set(this.breaker.options.clock.now() + this.idleMs);
    } else if (this.chunks === 0) {
      this.deadline.set(this.start + this.firstChunkMs);
    }
    this.read();
    return promise;
  }

  private expectPull(): Promise<IteratorResult<C>> {
    const promise = new Promise<IteratorResult<C>>(capture);
    this.resolvePull = captured.resolve as (result: IteratorResult<C>) => void;
    this.rejectPull = captured.reject;
    return (this.pulling = promise);
  }

  private read(): void {
    let next: Promise<IteratorResult<C>>;
    try {
      next = this.iterator!.next();
    } catch (error) {
      this.fail(error, false);
      return;
    }
    next.then(this.onResult, this.onError);
  }

  private readonly onResult = (result: IteratorResult<C>): void => {
    if (this.phase !== STREAMING) return;
    if (result.done === true) {
      this.succeed();
      return;
    }
    const chunk = result.value;
    const error = inBandError(chunk);
    if (error !== undefined) {
      this.fail(error, false);
      return;
    }
    this.chunks++;
    this.deadline.clear();
    if (this.contentAt !== this.contentAt && this.isContent(chunk)) this.firstContent();
    const resolve = this.resolvePull!;
    this.settlePull();
    resolve(result);
  };

  private readonly onError = (error: unknown): void => {
    if (this.phase !== STREAMING) return;
    noteStreamSyntaxError(error); // a malformed event, not the caller's bug
    this.fail(error, false);
  };

  private firstContent(): void {
    const breaker = this.breaker;
    const now = (this.contentAt = breaker.options.clock.now());
    const events = breaker.events();
    if (events !== null && events.active) {
      events.emit('streamFirstChunk', { breaker: breaker.name, durationMs: now - this.start });
    }
    if (this.trial && this.epoch === breaker.circuit.epoch) {
      // The trial is settled here (see the class comment); the stream's outcome counts at its end.
      this.trialSettled = true;
      breaker.circuit.onSuccess(now, now - this.start);
    }
  }

  private succeed(): void {
    this.finish();
    const breaker = this.breaker;
    breaker.settleSuccess(this.measuredFrom(), this.trialSettled ? NO_EPOCH : this.epoch);
    this.ended('success', undefined);
    const resolve = this.resolvePull;
    this.settlePull();
    resolve?.(END);
  }

  private fail(error: unknown, timedOut: boolean): void {
    if (this.phase === DONE) return;
    this.finish();
    this.controller!.abort(error);
    this.closeProvider();
    const breaker = this.breaker;
    // After a settled trial, a failure counts against whatever state the circuit is in now.
    const epoch = this.trialSettled ? breaker.circuit.epoch : this.epoch;
    breaker.settleFailure(error, this.measuredFrom(), epoch, timedOut);
    this.ended(timedOut ? 'timeout' : undefined, error);
    const reject = this.rejectPull;
    this.settlePull();
    reject?.(error);
  }

  private cancel(reason: unknown, byConsumer: boolean): void {
    if (this.phase === DONE || this.phase === IDLE) return;
    this.finish();
    this.controller!.abort(reason);
    this.closeProvider();
    this.breaker.settleCancelled(this.trialSettled ? NO_EPOCH : this.epoch);
    this.ended('cancelled', reason);
    const resolve = this.resolvePull;
    const reject = this.rejectPull;
    this.settlePull();
    if (byConsumer) resolve?.(END);
    else reject?.(reason);
  }

  /** The pending pull is over. */
  private settlePull(): void {
    this.resolvePull = this.rejectPull = null;
    this.pulling = null;
  }

  private finish(): void {
    this.phase = DONE;
    this.deadline.stop();
    this.callerSignal?.removeEventListener('abort', this);
    this.breaker.streams?.delete(this);
  }

  /** Lets the provider's iterator clean up (an SDK aborts its request); never waits for it. */
  private closeProvider(): void {
    const iterator = this.iterator;
    if (iterator === null || typeof iterator.return !== 'function') return;
    try {
      const closing = iterator.return();
      if (isThenable(closing)) closing.then(undefined, ignore);
    } catch {
      // The stream is over for the consumer; a provider that fails to close has nothing to add.
    }
  }

  /**
   * The start a breaker measures the stream from, so that the duration it records is the time
   * to the first content chunk (or the whole stream when none came).
   */
  private measuredFrom(): number {
    if (this.contentAt !== this.contentAt) return this.start;
    return this.breaker.options.clock.now() - (this.contentAt - this.start);
  }

  private ended(outcome: StreamOutcome | undefined, error: unknown): void {
    const breaker = this.breaker;
    const events = breaker.events();
    if (events === null || !events.active) return;
    events.emit('streamEnd', {
      breaker: breaker.name,
      outcome: outcome ?? (breaker.verdictOf(error).failure ? 'failure' : 'caller_error'),
      durationMs: breaker.options.clock.now() - this.start,
      chunks: this.chunks,
      afterContent: this.contentAt === this.contentAt,
      ...(error === undefined ? {} : { error }),
    });
  }

  /** The pending pull's deadline passed: the stream failed by timeout. */
  private expire(): void {
    if (this.phase === DONE) return;
    const name = this.breaker.name;
    const first = this.chunks === 0;
    const ms = first ? this.firstChunkMs : this.idleMs;
    const error = new CallTimeoutError(name, ms);
    error.message = first
      ? `Stream through breaker "${name}" sent no chunk within ${ms} ms (firstChunkTimeout)`
      : `Stream through breaker "${name}" sent no chunk for ${ms} ms after one was asked for (idleTimeout)`;
    this.fail(error, true);
  }
}
