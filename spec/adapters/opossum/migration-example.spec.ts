/** examples/opossum-migration, the example of docs/opossum.md, driven over HTTP. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { createApp } from '../../../examples/opossum-migration/index.js';

const root = new URL('../../../../', import.meta.url);

describe('opossum migration example (examples/opossum-migration)', () => {
  it('serves through the opossum breaker, falls back when it opens, and shows it on /admin', async () => {
    let up = true;
    const { app, rates, registry } = createApp(async (base) => {
      if (!up) throw new Error('rates provider down');
      return { [`${base}USD`]: 1.08 };
    });
    try {
      await request(app).get('/rates/EUR').expect(200, { EURUSD: 1.08 });
      up = false;
      await request(app).get('/rates/EUR').expect(200, {});
      await request(app).get('/rates/EUR').expect(200, {});
      expect(rates.opened).to.equal(true);
      const shown = await request(app).get('/admin/circuit-breakers/rates').expect(200);
      expect(shown.body).to.include({ name: 'rates', state: 'open', fallbacks: 2 });
    } finally {
      rates.shutdown();
      await registry.close(0);
    }
  });

  it('is shown in docs/opossum.md as it is, importing from breakwater', () => {
    const code = readFileSync(new URL('examples/opossum-migration/index.ts', root), 'utf8')
      .replace("'../../lib/index.js'", "'breakwater'")
      .replace("'../../adapters/express/index.js'", "'breakwater/express'");
    const doc = readFileSync(new URL('docs/opossum.md', root), 'utf8');
    expect(doc).to.include(code.trim());
  });
});
