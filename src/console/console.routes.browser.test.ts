/**
 * The console in a real browser against the real app over HTTP: an agent signs in, opens
 * the most urgent ticket, loses a race to a colleague (409), sends an edited draft, and
 * sees the reply and the counts change; then the page in Chinese. Screenshots of each step
 * go to test-artifacts/console/. Named `*.routes*.test.ts` so it runs in the database projects.
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
const agent = { username: 'mei', password: 'mei-password-1' };
// A Tuesday 10:00 in Shanghai (knowledge-base/service-hours.yaml), so working-time SLA
// clocks run from the first minute.
const clock = manualClock('2026-03-10T02:00:00Z');

let service: TestService;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

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

/** A page that records console errors, uncaught exceptions and CSP violations. */
async function watchedPage(context: BrowserContext) {
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
  return { page, problems };
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });
const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).textContent()) ?? '').trim();

const available = await browserAvailable();

describe.skipIf(!available)('agent console in a browser', () => {
  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    service = await startTestService(testApiKeysEnv, { clock });
    await service.credentials.upsertUser({ ...agent, role: 'agent' });
    await seed('Where is my parcel? Order 2024112312345678 has not moved for three days.', 'Tom');
    await seed('收到的杯子是碎的，要求赔偿', '王芳');
    await seed('再不处理我就去12315投诉你们！', '李雷');
    // Seven minutes on: the quality ticket's 5-minute first response is breached.
    clock.advance(7 * 60_000);
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

  it('signs in, opens the most urgent ticket, survives a conflict and sends an edited draft', async () => {
    const { tickets } = await (
      await service.app.request('/v1/tickets', { headers: bearer('agent') })
    ).json();
    expect(tickets.length).toBeGreaterThanOrEqual(2);
    const urgent = tickets[0];
    expect(tickets[1].sla.firstResponse.state).toBe('breached');

    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1360, height: 900 },
    });
    const { page, problems } = await watchedPage(context);
    const response = await page.goto(`${baseUrl}/console/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    // Sign in
    await page.locator('#sign-in').waitFor();
    expect(await text(page, '#sign-in h1')).toBe('Sign in');
    await page.fill('#username', agent.username);
    await page.fill('#password', agent.password);
    await shot(page, '01-sign-in');
    await page.click('#sign-in-submit');

    // The queue, most urgent first, with live SLA countdowns and the draft counts
    await page.locator('tr.ticket-row').first().waitFor();
    await page.waitForFunction(() =>
      /^\d+$/.test(document.querySelector('#stat-edited')?.textContent ?? ''),
    );
    expect(await text(page, '#user-name')).toBe(agent.username);
    const rows = page.locator('tr.ticket-row');
    expect(await rows.count()).toBe(tickets.length);
    expect(await rows.first().getAttribute('data-ticket-id')).toBe(urgent.id);
    expect(await text(page, 'tr.ticket-row >> nth=0 >> .urgency')).toContain(
      String(urgent.urgency.score),
    );
    const countdown = page.locator('tr.ticket-row >> nth=0 >> .sla-running').first();
    const before = await countdown.textContent();
    await page.waitForTimeout(1500);
    expect(await countdown.textContent()).not.toBe(before);
    const breached = page
      .locator(`tr.ticket-row[data-ticket-id="${tickets[1].id}"] .sla-breached`)
      .first();
    expect(await breached.textContent()).toMatch(/overdue/);
    expect(await breached.evaluate((element) => getComputedStyle(element).color)).toBe(
      'rgb(198, 40, 40)',
    );
    const editedBefore = Number(await text(page, '#stat-edited'));
    await shot(page, '02-queue');

    // The most urgent ticket: conversation, triage explanation, evidence, draft
    await rows.first().click();
    await page.locator('#composer textarea').waitFor();
    expect(page.url()).toContain(`#/tickets/${urgent.id}`);
    expect(await page.locator('#messages .bubble-customer').count()).toBeGreaterThanOrEqual(1);
    expect(await text(page, '#triage')).toContain('Urgency reasons');
    expect(await page.locator('#triage .reasons li').count()).toBeGreaterThan(0);
    await page.locator('#evidence').waitFor();
    const draft = await page.inputValue('#reply');
    expect(await page.isEnabled('#accept')).toBe(Boolean(draft));
    expect(await page.isDisabled('#send-edited')).toBe(true);
    await shot(page, '03-ticket');

    // The agent edits the draft while a colleague reassigns the ticket
    const reply = `${draft}\n\nMei here: I have asked the warehouse to call you today.`.trim();
    await page.fill('#reply', reply);
    expect(await page.isDisabled('#accept')).toBe(true);
    expect(await page.isEnabled('#send-edited')).toBe(true);
    const version = Number(await page.locator('.ticket-view').getAttribute('data-version'));
    const reassigned = await postJson(
      service.app,
      `/v1/tickets/${urgent.id}/actions`,
      { action: 'reassign', assignee: 'bob', version },
      bearer('admin'),
    );
    expect(reassigned.status).toBe(200);
    await shot(page, '04-edited');
    await page.click('#send-edited');

    // 409: a clear message, the ticket reloaded, the unsent text kept
    await page.locator('#notice.notice-error').waitFor();
    expect(await text(page, '#notice')).toContain('Someone else changed this ticket');
    await page.waitForFunction(
      (seen) =>
        document.querySelector('.ticket-view')?.getAttribute('data-version') !== String(seen),
      version,
    );
    expect(await page.inputValue('#reply')).toBe(reply);
    expect(await text(page, '.ticket-header')).toContain('bob');
    await shot(page, '05-conflict');

    // Sent on the second try: the reply shows in the conversation, edited +1
    await page.click('#send-edited');
    await page.locator('#messages .bubble-agent').waitFor();
    expect(await text(page, '#messages .bubble-agent .bubble-text')).toBe(reply);
    expect(await text(page, '#messages .bubble-agent .bubble-meta')).toContain(agent.username);
    await page.waitForFunction(
      (expected) => document.querySelector('#stat-edited')?.textContent === String(expected),
      editedBefore + 1,
    );
    expect(await text(page, '#notice')).toBe('Reply sent.');
    expect(await text(page, '#history')).toContain('sent an edited draft');
    // The draft is spent: the box is empty for a follow-up, and Accept is gone
    expect(await page.inputValue('#reply')).toBe('');
    expect(await page.isHidden('#accept')).toBe(true);
    expect(await text(page, '#send-edited')).toBe('Send reply');
    const counts = await (
      await service.app.request('/v1/stats/agent-actions', { headers: bearer('agent') })
    ).json();
    expect(counts.edited).toBe(editedBefore + 1);
    await shot(page, '06-sent');

    // Chinese
    await page.selectOption('#language', 'zh');
    await page.locator('#sign-out', { hasText: '退出登录' }).waitFor();
    expect(await text(page, '#triage h2')).toBe('转人工原因');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await shot(page, '07-ticket-zh');
    await page.click('.back');
    await page.locator('.queue-view h1', { hasText: '工单队列' }).waitFor();
    expect(await text(page, '#queue th >> nth=0')).toBe('紧急程度');
    await shot(page, '08-queue-zh');

    // Sign out
    await page.click('#sign-out');
    await page.locator('#sign-in').waitFor();
    expect(await text(page, '#sign-in h1')).toBe('登录');
    expect((await context.cookies()).filter((cookie) => cookie.name === 'triage_session')).toEqual(
      [],
    );
    await shot(page, '09-signed-out');

    // The one 409 the race caused is the only thing the browser complained about.
    expect(problems.filter((problem) => !/status of 409/.test(problem))).toEqual([]);
    expect(problems.filter((problem) => /status of 409/.test(problem))).toHaveLength(1);
    await context.close();
  });

  it('rejects a draft with the right category, escalates and solves a ticket', async () => {
    const { tickets } = await (
      await service.app.request('/v1/tickets?status=open', { headers: bearer('agent') })
    ).json();
    const target = tickets.find((ticket: { draft: string | null }) => ticket.draft);
    expect(target).toBeDefined();
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1360, height: 900 },
    });
    const { page, problems } = await watchedPage(context);
    await page.goto(`${baseUrl}/console/#/tickets/${target.id}`);
    await page.fill('#username', agent.username);
    await page.fill('#password', agent.password);
    await page.click('#sign-in-submit');
    await page.locator('#composer textarea').waitFor();
    await page.waitForFunction(() =>
      /^\d+$/.test(document.querySelector('#stat-rejected')?.textContent ?? ''),
    );
    const rejectedBefore = Number(await text(page, '#stat-rejected'));

    await page.click('#reject');
    await page.fill('#reject-reason', 'The customer wants an exchange, not compensation.');
    await page.selectOption('#reject-category', 'return_exchange');
    await shot(page, '11-reject-form');
    await page.click('#reject-form button[type=submit]');
    await page.locator('#notice', { hasText: 'Draft rejected.' }).waitFor();
    await page.waitForFunction(
      (expected) => document.querySelector('#stat-rejected')?.textContent === String(expected),
      rejectedBefore + 1,
    );
    // The ticket view re-renders after the stats: wait for the header rather than race it.
    await page.locator('.ticket-header', { hasText: 'Returns & exchanges' }).waitFor();
    expect(await page.inputValue('#reply')).toBe('');

    await page.click('#escalate');
    await page.fill('#escalate-reason', 'Second complaint this week.');
    await page.click('#escalate-form button[type=submit]');
    await page.locator('.ticket-header .escalated').waitFor();

    await page.click('#solve');
    await page.locator('#reopen').waitFor();
    expect(await text(page, '.ticket-header .status')).toBe('Solved');
    expect(await text(page, '#history')).toContain('rejected the draft');
    await shot(page, '12-solved');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('opens in Chinese for a Chinese browser', async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1024, height: 700 },
    });
    const { page, problems } = await watchedPage(context);
    await page.goto(`${baseUrl}/console/`);
    await page.locator('#sign-in h1', { hasText: '登录' }).waitFor();
    expect(await text(page, '#sign-in-submit')).toBe('登录');
    await shot(page, '10-sign-in-zh');

    // The triage explanation follows the console's language: reasons, flags, every pipeline
    // step. Only the knowledge-base entry ids (codes, not prose) stay Latin.
    const { tickets } = await (
      await service.app.request('/v1/tickets?status=active', { headers: bearer('agent') })
    ).json();
    const threat = tickets.find((ticket: { subject: string }) => ticket.subject.includes('12315'));
    expect(threat).toBeDefined();
    await page.fill('#username', agent.username);
    await page.fill('#password', agent.password);
    await page.click('#sign-in-submit');
    await page.locator('tr.ticket-row').first().waitFor();
    await page.goto(`${baseUrl}/console/#/tickets/${threat.id}`);
    await page.locator('#triage .reasons li').first().waitFor();
    const detail = await (
      await service.app.request(`/v1/tickets/${threat.id}`, { headers: bearer('agent') })
    ).json();
    expect(detail.triage.flags).toContain('regulator_threat');
    const panel = (await page.locator('#triage').textContent()) ?? '';
    expect(panel).toContain('扬言向监管部门投诉');
    expect(panel).toContain('风险标记');
    const entryIds = detail.triage.matches
      .map((match: { id: string }) => match.id)
      .sort((a: string, b: string) => b.length - a.length);
    const withoutIds = entryIds.reduce(
      (remaining: string, id: string) => remaining.split(id).join(''),
      panel,
    );
    expect(withoutIds).not.toMatch(/[A-Za-z]{2,}/);
    await shot(page, '13-ticket-zh');
    expect(problems).toEqual([]);
    await context.close();
  });
});
