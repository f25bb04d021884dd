/**
 * How long a breaker stays open. The first opening lasts `resetTimeout`; each reopening after a
 * failed trial doubles it, up to `maxResetTimeout`. Without `maxResetTimeout` there is no backoff.
 */
export function openDuration(
  resetTimeout: number,
  maxResetTimeout: number | undefined,
  reopenCount: number,
): number {
  if (maxResetTimeout === undefined || reopenCount === 0) return resetTimeout;
  const doubled = resetTimeout * 2 ** Math.min(reopenCount, 52);
  return Math.min(doubled, maxResetTimeout);
}
