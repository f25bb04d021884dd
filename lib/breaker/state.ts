// The state types now live in lib/core/circuit-state.ts; this re-export keeps branches in flight
// (perf's bookkeeping.ts) compiling after merge. Import from lib/core/ in new code.
export type * from '../core/circuit-state.js';
