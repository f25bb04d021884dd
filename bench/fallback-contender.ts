import { BreakerRegistry, failover } from '../lib/index.js';

/**
 * breakwater's "open breaker with a fallback" contender: a two-level `failover()` chain whose
 * guarded level is open, so every call is refused and answered by the unguarded last resort.
 */
export async function openWithFallback(
  boom: () => Promise<never>,
): Promise<() => Promise<unknown>> {
  const registry = new BreakerRegistry();
  const call = failover(
    [
      {
        name: 'bench-fallback',
        call: (): Promise<string> => boom(),
        options: { timeout: false, failureThreshold: 1, resetTimeout: 1e9 },
      },
      () => 'fallback',
    ],
    { registry },
  );
  await call(); // the failure opens the breaker; the fallback answers
  if (registry.get('bench-fallback').state !== 'open')
    throw new Error('bench setup: breaker not open');
  return call;
}
