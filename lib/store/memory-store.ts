import { keepNewer, type LocalEntry } from './local-entry.js';
import type { SharedState, StateStore, StoreAttachment } from './state-store.js';

interface Entry extends LocalEntry {
  trialVersion: number;
  trials: number;
}

/**
 * The default {@link StateStore}: shared facts kept in this process. Breakers of registries that
 * share one `MemoryStore` behave as replicas of one fleet; a registry with its own store keeps its
 * breakers to itself. Everything is answered synchronously.
 */
export class MemoryStore implements StateStore {
  private readonly entries = new Map<string, Entry>();

  attach(name: string, onRemote: (state: SharedState) => void): StoreAttachment {
    let entry = this.entries.get(name);
    if (entry === undefined) {
      entry = { state: undefined, trialVersion: -1, trials: 0, listeners: new Set() };
      this.entries.set(name, entry);
    }
    const e = entry;
    e.listeners.add(onRemote);
    return {
      initial: e.state,
      publish: (state) => {
        keepNewer(e, state, onRemote);
      },
      acquireTrial: (version, max) => {
        if (version > e.trialVersion) {
          e.trialVersion = version;
          e.trials = 0;
        } else if (version < e.trialVersion) {
          return false;
        }
        if (e.trials >= max) return false;
        e.trials++;
        return true;
      },
      releaseTrial: (version) => {
        if (version === e.trialVersion && e.trials > 0) e.trials--;
      },
      detach: () => {
        e.listeners.delete(onRemote);
        if (e.listeners.size === 0) this.entries.delete(name);
      },
    };
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
