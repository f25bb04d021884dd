/**
 * opossum's `healthCheck(fn, interval)`: `fn` runs now and every `interval` ms (default 5000)
 * with `this` the breaker; a rejection (or a throw) is reported to `failed`. The intervals are
 * `unref()`ed and stop with the breaker.
 */
export class HealthChecks {
  private timers: ReturnType<typeof setInterval>[] = [];

  add(
    self: object,
    func: () => unknown,
    interval: number | undefined,
    failed: (error: unknown) => void,
  ): void {
    const every = interval || 5000;
    if (typeof func !== 'function') throw new TypeError('Health check function must be a function');
    if (isNaN(every)) throw new TypeError('Health check interval must be a number');
    const check = (): void => {
      try {
        Promise.resolve(func.apply(self)).catch(failed);
      } catch (error) {
        failed(error);
      }
    };
    const timer = setInterval(check, every);
    timer.unref();
    this.timers.push(timer);
    check();
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }
}
