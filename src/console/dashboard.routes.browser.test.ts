/**
 * The KPI dashboard in a real browser against the real app over HTTP, on the seeded week of
 * src/testing/kpi-history.ts (whose figures src/stats/kpi.routes.test.ts works out): an agent
 * opens it from the header, picks the week, reads figures with their definitions and the
 * charts, filters by category, and reads it in Chinese. Screenshots go to
 * test-artifacts/console/ (dashboard-*.png).
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from '../testing/browser.js';
import { kpiHistoryNow, seedKpiHistory } from '../testing/kpi-history.js';
import { startTestService, type TestService, testApiKeysEnv } from '../testing/service.js';
import { manualClock } from '../time/clock.js';

const artifacts = fileURLToPath(new URL('../../test-artifacts/console/', import.meta.url));
const agent = { username: 'lin', password: 'lin-password-1' };
const clock = manualClock(kpiHistoryNow);

let service: TestService;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });
const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').trim();
const card = (key: string) => `.kpi-card[data-kpi="${key}"]`;

const available = await browserAvailable();

describe.skipIf(!available)('KPI dashboard in a browser', () => {
  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    service = await startTestService(testApiKeysEnv, { clock });
    await service.credentials.upsertUser({ ...agent, role: 'agent' });
    await seedKpiHistory(service.database.db, service.serviceHours);
    server = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started),
      );
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = (await launchBrowser())!;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await service?.close();
  });

  it('shows the week’s figures with their definitions and charts, filtered, in both languages', async () => {
    const context = await browser.newContext({
      locale: 'en-US',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1360, height: 900 },
    });
    const problems: string[] = [];
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));

    await page.goto(`${baseUrl}/console/`);
    await page.fill('#username', agent.username);
    await page.fill('#password', agent.password);
    await page.click('#sign-in-submit');

    // From the header: the last 7 days up to now (Friday 03-20 12:00 in Shanghai).
    await page.click('a.nav-dashboard');
    await page.locator('.dashboard-view[data-loaded]').waitFor();
    expect(await page.inputValue('#kpi-from')).toBe('2026-03-13');
    expect(await page.inputValue('#kpi-to')).toBe('2026-03-20');

    // The seeded week
    await page.fill('#kpi-from', '2026-03-09');
    await page.fill('#kpi-to', '2026-03-15');
    await page.click('#kpi-apply');
    await page.waitForURL(/#\/dashboard\?from=2026-03-09&to=2026-03-15$/);
    await page.locator('#kpi-range-text', { hasText: '2026-03-09 – 2026-03-15' }).waitFor();
    expect(await text(page, `${card('automaticAnswerRate')} .kpi-value`)).toBe('54.5%');
    expect(await text(page, `${card('automaticAnswerRate')} .kpi-counts`)).toBe('6 of 11');
    expect(await text(page, `${card('automaticAnswerRate')} .kpi-definition`)).toContain(
      'A contact is a customer message',
    );
    expect(await text(page, `${card('firstResponseMean')} .kpi-value`)).toBe('5.3 min');
    expect(await text(page, `${card('firstResponseMean')} .kpi-counts`)).toBe('n = 4 · 1 pending');
    expect(await text(page, `${card('firstContactResolution')} .kpi-value`)).toBe('60%');
    expect(await text(page, `${card('csatMeanRating')} .kpi-value`)).toBe('3.67');
    expect(await text(page, `${card('llmCost')} .kpi-value`)).toBe('not measured');
    expect(await page.locator('.kpi-card').count()).toBe(25);
    expect(await page.locator('.kpi-card .kpi-definition').count()).toBe(25);

    // Daily chart: seven days as stacked bars, the rate line over the days with contacts.
    const days = page.locator('#kpi-daily g.chart-day');
    expect(await days.count()).toBe(7);
    expect(await days.nth(1).getAttribute('data-date')).toBe('2026-03-10');
    expect(await days.nth(1).getAttribute('data-automatic')).toBe('1');
    expect(await days.nth(1).getAttribute('data-handoffs')).toBe('2');
    expect(await page.locator('#kpi-daily .chart-rate circle').count()).toBe(6);
    // Count axis on the left (up to 4: Tuesday's 3 contacts), rate axis on the right.
    expect(await page.locator('#kpi-daily text.chart-tick').allTextContents()).toEqual([
      '0',
      '2',
      '4',
      '0%',
      '50%',
      '100%',
    ]);
    const tuesday = await days.nth(1).locator('rect.chart-bar-handoff').boundingBox();
    const monday = await days.nth(0).locator('rect.chart-bar-handoff').boundingBox();
    expect(tuesday!.height).toBeGreaterThan(20);
    expect(monday!.height).toBe(0);
    expect(await page.locator('#kpi-reasons g.chart-row').count()).toBe(7);
    expect(
      await page.locator('#kpi-ratings g.chart-row[data-key="5"]').getAttribute('data-value'),
    ).toBe('1');
    await shot(page, 'dashboard-01-week');

    // Refunds only
    await page.selectOption('#kpi-category', 'refund');
    await page.click('#kpi-apply');
    await page.waitForURL(/category=refund/);
    await page
      .locator(`${card('automaticAnswerRate')} .kpi-counts`, { hasText: '1 of 3' })
      .waitFor();
    expect(await text(page, `${card('automaticAnswerRate')} .kpi-value`)).toBe('33.3%');
    await shot(page, 'dashboard-02-refunds');

    // Chinese: labels, definitions and reasons in Chinese
    await page.selectOption('#language', 'zh');
    await page.locator('.dashboard-view h1', { hasText: '服务指标' }).waitFor();
    await page.locator('.dashboard-view[data-loaded]').waitFor();
    expect(await text(page, `${card('automaticAnswerRate')} .kpi-label`)).toBe('自动回答率');
    expect(await text(page, `${card('automaticAnswerRate')} .kpi-counts`)).toBe('3 中的 1');
    expect(await text(page, `${card('autoAnswersAssumed')} .kpi-definition`)).toContain(
      '24 小时内',
    );
    expect(await text(page, 'a.nav-dashboard')).toBe('数据看板');
    await page.selectOption('#kpi-category', '');
    await page.click('#kpi-apply');
    await page
      .locator(`${card('automaticAnswerRate')} .kpi-counts`, { hasText: '11 中的 6' })
      .waitFor();
    expect(await text(page, '#kpi-reasons')).toContain('分类不确定');
    const definitions = await page.locator('.kpi-card .kpi-definition').allTextContents();
    expect(definitions.filter((definition) => /[A-Za-z]{12,}/.test(definition))).toEqual([]);
    await shot(page, 'dashboard-03-zh');

    expect(problems).toEqual([]);
    await context.close();
  });
});
