/**
 * What `errorFilter(err, ...args)` said of each error, asked once per error. The engine asks too
 * (is a failure the provider's?), but it sees only the error, so the arguments' answer is kept
 * for it: asked when the action fails, before the engine settles the call.
 */
export class ErrorVerdicts<TI extends unknown[]> {
  private readonly said = new WeakMap<object, boolean>();

  constructor(private readonly filter: (err: unknown, ...args: TI) => boolean) {}

  /** Runs `action` so that its failure is judged with `args` before anyone else sees it. */
  watch<TR>(action: () => TR | PromiseLike<TR>, args: TI): TR | PromiseLike<TR> {
    try {
      return Promise.resolve(action()).then(undefined, (error: unknown) => {
        this.judge(error, args);
        throw error;
      });
    } catch (error) {
      this.judge(error, args);
      throw error;
    }
  }

  /** Whether the filter excuses `error` of the call with `args`. */
  excused(error: unknown, args: TI): boolean {
    if (typeof error === 'object' && error !== null) {
      const known = this.said.get(error);
      if (known !== undefined) return known;
    }
    return this.judge(error, args);
  }

  /** The engine's question; errors the engine raised itself were never judged, and count. */
  excusedForEngine(error: unknown): boolean {
    if (typeof error === 'object' && error !== null) return this.said.get(error) === true;
    return this.judge(error, [] as unknown[] as TI);
  }

  private judge(error: unknown, args: TI): boolean {
    let excused: boolean;
    try {
      excused = !!this.filter(error, ...args);
    } catch {
      excused = false;
    }
    if (typeof error === 'object' && error !== null) this.said.set(error, excused);
    return excused;
  }
}
