/** Returned by every subscription: call `dispose()` to stop listening. */
export interface Disposable {
  dispose(): void;
}

/** A listener for the event `K` of the event map `M`. */
export type Listener<M, K extends keyof M> = (payload: M[K]) => void;

/**
 * A small typed emitter. Listeners are kept per event name in arrays made on first use, so an
 * emitter nobody listens to costs one field; `active` lets a hot path skip building a payload.
 * An emitter may forward everything it emits to a parent (a registry listening to all of its
 * breakers). A throwing listener never breaks the caller: its error is reported on the next tick.
 */
export class Emitter<M extends object> {
  /**
   * Bumped by every subscription and disposal of any emitter, so a hot path can cache what it
   * derived from listeners and recheck with one comparison.
   */
  static revision = 0;
  private listeners: { [K in keyof M]?: Listener<M, K>[] } | null = null;
  private count = 0;

  constructor(private readonly parent: Emitter<M> | null = null) {}

  /** Whether anyone (here or at the parent) listens to anything. */
  get active(): boolean {
    return this.count > 0 || (this.parent !== null && this.parent.active);
  }

  /** Whether anyone (here or at the parent) listens to `event`. */
  has(event: keyof M): boolean {
    const list = this.listeners?.[event];
    return (
      (list !== undefined && list.length > 0) || (this.parent !== null && this.parent.has(event))
    );
  }

  /** Subscribes `listener` to `event`. */
  on<K extends keyof M>(event: K, listener: Listener<M, K>): Disposable {
    if (typeof listener !== 'function') {
      throw new TypeError(
        `listener for "${String(event)}" must be a function, got ${typeof listener}`,
      );
    }
    const map = (this.listeners ??= {} as { [K in keyof M]?: Listener<M, K>[] });
    const list = (map[event] ??= []);
    list.push(listener);
    this.count++;
    Emitter.revision++;
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        const at = list.indexOf(listener);
        if (at >= 0) list.splice(at, 1);
        this.count--;
        Emitter.revision++;
      },
    };
  }

  /** Delivers `payload` to this emitter's listeners of `event`, then to the parent's. */
  emit<K extends keyof M>(event: K, payload: M[K]): void {
    const list = this.listeners?.[event];
    if (list !== undefined) {
      for (const listener of list.length === 1 ? list : list.slice()) {
        try {
          listener(payload);
        } catch (error) {
          process.nextTick(() => {
            throw error;
          });
        }
      }
    }
    if (this.parent !== null) this.parent.emit(event, payload);
  }

  /** How many listeners this emitter itself has. */
  get listenerCount(): number {
    return this.count;
  }
}
