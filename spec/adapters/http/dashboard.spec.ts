import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { BreakerRegistry, failover, type Breaker } from '../../../lib/index.js';
import { buildApp, FRAMEWORKS, listen, stop, type TestApp } from './frameworks.js';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'dashboard-spec-token-7d41';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const card = (name: string, state?: string) =>
  `[data-breaker="${name}"]${state === undefined ? '' : `[data-state="${state}"]`}`;

/** Failures that take 30 ms on the breaker's own clock. */
async function fail(breaker: Breaker, clock: { t: number }, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await breaker
      .execute(async () => {
        clock.t += 30;
        throw new Error('503 from provider');
      })
      .catch(() => undefined);
  }
}

/** Calls that take `ms` on the breaker's own clock, so the card has a latency to show. */
async function serve(
  breaker: Breaker,
  clock: { t: number },
  calls: number,
  ms: number,
): Promise<void> {
  for (let i = 0; i < calls; i++) {
    await breaker.execute(async () => {
      clock.t += ms + (i % 7) * 9;
      return 'ok';
    });
  }
}

for (const framework of FRAMEWORKS) {
  describe(`dashboard in Chromium (${framework})`, function () {
    this.timeout(60_000);
    let context: BrowserContext;
    let page: Page;
    let profile: string;
    let app: TestApp;
    let base: string;
    let registry: BreakerRegistry;
    const problems: string[] = [];

    before(async function () {
      if (!existsSync(CHROMIUM)) {
        console.warn(`    (skipped: ${CHROMIUM} is missing; .ci/run installs Debian's chromium)`);
        this.skip();
      }
      registry = new BreakerRegistry({ defaults: { timeout: false } });
      app = buildApp(framework, registry, {
        admin: {
          token: TOKEN,
          eventsInterval: 400,
          metrics: false,
          panels: [
            {
              title: 'Fake OpenAI',
              description: 'What the fake provider does next.',
              buttons: [
                {
                  label: '503 outage',
                  method: 'POST',
                  url: '/panel-action',
                  body: { status: 503 },
                },
              ],
            },
          ],
        },
      });
      base = await listen(app.server);
      profile = await mkdtemp(join(tmpdir(), 'breakwater-chromium-'));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
        viewport: { width: 1180, height: 560 },
      });
      page = context.pages()[0] ?? (await context.newPage());
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        // The refused token's 401 is the one error the page is expected to meet.
        if (message.type() === 'error' && !message.text().includes('status of 401')) {
          problems.push(`console: ${message.text()}`);
        }
      });
    });

    after(async () => {
      await context?.close();
      if (profile !== undefined) await rm(profile, { recursive: true, force: true });
      await app?.admin?.close();
      if (app !== undefined) await stop(app.server);
    });

    it('shows a card per breaker, turns it open within 2 s of tripping, and resets it with the token', async () => {
      const clock = { t: Date.now(), now: () => clock.t };
      const openai = registry.get('openai', {
        clock,
        failureThreshold: 3,
        resetTimeout: 60_000,
        group: 'llm',
      });
      const anthropic = registry.get('anthropic', { clock, group: 'llm' });
      registry.get('vector-db', { group: 'search' }).isolate();
      await serve(openai, clock, 5, 90);

      await page.goto(`${base}/admin`);
      await page.waitForSelector(card('openai', 'closed'), { timeout: 5_000 });
      await page.waitForSelector('#link[data-link="live"]', { timeout: 5_000 });
      expect(await page.textContent(`${card('vector-db')} .state`)).to.equal('held open');
      expect(
        await page.isVisible(`${card('openai')} [data-action="reset"]`),
        'no buttons before a token',
      ).to.equal(false);
      expect(await page.isVisible('#panels'), 'no panels before a token').to.equal(false);

      await serve(anthropic, clock, 40, 140);
      await page.waitForFunction(
        (selector) => Number(document.querySelector(selector)?.textContent) > 0,
        `${card('anthropic')} [data-field="rate"]`,
        { timeout: 5_000 },
      );
      expect(await page.textContent(`${card('anthropic')} [data-field="p95"]`)).to.match(
        /^\d+ ms$/,
      );

      await fail(openai, clock, 3);
      expect(openai.state).to.equal('open');
      await page.waitForSelector(card('openai', 'open'), { timeout: 2_000 });
      expect(await page.textContent(`${card('openai')} .countdown`)).to.match(
        /^next trial in (59|60) s · consecutive failures$/,
      );
      expect(await page.textContent(`${card('openai')} [data-field="errors"]`)).to.equal('38 %');
      expect(await page.textContent('#health')).to.equal('degraded');

      await page.fill('#token', 'not-the-token');
      await page.click('#save-token');
      await page.click(`${card('openai')} [data-action="reset"]`);
      await page.waitForFunction(
        () => document.getElementById('notice')?.textContent?.includes('not the admin token'),
        undefined,
        { timeout: 5_000 },
      );
      expect(openai.state, 'a wrong token changes nothing').to.equal('open');
      expect(
        await page.isVisible(`${card('openai')} [data-action="reset"]`),
        'a refused token is forgotten',
      ).to.equal(false);

      await page.fill('#token', TOKEN);
      await page.click('#save-token');
      expect(await page.isVisible(`${card('openai')} [data-action="reset"]`)).to.equal(true);
      await page.evaluate(() => document.getElementById('notice')!.replaceChildren());
      await page.waitForFunction(
        (selector) => Number(document.querySelector(selector)?.textContent) > 0,
        `${card('openai')} [data-field="rate"]`,
        { timeout: 5_000 },
      );
      await mkdir(resolve('artifacts'), { recursive: true });
      await page.screenshot({
        path: resolve('artifacts', `dashboard-${framework}.png`),
        fullPage: true,
      });

      await page.click(`${card('openai')} [data-action="reset"]`);
      await page.waitForSelector(card('openai', 'closed'), { timeout: 2_000 });
      expect(openai.state).to.equal('closed');

      expect(await page.isVisible('#panels')).to.equal(true);
      await page.click('#panels button');
      await page.waitForFunction(
        () => document.getElementById('notice')?.textContent === '503 outage: fault switched',
        undefined,
        { timeout: 5_000 },
      );
      expect(app.panelCalls).to.deep.equal([`Bearer ${TOKEN}`]);

      await page.click(`${card('anthropic')} [data-action="open"]`);
      await page.waitForSelector(card('anthropic', 'isolated'), { timeout: 2_000 });
      expect(anthropic.state).to.equal('isolated');
      expect(problems, 'no script errors and no CSP violations').to.deep.equal([]);
    });

    it('shows "hedges N started · M won" on a card once a hedge started at its level', async () => {
      // The first level answers only when aborted; with a 0 ms delay the hedge starts at once.
      const hang = (_q: string, signal: AbortSignal) =>
        new Promise<string>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      const ask = failover(
        [
          { name: 'hedge-slow', call: hang },
          { name: 'hedge-fast', call: async (q: string) => `fast:${q}` },
        ],
        { registry, hedge: { delay: 0, budgetBurst: 5 } },
      );
      await page.waitForSelector(card('hedge-fast'), { timeout: 5_000 });
      const field = `${card('hedge-fast')} [data-field="hedges"]`;
      expect(await page.isVisible(field), 'hidden before any hedge').to.equal(false);
      expect(await ask('a')).to.equal('fast:a');
      expect(await ask('b')).to.equal('fast:b');
      await page.waitForFunction(
        (selector) => document.querySelector(selector)?.textContent === '2 started · 2 won',
        field,
        { timeout: 5_000 },
      );
      expect(await page.isVisible(field)).to.equal(true);
      expect(await page.isVisible(`${card('hedge-slow')} [data-field="hedges"]`)).to.equal(false);
      expect(problems, 'no script errors and no CSP violations').to.deep.equal([]);
    });
  });
}
