/**
 * Surge alerts in a real browser against the real app over HTTP: the banner shows on every page
 * while an alert is unresolved, the alert view lists its grouped tickets, an agent acknowledges
 * it, reviews one reply and sends it to every ticket, the page reads in Chinese, and resolving
 * the alert takes the banner away. The alert is stored through the repository (detection has
 * its own replay test, src/alerts/surge.replay.routes.test.ts); the tickets come from the real
 * intake. Screenshots go to test-artifacts/console/alerts-*.png.
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupTickets, insertAlert, raiseTicketUrgency } from '../alerts/alert.repository.js';
import { browserAvailable, launchBrowser } from '../testing/browser.js';
import { type FakePlatform, startFakePlatform } from '../testing/fake-platform.js';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
} from '../testing/service.js';
import { manualClock } from '../time/clock.js';

const artifacts = fileURLToPath(new URL('../../test-artifacts/console/', import.meta.url));
const agent = { username: 'mei', password: 'mei-password-1' };
// A Tuesday 10:00 in Shanghai (knowledge-base/service-hours.yaml).
const clock = manualClock('2026-03-10T02:00:00Z');

let service: TestService;
let fake: FakePlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;
let alertId: string;
const outageTickets: string[] = [];

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
  expect(response.status).toBe(200);
  return response.json();
}

async function watchedPage(context: BrowserContext) {
  const problems: string[] = [];
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return { page, problems };
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${artifacts}alerts-${name}.png`, fullPage: true });
const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').trim();

const available = await browserAvailable();

describe.skipIf(!available)('surge alerts in the console', () => {
  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    fake = await startFakePlatform(() => ({ status: 204 }));
    service = await startTestService(
      {
        ...testApiKeysEnv,
        WEBHOOK_URL: `${fake.url}/replies`,
        WEBHOOK_SECRET: 'reply-secret-0001',
      },
      { clock },
    );
    await service.credentials.upsertUser({ ...agent, role: 'agent' });
    const texts = [
      ['My parcel SF7000000000001 has not moved for three days, where is it?', 'Tom'],
      ['Parcel SF7000000000002 stuck in transit for 5 days. Please help, this is urgent.', 'Ana'],
      ['我的快递 SF7000000000003 三天没动了，怎么回事？', '王芳'],
    ];
    for (const [message, name] of texts) {
      const outcome = await seed(message!, name!);
      outageTickets.push(outcome.ticket.id);
    }
    // A ticket of another problem: not part of the alert.
    await seed('The cup arrived broken', 'Li');
    const now = clock.now();
    const alert = await insertAlert(service.database.db, {
      kind: 'carrier',
      key: 'sf-express',
      related: [
        { kind: 'category', key: 'logistics' },
        { kind: 'entry', key: 'delayed_parcel' },
      ],
      figures: {
        windowStart: new Date(now.getTime() - 3_600_000),
        windowEnd: now,
        observed: 15,
        expected: 3.5,
        pValue: 4e-7,
        windowTotal: 35,
        baselineCount: 215,
        baselineTotal: 2175,
      },
      groupedSince: new Date(now.getTime() - 3_600_000),
      notify: false,
      now,
    });
    alertId = alert!.id;
    await groupTickets(service.database.db, alertId, outageTickets, now);
    await raiseTicketUrgency(
      service.database.db,
      outageTickets,
      'surge alert: carrier sf-express',
      now,
    );
    clock.advance(60_000);
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
    await fake?.close();
  });

  it('shows the banner on every page, the alert view, and sends one reviewed reply to all', async () => {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1360, height: 900 },
    });
    const { page, problems } = await watchedPage(context);
    await page.goto(`${baseUrl}/console/`);
    await page.locator('#sign-in').waitFor();
    await page.fill('#username', agent.username);
    await page.fill('#password', agent.password);
    await page.click('#sign-in-submit');

    // The queue, with the banner above it
    await page.locator('tr.ticket-row').first().waitFor();
    const banner = page.locator('#alert-banner');
    await banner.locator('.alert-banner-item').waitFor();
    expect(await banner.isVisible()).toBe(true);
    const bannerText = await text(page, '#alert-banner');
    expect(bannerText).toContain('Surge: carrier sf-express');
    expect(bannerText).toContain('15 conversations in 60 minutes, about 3.5 expected');
    expect(bannerText).toContain('3 tickets');
    // The alert lifted the outage's tickets to the top of the queue, above the broken cup
    const firstRows = await page
      .locator('tr.ticket-row')
      .evaluateAll((rows) => rows.slice(0, 3).map((row) => (row as HTMLElement).dataset.ticketId));
    expect(firstRows.sort()).toEqual([...outageTickets].sort());
    await shot(page, '01-banner-on-queue');

    // The alert view: what rose, its grouped tickets, the reply box
    await page.click('#alert-banner .alert-banner-open');
    await page.locator('#alert-tickets tr.alert-ticket').first().waitFor();
    expect(page.url()).toContain(`#/alerts/${alertId}`);
    expect(await text(page, '#alert-title')).toBe('Surge: carrier sf-express');
    expect(await text(page, '.alert-view .chips')).toContain('category Shipping & delivery');
    expect(await text(page, '#alert-figures')).toContain('(×4.3)');
    const rows = page.locator('#alert-tickets tr.alert-ticket');
    expect(await rows.count()).toBe(3);
    expect(await page.locator('.alert-ticket-pick:checked').count()).toBe(3);
    for (const level of await rows.evaluateAll((all) =>
      all.map((row) => (row as HTMLElement).dataset.level),
    ))
      expect(level).toBe('high');
    expect(await page.isDisabled('#alert-review')).toBe(true);

    // Acknowledge: the banner says who is on it
    await page.click('#alert-acknowledge');
    await page.locator('#alert-acknowledge').waitFor({ state: 'detached' });
    await page.waitForFunction(() =>
      document.querySelector('#alert-banner')?.textContent?.includes('acknowledged by mei'),
    );

    // One reply, reviewed before it goes
    const reply =
      'SF Express has a delay in your region. Your parcel is safe and will move again within 48 hours; we are following it for you.';
    await page.fill('#alert-reply', reply);
    expect(await text(page, '#alert-review')).toBe('Review the reply to 3 customers');
    await page.click('#alert-review');
    await page.locator('#alert-review-panel').waitFor();
    expect(await text(page, '#alert-review-text')).toBe(reply);
    expect(await text(page, '#alert-send')).toBe('Send to 3 customers');
    await shot(page, '02-alert-view-review');
    await page.click('#alert-send');
    await page.waitForFunction(() =>
      document.querySelector('#notice')?.textContent?.includes('Sent to 3 tickets; 0 skipped.'),
    );
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#alert-tickets tr.alert-ticket td:last-child')].every(
        (cell) => cell.textContent !== '—',
      ),
    );
    await shot(page, '03-alert-view-sent');
    await service.outbox.deliverDue();
    for (const id of outageTickets) {
      const ticket = await (
        await service.app.request(`/v1/tickets/${id}`, { headers: bearer('agent') })
      ).json();
      expect(ticket.status).toBe('pending_customer');
      expect(ticket.conversation.messages.at(-1)).toMatchObject({
        author: 'agent',
        authorId: 'mei',
        text: reply,
        delivery: 'delivered',
      });
    }
    expect(
      fake.requests.filter((request) => (request.json as { text?: string }).text === reply),
    ).toHaveLength(3);

    // The banner is on a ticket page too
    await page.click(`#alert-tickets tr[data-ticket-id="${outageTickets[0]}"] td.subject a`);
    await page.locator('#composer textarea').waitFor();
    expect(await banner.isVisible()).toBe(true);

    // In Chinese
    await page.selectOption('#language', 'zh');
    await page.waitForFunction(() =>
      document
        .querySelector('#alert-banner')
        ?.textContent?.includes('突发预警：快递公司「sf-express」'),
    );
    expect(await text(page, '#alert-banner')).toContain('60 分钟内 15 个会话，平时约 3.5 个');
    await page.goto(`${baseUrl}/console/#/alerts/${alertId}`);
    await page.locator('#alert-tickets tr.alert-ticket').first().waitFor();
    expect(await text(page, '#alert-title')).toBe('突发预警：快递公司「sf-express」');
    await shot(page, '04-alert-view-zh');

    // Resolved: the banner goes, the alert stays in the list
    await page.click('#alert-resolve');
    await page.waitForFunction(
      () => (document.querySelector('#alert-banner') as HTMLElement | null)?.hidden === true,
    );
    await page.goto(`${baseUrl}/console/#/alerts`);
    await page.locator('#alerts tr.ticket-row').first().waitFor();
    expect(await text(page, '#alerts tr.ticket-row')).toContain('已解决');
    expect(await banner.isVisible()).toBe(false);
    await shot(page, '05-alerts-list-resolved');

    expect(problems).toEqual([]);
    await context.close();
  });
});
