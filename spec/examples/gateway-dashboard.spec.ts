/**
 * The demo as a person uses it, in headless Chromium: unlock the gateway's dashboard with the
 * admin token, make traffic, break the fake OpenAI with its panel's switch (the panel marks the
 * fault in force), watch the OpenAI card turn open while Anthropic answers, with the outage on
 * its state timeline and sparklines; heal it, let the wait run out, see the trial close it
 * again, and raise its threshold from the settings form. Saves the screenshots docs/admin.md
 * shows. Skipped when Debian's chromium is not installed.
 *
 * The breakers run on a clock that follows real time plus what the spec adds (it skips the
 * 60 s wait), and the spec takes the history's samples itself after moving the clock 5 s, so
 * nothing waits for the history's timer.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { readGatewayConfig } from '../../examples/ai-gateway/gateway-config.js';
import { acquireHistory, type RegistryHistory } from '../../lib/index.js';
import { ManualClock, startTestGateway, type TestGateway } from './gateway-harness.js';

const CHROMIUM = '/usr/bin/chromium';
/** `RESET_TIMEOUT_MS` when it is not set. */
const DEFAULT_RESET_TIMEOUT = readGatewayConfig({}).resetTimeoutMs;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'];
/** Where the screenshots go: docs/ (which docs/admin.md shows) with UPDATE_SCREENSHOTS=1. */
const SHOTS = resolve(process.env.UPDATE_SCREENSHOTS === '1' ? 'docs' : 'artifacts');

const card = (name: string, state: string) => `[data-breaker="${name}"][data-state="${state}"]`;

/** Real time, plus the ms the spec adds. */
class AheadClock extends ManualClock {
  private ahead = 0;
  override now(): number {
    return Date.now() + this.ahead;
  }
  override advance(ms: number): void {
    this.ahead += ms;
  }
}

describe('AI gateway demo dashboard in Chromium (express)', function () {
  this.timeout(60_000);
  let t: TestGateway;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let history: { readonly history: RegistryHistory; release(): void };
  const problems: string[] = [];
  /** openai's refusals when the last sample was taken. */
  let refusedAtSample = 0;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.warn(`    (skipped: ${CHROMIUM} is missing)`);
      this.skip();
    }
    // The gateway's own default wait, so that the screenshots show it, and a provider timeout
    // a loaded machine cannot trip by accident: the outage here is a 503.
    const env = { RESET_TIMEOUT_MS: String(DEFAULT_RESET_TIMEOUT), PROVIDER_TIMEOUT_MS: '2000' };
    t = await startTestGateway('express', env, new AheadClock());
    history = acquireHistory(t.gateway.services.registry);
    await mkdir(SHOTS, { recursive: true });
    profile = await mkdtemp(join(tmpdir(), 'breakwater-gateway-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1100, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // The refused config (failureThreshold 0) is the one error the page is expected to meet.
      if (message.type() === 'error' && !message.text().includes('status of 400')) {
        problems.push(`console: ${message.text()}`);
      }
    });
  });

  after(async () => {
    history?.release();
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
    await waitForText('#notice', notice);
  }

  async function waitForText(selector: string, text: RegExp): Promise<void> {
    try {
      await page.waitForFunction(
        ([s, source]) => new RegExp(source!).test(document.querySelector(s!)?.textContent ?? ''),
        [selector, text.source],
        { timeout: 5_000 },
      );
    } catch (error) {
      const shown = await page.textContent(selector).catch(() => null);
      throw new Error(`${selector} never matched ${text}; it reads ${JSON.stringify(shown)}`, {
        cause: error,
      });
    }
  }

  /** Moves the breakers' clock 5 s, takes a history sample and waits for the page to draw it. */
  async function sample(): Promise<void> {
    // A call still in flight when the clock jumps would take 5 s on the breaker's clock.
    const registry = t.gateway.services.registry;
    while (registry.list().some((b) => b.inFlight > 0)) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    t.clock.advance(5_000);
    history.history.sample();
    refusedAtSample = t.gateway.services.registry.find('openai')!.stats.rejectedRequests;
    const points = history.history.of('openai')!.samples.t.length;
    await page.waitForFunction(
      (n) =>
        Number(
          document
            .querySelector('[data-breaker="openai"] [data-spark="rate"]')
            ?.getAttribute('data-points'),
        ) >= n,
      points,
      { timeout: 5_000 },
    );
  }

  it('shows an outage and its recovery on the timeline and sparklines, and edits the config', async () => {
    await page.goto(t.gateway.adminURL);
    await page.waitForSelector(card('openai', 'closed'), { timeout: 5_000 });
    expect(await page.isVisible('#panels'), 'no panels before the token').to.equal(false);
    await page.fill('#token', t.gateway.services.adminToken!);
    await page.click('#save-token');
    await waitForText('#panels article:nth-child(2) .status', /^In force: nothing \(healthy\)$/);

    await press('Traffic', 'Ask 1 question', /^Ask 1 question: 1 question, answered by openai$/);
    for (let i = 0; i < 3; i++) {
      await press('Traffic', 'Ask 10 questions', /10 questions, all answered by openai$/);
      await sample();
    }

    await press('Fake OpenAI', '503 outage', /^503 outage: done$/);
    await waitForText('#panels article:nth-child(2) .status', /^In force: 503 outage$/);
    expect(t.fake.faults().openai?.fault).to.deep.equal({ kind: 'status', status: 503 });
    expect(
      await page.getAttribute(
        '#panels article:nth-child(2) button >> text="503 outage"',
        'aria-pressed',
      ),
    ).to.equal('true');
    await press(
      'Traffic',
      'Ask 10 questions',
      /^Ask 10 questions: 10 questions, all answered by anthropic$/,
    );
    await page.waitForSelector(card('openai', 'open'), { timeout: 2_000 });
    for (let i = 0; i < 3; i++) {
      await press('Traffic', 'Ask 10 questions', /all answered by anthropic$/);
      await sample();
    }
    const openBand = '[data-breaker="openai"] .timeline .band[data-state="open"]';
    expect(await page.getAttribute(openBand, 'data-reason')).to.equal('consecutive_failures');
    expect(await page.textContent('[data-breaker="openai"] .bands li')).to.match(
      /open · consecutive failures \(now\)$/,
    );
    expect(await page.textContent('[data-breaker="openai"] .countdown')).to.match(
      /^next trial in \d+ s · consecutive failures$/,
    );
    expect(await page.locator('[data-breaker="openai"] .spark canvas').count()).to.equal(3);
    const fallbacks = await page.textContent('[data-breaker="openai"] [data-field="fallbacks"]');
    expect(Number(fallbacks), 'anthropic served for openai 40 times').to.be.at.least(40);
    const outage = history.history.of('openai')!.samples;
    // Every refusal lands in a sample (the history's own timer may split a round in two), and
    // refused calls still count as offered.
    expect(refusedAtSample).to.be.at.least(30);
    expect(outage.rejections.reduce((a, b) => a + b, 0)).to.equal(refusedAtSample);
    expect(outage.requestsPerSecond.slice(-3).every((rate) => rate > 0)).to.equal(true);
    await page.locator('#cards').screenshot({ path: join(SHOTS, 'dashboard-outage.png') });
    await page.screenshot({ path: join(SHOTS, 'gateway-dashboard.png'), fullPage: true });

    await press('Fake OpenAI', 'Healthy', /^Healthy: done$/);
    await waitForText('#panels article:nth-child(2) .status', /healthy/);
    t.clock.advance(DEFAULT_RESET_TIMEOUT);
    // The next snapshot finds the wait over: half-open, and no trial runs until a call comes.
    await page.waitForSelector(card('openai', 'half_open'), { timeout: 5_000 });
    expect(await page.textContent('[data-breaker="openai"] .countdown')).to.equal(
      'waiting for a call to try',
    );
    await press('Traffic', 'Ask 10 questions', /10 questions, all answered by openai$/);
    await page.waitForSelector(card('openai', 'closed'), { timeout: 2_000 });
    for (let i = 0; i < 2; i++) {
      await press('Traffic', 'Ask 10 questions', /all answered by openai$/);
      await sample();
    }
    const states = await page.$$eval('[data-breaker="openai"] .timeline .band', (bands) =>
      bands.map(
        (b) => `${(b as HTMLElement).dataset.state}:${(b as HTMLElement).dataset.reason ?? ''}`,
      ),
    );
    expect(states.slice(-3)).to.deep.equal([
      'open:consecutive_failures',
      'half_open:wait_over',
      'closed:trials_passed',
    ]);

    await page.click('[data-breaker="openai"] [data-action="settings"]');
    expect(await page.inputValue('[data-config="openai"] input[name="failureThreshold"]')).to.equal(
      '3',
    );
    await page.fill('[data-config="openai"] input[name="failureThreshold"]', '0');
    await page.click('[data-config="openai"] [data-action="save-config"]');
    await waitForText('#notice', /^failureThreshold must be a positive integer, got 0$/);
    await page.fill('[data-config="openai"] input[name="failureThreshold"]', '5');
    await page.fill('[data-config="openai"] input[name="errorThresholdPercentage"]', '50');
    await page.click('[data-config="openai"] [data-action="save-config"]');
    await waitForText('#notice', /^openai: saved failureThreshold 5, errorThresholdPercentage 50$/);
    const openai = t.gateway.services.registry.find('openai')!;
    expect(openai.options.failureThreshold).to.equal(5);
    expect(openai.options.errorThresholdPercentage).to.equal(50);
    await waitForText(
      '[data-breaker="openai"] .rule',
      /^opens after 5 failures in a row or at 50 %/,
    );
    await waitForText('[data-breaker="openai"] [data-near="errors"]', /0 % \/ 50 %/);
    await waitForText(
      '[data-breaker="openai"] .bands',
      /config: failureThreshold 5, errorThresholdPercentage 50/,
    );
    await page.click('[data-breaker="openai"] [data-action="settings"]');
    await page.locator('#cards').screenshot({ path: join(SHOTS, 'dashboard-recovery.png') });
    expect(problems, 'no script errors and no CSP violations').to.deep.equal([]);
  });
});
