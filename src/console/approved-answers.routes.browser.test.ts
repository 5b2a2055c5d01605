/**
 * The approved-answers review in a real browser against the real app over HTTP: agents' replies
 * sent through the ticket API have become candidates; an admin opens the review from the header,
 * sees a candidate with the customer's data replaced by placeholders (approval held back),
 * replaces them and approves in one step, approves another, rejects a third; the bot then
 * answers the same question with the approved text and the card counts the use; the page in
 * Chinese; an agent sees the list without the review buttons. Screenshots go to
 * test-artifacts/console/ (approved-answers-*.png).
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
const admin = { username: 'admin', password: 'admin-password-1' };
const agent = { username: 'mei', password: 'mei-password-1' };
const question = 'How long does a refund take to reach my card?';
const clock = manualClock('2026-03-10T02:00:00Z');

let service: TestService;
let server: ServerType;
let baseUrl: string;
let browser: Browser;
let sequence = 0;

async function say(conversation: string, text: string, name = 'Tom Baker') {
  sequence += 1;
  const response = await postJson(
    service.app,
    '/v1/messages?wait=30',
    {
      channel: 'web-chat',
      externalMessageId: `aab-${sequence}`,
      conversationId: conversation,
      customer: { id: `cust-${conversation}`, name },
      text,
    },
    bearer('integration'),
  );
  expect(response.status).toBe(200);
  clock.advance(60_000);
  return response.json();
}

/** A ticket that holds the conversation, whose draft answers `text` from the refund entry. */
async function ticketAsking(text: string) {
  const conversation = `aab-conversation-${sequence}`;
  await say(conversation, 'I want to talk to a person, my parcel was damaged and I am very angry');
  const asked = await say(conversation, text);
  expect(asked.action).toBe('handoff');
  return (
    await service.app.request(`/v1/tickets/${asked.ticket.id}`, { headers: bearer('agent') })
  ).json() as Promise<{ id: string; version: number; draft: string }>;
}

async function send(ticket: { id: string; version: number }, action: Record<string, unknown>) {
  const response = await postJson(
    service.app,
    `/v1/tickets/${ticket.id}/actions`,
    { ...action, version: ticket.version },
    bearer('agent'),
  );
  expect(response.status).toBe(200);
}

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
  page.screenshot({ path: `${artifacts}approved-answers-${name}.png`, fullPage: true });
const card = (page: Page, id: string) => page.locator(`.answer-card[data-answer-id="${id}"]`);

async function signIn(page: Page, user: { username: string; password: string }) {
  await page.goto(`${baseUrl}/console/`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('#sign-in-submit');
  await page.locator('#user-name').waitFor();
}

const available = await browserAvailable();
const ids: Record<'accepted' | 'edited' | 'personal', string> = {
  accepted: '',
  edited: '',
  personal: '',
};
let editedText = '';

describe.skipIf(!available)('approved answers in the console', () => {
  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    service = await startTestService(testApiKeysEnv, { clock });
    await service.credentials.upsertUser({ ...agent, role: 'agent' });

    const accepted = await ticketAsking(question);
    await send(accepted, { action: 'accept' });
    const edited = await ticketAsking(question);
    editedText = edited.draft.replace(
      'If there is anything else',
      'Most cards show it within five business days. If there is anything else',
    );
    await send(edited, { action: 'edit', text: editedText });
    const personal = await ticketAsking(`${question} Order 2024112312345678`);
    await send(personal, {
      action: 'edit',
      text: `Hi Tom, ${personal.draft} If it has not arrived by Friday, call me on 13812345678.`,
    });
    const { answers } = await (
      await service.app.request('/v1/approved-answers?status=pending', {
        headers: bearer('agent'),
      })
    ).json();
    for (const answer of answers as { id: string; origin: string; sourceTicketId: string }[]) {
      if (answer.sourceTicketId === accepted.id) ids.accepted = answer.id;
      if (answer.sourceTicketId === edited.id) ids.edited = answer.id;
      if (answer.sourceTicketId === personal.id) ids.personal = answer.id;
    }
    expect(Object.values(ids).every(Boolean)).toBe(true);

    server = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started),
      );
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = (await launchBrowser())!;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await service?.close();
  });

  it('an admin reviews candidates, and the approved answer is sent and counted', async () => {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1360, height: 900 },
    });
    const { page, problems } = await watchedPage(context);
    await signIn(page, admin);
    await page.click('.nav-approved-answers');
    await page.locator('.answer-card').first().waitFor();
    expect(page.url()).toContain('#/approved-answers');
    expect(await page.locator('.approved-answers-view h1').textContent()).toBe('Approved answers');
    expect(await page.locator('.answer-card').count()).toBe(3);

    // The candidate with the customer's data: placeholders, the reasons, approval held back.
    const personal = card(page, ids.personal);
    const personalText = await personal.locator('textarea').inputValue();
    expect(personalText).toContain('Hi [NAME],');
    expect(personalText).toContain('[ORDER_NUMBER]');
    expect(personalText).toContain('[PHONE]');
    expect(personalText).not.toContain('2024112312345678');
    expect(await personal.locator('.answer-question').textContent()).toBe(
      `${question} Order [ORDER_NUMBER]`,
    );
    expect(await personal.locator('.answer-violations').textContent()).toContain(
      'Placeholder to replace',
    );
    expect(await personal.locator('.answer-approve').isDisabled()).toBe(true);
    expect(await personal.locator('.answer-origin').textContent()).toContain(
      'Draft lightly edited',
    );
    expect(await card(page, ids.accepted).locator('.answer-origin').textContent()).toContain(
      'Draft accepted',
    );
    await shot(page, '01-pending');

    // Written out, saved and approved in one step.
    await personal.locator('textarea').fill(`${editedText} Thank you for your patience.`);
    expect(await personal.locator('.answer-approve').textContent()).toBe('Save and approve');
    expect(await personal.locator('.answer-approve').isEnabled()).toBe(true);
    await shot(page, '02-edited');
    await personal.locator('.answer-approve').click();
    await page.locator('#notice', { hasText: 'Answer approved.' }).waitFor();
    await personal.waitFor({ state: 'detached' });

    await card(page, ids.edited).locator('.answer-approve').click();
    await card(page, ids.edited).waitFor({ state: 'detached' });
    const accepted = card(page, ids.accepted);
    await accepted.locator('.answer-note').fill('Same as the entry text.');
    await accepted.locator('.answer-reject').click();
    await page.locator('#notice', { hasText: 'Answer rejected.' }).waitFor();
    await page.locator('.answers-list .empty').waitFor();
    expect(await page.locator('.answers-list .empty').textContent()).toBe(
      'Nothing waiting for review.',
    );

    // The same question from a new customer gets the approved text; the card counts it.
    const outcome = await say('aab-new-customer', question, 'Lin');
    expect(outcome.action).toBe('auto_reply');
    expect(outcome.reply.text).toBe(editedText);
    await page.selectOption('#approved-answers-status', 'approved');
    await card(page, ids.edited).waitFor();
    expect(await page.locator('.answer-card').count()).toBe(2);
    expect(await card(page, ids.edited).locator('.answer-uses').textContent()).toBe('Sent 1×');
    expect(await card(page, ids.personal).locator('.answer-uses').textContent()).toBe('Sent 0×');
    expect(await card(page, ids.edited).locator('.answer-meta').textContent()).toContain(
      'reviewed by admin',
    );
    expect(await card(page, ids.edited).locator('.answer-reject').textContent()).toBe('Withdraw');
    await shot(page, '03-approved');

    await page.selectOption('#approved-answers-status', 'rejected');
    await card(page, ids.accepted).waitFor();
    expect(await card(page, ids.accepted).locator('.answer-meta').textContent()).toContain(
      'Same as the entry text.',
    );

    // Chinese
    await page.selectOption('#language', 'zh');
    await page.locator('.approved-answers-view h1', { hasText: '已审核答案' }).waitFor();
    await page.selectOption('#approved-answers-status', 'approved');
    await card(page, ids.edited).waitFor();
    expect(await card(page, ids.edited).locator('.answer-uses').textContent()).toBe('已发送 1 次');
    expect(await page.locator('.nav-approved-answers').textContent()).toBe('已审核答案');
    await shot(page, '04-approved-zh');

    const audit = await service.database.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id'])
      .where('subject_type', '=', 'approved_answer')
      .execute();
    expect(audit.map((entry) => `${entry.action} ${entry.subject_id}`).sort()).toEqual(
      [
        `approved_answer.edit ${ids.personal}`,
        `approved_answer.approve ${ids.personal}`,
        `approved_answer.approve ${ids.edited}`,
        `approved_answer.reject ${ids.accepted}`,
      ].sort(),
    );
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an agent sees the answers without the review buttons', async () => {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1200, height: 800 },
    });
    const { page, problems } = await watchedPage(context);
    await signIn(page, agent);
    await page.goto(`${baseUrl}/console/#/approved-answers`);
    await page.selectOption('#approved-answers-status', 'approved');
    await card(page, ids.edited).waitFor();
    expect(await page.locator('.answer-card textarea').count()).toBe(0);
    expect(await page.locator('.answer-actions button').count()).toBe(0);
    expect(await page.locator('.answers-intro').textContent()).toContain('An admin reviews them');
    await shot(page, '05-agent');
    expect(problems).toEqual([]);
    await context.close();
  });
});
