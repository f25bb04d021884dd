import { expect } from 'chai';
import request from 'supertest';
import { BreakerRegistry } from '../../../lib/index.js';
import { adminApp } from './admin-fixtures.js';
import { FRAMEWORKS } from './frameworks.js';

for (const framework of FRAMEWORKS) {
  describe(`dashboard assets under ${framework}`, () => {
    it('serves uPlot, its stylesheet and its license from the package, never a CDN', async () => {
      const app = adminApp(framework, new BreakerRegistry());
      try {
        const js = await request(app.server).get('/admin/assets/uplot.js').expect(200);
        expect(js.headers['content-type']).to.match(/^text\/javascript/);
        expect(js.headers['x-content-type-options']).to.equal('nosniff');
        expect(js.text).to.match(/uPlot/);
        const css = await request(app.server).get('/admin/assets/uplot.css').expect(200);
        expect(css.headers['content-type']).to.match(/^text\/css/);
        const license = await request(app.server).get('/admin/assets/uplot-license.txt');
        expect(license.text).to.match(/MIT License/);
        const page = await request(app.server).get('/admin').expect(200);
        expect(page.text).not.to.match(/https?:\/\//);
        expect(page.text).to.include("'/assets/uplot.js'");
      } finally {
        await app.admin!.close();
      }
    });

    it('answers 404 for any other file, and 405 for other methods', async () => {
      const app = adminApp(framework, new BreakerRegistry());
      try {
        await request(app.server).get('/admin/assets/uplot.d.ts').expect(404);
        await request(app.server).get('/admin/assets/..%2Fadmin-core.js').expect(404);
        await request(app.server).post('/admin/assets/uplot.js').expect(405);
      } finally {
        await app.admin!.close();
      }
    });
  });
}
