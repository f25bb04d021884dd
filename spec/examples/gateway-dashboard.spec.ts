/**
 * The demo as a person uses it, in headless Chromium: unlock the gateway's dashboard with the
 * admin token, break the fake OpenAI with its panel's switch, ask questions with the traffic
 * panel, watch the OpenAI card turn open while Anthropic answers, heal it, reset it, and see
 * OpenAI answer again. Skipped when Debian's chromium is not installed.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { readGatewayConfig } from '../../examples/shared/gateway-config.js';
import { startTestGateway, type TestGateway } from './gateway-harness.js';

const CHROMIUM = '/usr/bin/chromium';
/** `RESET_TIMEOUT_MS` when it is not set. */
const DEFAULT_RESET_TIMEOUT = readGatewayConfig({}).resetTimeoutMs;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'];

const card = (name: string, state: string) => `[data-breaker="${name}"][data-state="${state}"]`;

describe('AI gateway demo dashboard in Chromium (express)', function () {
  this.timeout(60_000);
  let t: TestGateway;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const problems: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.warn(`    (skipped: ${CHROMIUM} is missing)`);
      this.skip();
    }
    // The gateway's own default wait, so that the screenshot in docs/gateway.md shows it.
    t = await startTestGateway('express', { RESET_TIMEOUT_MS: String(DEFAULT_RESET_TIMEOUT) });
    profile = await mkdtemp(join(tmpdir(), 'breakwater-gateway-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1180, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  });

  after(async () => {
    await context?.close();
    if (profile !== undefined) await rm(profile, { recursive: true, force: true });
    await t?.close();
  });

  /** Presses a panel's button and waits for the notice it leaves. */
  async function press(panel: string, label: string, notice: RegExp): Promise<void> {
    await page
      .locator('#panels article', { has: page.getByRole('heading', { name: panel }) })
      .getByRole('button', { name: label, exact: true })
      .click();
    await page.waitForFunction(
      (source) => new RegExp(source).test(document.getElementById('notice')?.textContent ?? ''),
      notice.source,
      { timeout: 5_000 },
    );
  }

  it('breaks OpenAI from its panel, shows failover to Anthropic, and failback after a reset', async () => {
    await page.goto(t.gateway.adminURL);
    await page.waitForSelector(card('openai', 'closed'), { timeout: 5_000 });
    expect(await page.isVisible('#panels'), 'no panels before the token').to.equal(false);
    await page.fill('#token', t.gateway.services.adminToken!);
    await page.click('#save-token');
    expect(await page.isVisible('#panels')).to.equal(true);

    await press('Traffic', 'Ask 1 question', /answered by openai 1$/);
    await press('Fake OpenAI', '503 outage', /^503 outage: done$/);
    expect(t.fake.faults().openai?.fault).to.deep.equal({ kind: 'status', status: 503 });
    await press('Traffic', 'Ask 10 questions', /10 questions answered by anthropic 10$/);
    await page.waitForSelector(card('openai', 'open'), { timeout: 2_000 });
    expect(await page.textContent('[data-breaker="openai"] .countdown')).to.match(
      new RegExp(`^next trial in ${DEFAULT_RESET_TIMEOUT / 1000} s · consecutive failures$`),
    );
    expect(await page.textContent('#health')).to.equal('degraded');
    // The screenshot in the docs: wait for the next periodic snapshot, so that every card
    // counts the questions just asked (a state change refreshes only its own card).
    for (const name of ['openai', 'anthropic']) {
      const total = String((await t.breaker(name)).totalRequests);
      await page.waitForFunction(
        ([selector, expected]) => document.querySelector(selector!)?.textContent === expected,
        [`[data-breaker="${name}"] [data-field="total"]`, total],
        { timeout: 5_000 },
      );
    }
    await mkdir(resolve('artifacts'), { recursive: true });
    await page.screenshot({ path: resolve('artifacts', 'gateway-dashboard.png'), fullPage: true });

    await press('Fake OpenAI', 'Healthy', /^Healthy: done$/);
    expect(t.fake.faults().openai).to.equal(null);
    await page.click('[data-breaker="openai"] [data-action="reset"]');
    await page.waitForSelector(card('openai', 'closed'), { timeout: 2_000 });
    await press('Traffic', 'Ask 1 question', /answered by openai 1$/);
    expect(problems, 'no script errors and no CSP violations').to.deep.equal([]);
  });
});
