import express from 'express';
import CircuitBreaker from 'breakwater/opossum';
import { BreakerRegistry } from '../../lib/index.js';
import { adminRouter } from '../../adapters/express/index.js';

/** An Express service whose opossum breaker now shows on breakwater's admin router. */
export function createApp(fetchRates: (base: string) => Promise<Record<string, number>>) {
  const registry = new BreakerRegistry();

  // The opossum code as it was, but for the import and the `registry` option.
  const rates = new CircuitBreaker(fetchRates, {
    name: 'rates',
    timeout: 3_000,
    errorThresholdPercentage: 50,
    resetTimeout: 30_000,
    registry,
  });
  rates.fallback(() => ({}));

  const app = express();
  app.get('/rates/:base', async (req, res) => {
    res.json(await rates.fire(req.params.base));
  });
  app.use('/admin', adminRouter(registry, { token: process.env['ADMIN_TOKEN'] }));
  return { app, rates, registry };
}
