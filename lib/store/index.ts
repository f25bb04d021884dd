export { type SharedState, type StateStore, type StoreAttachment, isNewer } from './state-store.js';
export { MemoryStore } from './memory-store.js';
