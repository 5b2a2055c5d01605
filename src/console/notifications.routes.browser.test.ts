/**
 * The notifications bell in a real browser: an agent whose two tickets the escalation job
 * raised (75 % of the first-response window, then the due time) signs in, sees the unread
 * count, opens the list (newest first, overdue ones saying so), opens one (it is marked read
 * and its ticket shows), then reads the list in Chinese. Screenshots go to
 * test-artifacts/console/notifications-*.png.
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from '../testing/browser.js';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
} from '../testing/service.js';
import { manualClock } from '../time/clock.js';

const artifacts = fileURLToPath(new URL('../../test-artifacts/console/', import.meta.url));
// ma.li is a member of the after_sales team in knowledge-base/teams.yaml, the only one with a
// console account here, so both after-sales tickets are hers.
const agent = { username: 'ma.li', password: 'ma-li-password-1' };
const start = Date.parse('2026-03-10T02:00:00Z'); // Tuesday 10:00 in Shanghai
const clock = manualClock(new Date(start));

let service: TestService;
let server: ServerType;
let baseUrl: string;
let browser: Browser;
const ticketIds: string[] = [];

async function seed(text: string, name: string) {
  const response = await postJson(
    service.app,
    '/v1/messages?wait=30',
    {
      channel: 'web-chat',
      externalMessageId: `m-${name}`,
      conversationId: `c-${name}`,
      customer: { id: `cust-${name}`, name },
      text,
    },
    bearer('integration'),
  );
  const body = await response.json();
  expect(body.action).toBe('handoff');
  ticketIds.push(body.ticket.id);
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${artifacts}notifications-${name}.png`, fullPage: true });
const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').trim();

const available = await browserAvailable();

describe.skipIf(!available)('notifications in the console', () => {
  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    service = await startTestService(testApiKeysEnv, { clock });
    await service.credentials.upsertUser({ ...agent, role: 'agent' });
    await seed('收到的杯子是碎的，要求赔偿', '王芳');
    await seed('耳机一边没声音了，要求维修', '张伟');
    // 3 min 45 s: level 1 (team lead); 5 min: level 2 (duty manager), for both tickets.
    clock.set(new Date(start + 3.75 * 60_000));
    await service.escalation.runOnce();
    clock.set(new Date(start + 5 * 60_000));
    await service.escalation.runOnce();
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

  it('shows the unread count, lists the escalations and opens one, in English and Chinese', async () => {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1360, height: 900 },
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));

    await page.goto(`${baseUrl}/console/`);
    await page.fill('#username', agent.username);
    await page.fill('#password', agent.password);
    await page.click('#sign-in-submit');
    await page.locator('tr.ticket-row').first().waitFor();

    // Two tickets, two steps each: four unread.
    const badge = page.locator('#notifications-badge');
    await page.locator('#notifications-badge:not([hidden])').waitFor();
    expect(await badge.textContent()).toBe('4');
    expect(await page.getAttribute('#notifications-button', 'aria-label')).toBe(
      'Notifications, 4 unread',
    );
    expect(await page.isHidden('#notifications-panel')).toBe(true);
    await shot(page, '01-badge');

    await page.click('#notifications-button');
    await page.locator('#notifications-panel:not([hidden])').waitFor();
    const items = page.locator('#notifications-list .notification');
    expect(await items.count()).toBe(4);
    expect(await page.locator('#notifications-list .notification-unread').count()).toBe(4);
    const titles = await items.locator('.notification-title').allTextContents();
    expect(
      titles.filter((title) =>
        /^Level 2 · Duty manager: first response overdue since /.test(title),
      ),
    ).toHaveLength(2);
    expect(
      titles.filter((title) => /^Level 1 · Team lead: first response due /.test(title)),
    ).toHaveLength(2);
    // Newest first: the overdue steps lead.
    expect(titles[0]).toMatch(/^Level 2/);
    expect(await text(page, '#notifications-list .notification-meta')).toContain(
      'team after_sales',
    );
    await shot(page, '02-list');

    // Opening one marks it read and shows its ticket.
    const first = items.first();
    const ticketId = await first.getAttribute('data-ticket-id');
    expect(ticketIds).toContain(ticketId);
    await first.click();
    await page.waitForURL(`**/console/#/tickets/${ticketId}`);
    await page.locator('.ticket-view').waitFor();
    await page.waitForFunction(
      () => document.querySelector('#notifications-badge')?.textContent === '3',
    );
    expect(await page.isHidden('#notifications-panel')).toBe(true);
    await page.click('#notifications-button');
    await page.locator('#notifications-panel:not([hidden])').waitFor();
    expect(await page.locator('#notifications-list .notification-unread').count()).toBe(3);
    await shot(page, '03-read');

    // The same list in Chinese.
    await page.selectOption('#language', 'zh');
    await page.locator('#notifications-button', { hasText: '通知' }).waitFor();
    await page.click('#notifications-button');
    await page.locator('#notifications-panel:not([hidden])').waitFor();
    expect(await text(page, '#notifications-list .notification-title')).toMatch(
      /^第 2 级 · 值班经理介入：首次响应已于 .+ 超时$/,
    );
    await shot(page, '04-zh');

    // The server agrees: one read, three unread, all ma.li's own.
    const session = (await context.cookies()).find((cookie) => cookie.name === 'triage_session')!;
    const list = await (
      await service.app.request('/v1/notifications', {
        headers: { cookie: `${session.name}=${session.value}` },
      })
    ).json();
    expect(list.unread).toBe(3);
    expect(problems).toEqual([]);
    await context.close();
  });
});
