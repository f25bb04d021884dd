import { keepNewer, type LocalEntry } from './local-entry.js';
import {
  isNewer,
  stampKey,
  type SharedState,
  type Stamp,
  type StateStore,
  type StoreAttachment,
} from './state-store.js';

interface Entry extends LocalEntry {
  /** The half-open period (its stamp as a key) the trial count belongs to. */
  period: string;
  trials: number;
}

/**
 * The default {@link StateStore}: shared facts kept in this process. Breakers of registries that
 * share one `MemoryStore` behave as replicas of one fleet; a registry with its own store keeps its
 * breakers to itself. Everything is answered synchronously, so every step is atomic.
 */
export class MemoryStore implements StateStore {
  private readonly entries = new Map<string, Entry>();

  attach(name: string, onRemote: (state: SharedState) => void): StoreAttachment {
    let entry = this.entries.get(name);
    if (entry === undefined) {
      entry = { state: undefined, period: '', trials: 0, listeners: new Set() };
      this.entries.set(name, entry);
    }
    const e = entry;
    e.listeners.add(onRemote);
    const release = (period: Stamp): void => {
      if (stampKey(period) === e.period && e.trials > 0) e.trials--;
    };
    return {
      initial: e.state,
      publish: (state, trialOf) => {
        keepNewer(e, state, onRemote);
        if (trialOf !== undefined) release(trialOf);
      },
      acquireTrial: (period, max) => {
        // A newer write than the period's open state ended the period: no more trials in it.
        if (e.state !== undefined && isNewer(e.state, period)) return false;
        const key = stampKey(period);
        if (key !== e.period) {
          e.period = key;
          e.trials = 0;
        }
        if (e.trials >= max) return false;
        e.trials++;
        return true;
      },
      releaseTrial: release,
      detach: () => {
        e.listeners.delete(onRemote);
        if (e.listeners.size === 0 && this.entries.get(name) === e) this.entries.delete(name);
      },
    };
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
