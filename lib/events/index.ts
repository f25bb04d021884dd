export { Emitter, type Disposable, type Listener } from './emitter.js';
export type * from './breaker-events.js';
