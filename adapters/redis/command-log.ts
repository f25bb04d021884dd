/**
 * The replies a {@link RedisStore} waits for, and the errors it reports: a failed command is
 * reported, never thrown into a breaker; without an `onError`, one process warning per outage.
 */
export class CommandLog {
  private readonly pending = new Set<Promise<unknown>>();
  /** Whether Redis is failing since it last answered: the warning is not repeated meanwhile. */
  private failing = false;
  /** Set when the store closes: later failures are no longer news. */
  closed = false;

  constructor(
    private readonly onError: ((error: Error) => void) | undefined,
    /** Called at every report (the store's `ready()` settles at the first). */
    private readonly onReport: () => void,
  ) {}

  /** Tracks a command's reply; a failure runs `onFailure` and is reported. */
  send(reply: Promise<unknown>, onFailure?: () => void): void {
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

  /** Resolves when every reply sent so far has come. */
  async flush(): Promise<void> {
    await undefined; // a claim is sent at the end of the tick it was asked in: count it too
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Redis answers again: the next failure is news. */
  healthy(): void {
    this.failing = false;
  }

  report(error: Error): void {
    this.onReport();
    const onError = this.onError;
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

/** `error` as an Error, saying `what` failed when it is not one. */
export function asError(error: unknown, what: string): Error {
  return error instanceof Error ? error : new Error(`${what} failed: ${String(error)}`);
}
