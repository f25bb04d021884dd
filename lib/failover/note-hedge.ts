import type { Breaker } from '../breaker/breaker.js';

/** Whether a hedge started at a breaker's level (beside a slow one), or one answered first. */
export type HedgeKind = 'started' | 'won';

/**
 * Notes a hedge at `breaker`'s level, for promise chains and streams alike: counts it in
 * `breaker.stats` (`hedgesStarted`, `hedgesWon`; snapshots show them as `hedges`) and emits a
 * `hedge` event (which the Prometheus collector counts as `circuit_breaker_hedges_total`).
 * @internal
 */
export function noteHedge(breaker: Breaker, kind: HedgeKind): void {
  if (kind === 'started') breaker.stats.hedgesStarted++;
  else breaker.stats.hedgesWon++;
  const events = breaker.events();
  if (events !== null && events.active) events.emit('hedge', { breaker: breaker.name, kind });
}
