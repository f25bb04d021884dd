export {
  type SharedState,
  type Stamp,
  type StateStore,
  type StoreAttachment,
  isNewer,
  stampKey,
} from './state-store.js';
export { MemoryStore } from './memory-store.js';
