/**
 * The knowledge base in the console, in a real browser against the real app over HTTP: an admin
 * opens it from the header, searches, opens the shipped refund entry, edits its answer and
 * previews a question with the unsaved draft (labelled as an approximation), saves (live at once:
 * the history names the admin, the preview and /v1/triage answer with the new text), creates an
 * entry and deletes it after the in-page confirmation; the list in Chinese; an agent sees the
 * editor read-only and can still preview. Screenshots go to test-artifacts/console/ (kb-*.png).
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

const artifacts = fileURLToPath(new URL('../../test-artifacts/console/', import.meta.url));
const admin = { username: 'admin', password: 'admin-password-1' };
const agent = { username: 'mei', password: 'mei-password-1' };
const question = 'How long does a refund take to reach my card?';
const newSentence = 'From 1 March refunds to credit cards arrive within 2 business days.';

let service: TestService;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

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
  page.screenshot({ path: `${artifacts}kb-${name}.png`, fullPage: true });

async function signIn(page: Page, user: { username: string; password: string }) {
  await page.goto(`${baseUrl}/console/`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('#sign-in-submit');
  await page.locator('#user-name').waitFor();
}

async function openEntry(page: Page, entryId: string, locale: string) {
  const row = page.locator(`.kb-row[data-entry-id="${entryId}"][data-locale="${locale}"]`);
  await row.waitFor();
  await row.locator('.kb-title').click();
  await page.locator('#kb-form').waitFor();
}

async function previewQuestion(page: Page, text: string) {
  await page.fill('#kb-preview-question', text);
  await page.click('#kb-preview-run');
  await page.locator('#kb-preview-action').waitFor();
}

const available = await browserAvailable();

describe.skipIf(!available)('knowledge base in the console', () => {
  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    service = await startTestService(testApiKeysEnv);
    await service.credentials.upsertUser({ ...agent, role: 'agent' });
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

  it('an admin edits an entry, previews a question with the draft, saves, creates and deletes', async () => {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1440, height: 1000 },
    });
    const { page, problems } = await watchedPage(context);
    await signIn(page, admin);
    await page.click('.nav-kb');
    await page.locator('.kb-row').first().waitFor();
    expect(page.url()).toContain('#/kb');
    expect(await page.locator('.kb-view h1').textContent()).toBe('Knowledge base');

    await page.fill('#kb-search', 'refund card');
    await page.locator('.kb-row[data-entry-id="refund_timeline"][data-locale="en"]').waitFor();
    // The search narrows the list (after the typing pause).
    await page
      .locator('.kb-row[data-entry-id="business_hours"]')
      .first()
      .waitFor({ state: 'detached' });
    await page.selectOption('#kb-kind', 'faq');
    await page.locator('#kb-count', { hasText: 'documents' }).waitFor();
    await shot(page, '01-list');

    // The shipped entry's fields, edited; the preview compares the unsaved draft.
    await openEntry(page, 'refund_timeline', 'en');
    expect(await page.locator('#kb-editor-title').textContent()).toBe('How long refunds take');
    expect(await page.locator('#kb-field-category').inputValue()).toBe('refund');
    expect(await page.locator('#kb-field-auto-reply').isChecked()).toBe(true);
    expect(await page.locator('#kb-field-questions').inputValue()).toContain(
      'How long does a refund take?',
    );
    const answer = await page.locator('#kb-field-answer').inputValue();
    await page.fill('#kb-field-answer', `${newSentence}\n\n${answer}`);
    await page.fill(
      '#kb-field-questions',
      `${await page.locator('#kb-field-questions').inputValue()}\nRefund to my Visa card, how many days?`,
    );
    await previewQuestion(page, 'Refund to my Visa card, how many days?');
    await page.locator('#kb-preview-draft').waitFor();
    expect(await page.locator('.kb-approximation').textContent()).toContain('Approximation');
    expect(await page.locator('.kb-draft-rank').textContent()).toContain('refund_timeline');
    expect(await page.locator('.kb-preview-match').first().getAttribute('data-entry-id')).toBe(
      'refund_timeline',
    );
    await shot(page, '02-edit-preview');

    await page.click('#kb-save');
    await page.locator('#notice', { hasText: 'Saved: live on every instance now.' }).waitFor();
    await page.locator('#kb-history li', { hasText: 'Edited' }).waitFor();
    expect(await page.locator('#kb-history li').first().textContent()).toContain('admin');
    expect(await page.locator('#kb-history li').first().textContent()).toContain(
      '1 question added',
    );
    expect(await page.locator('.kb-editor-view .kb-status').textContent()).toBe('Live');
    expect(await page.locator('.kb-meta').textContent()).toContain('Edited in the console');

    await page.uncheck('#kb-preview-include-draft');
    await previewQuestion(page, question);
    expect(await page.locator('#kb-preview-action').textContent()).toBe('Answered automatically');
    await page.locator('.kb-preview-reply summary').click();
    expect(await page.locator('.kb-preview-reply .kb-readonly').textContent()).toContain(
      newSentence,
    );
    expect(await page.locator('#kb-preview-draft').count()).toBe(0);
    await shot(page, '03-saved');

    const triage = await postJson(
      service.app,
      '/v1/triage',
      { text: question },
      bearer('integration'),
    );
    expect(((await triage.json()) as { reply: { text: string } }).reply.text).toContain(
      newSentence,
    );
    const edits = await service.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'kb.document.edit')
      .execute();
    expect(edits).toHaveLength(1);
    expect(edits[0]!.actor_id).toBe('admin');

    // A new entry, then deleted after the confirmation.
    await page.goto(`${baseUrl}/console/#/kb`);
    await page.click('#kb-new');
    await page.locator('#kb-entry-id').waitFor();
    await page.fill('#kb-entry-id', 'gift_card_expiry');
    await page.selectOption('#kb-locale', 'en');
    await page.fill('#kb-field-title', 'Do gift cards expire?');
    await page.selectOption('#kb-field-category', 'payment_promo');
    await page.fill(
      '#kb-field-questions',
      [
        'Do gift cards expire?',
        'Is there an expiry date on my gift card?',
        'How long is a gift card valid?',
        'Can my gift card run out?',
        'Gift card validity period',
      ].join('\n'),
    );
    await page.fill('#kb-field-answer', 'Gift cards stay valid for three years from purchase.');
    await page.click('#kb-save');
    await page.locator('#notice', { hasText: 'Created' }).waitFor();
    await page.locator('#kb-editor-title', { hasText: 'Do gift cards expire?' }).waitFor();
    await page.click('#kb-delete');
    await page.locator('#kb-confirm').waitFor();
    expect(await page.locator('#kb-confirm p').textContent()).toContain(
      'Delete “Do gift cards expire?”',
    );
    await shot(page, '04-delete-confirm');
    await page.click('#kb-confirm-yes');
    await page.locator('#notice', { hasText: 'Deleted' }).waitFor();
    await page.locator('.kb-view').waitFor();
    const search = await service.app.request(
      `/v1/kb/search?${new URLSearchParams({ q: 'how long is my gift card valid', locale: 'en' })}`,
      { headers: bearer('agent') },
    );
    expect(
      ((await search.json()) as { matches: { id: string }[] }).matches.map((match) => match.id),
    ).not.toContain('gift_card_expiry');

    // Chinese
    await page.selectOption('#language', 'zh');
    await page.locator('.kb-view h1', { hasText: '知识库' }).waitFor();
    await page.fill('#kb-search', '退款');
    await page.locator('.kb-row[data-entry-id="refund_timeline"][data-locale="zh"]').waitFor();
    expect(await page.locator('.nav-kb').textContent()).toBe('知识库');
    await shot(page, '05-list-zh');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an agent reads entries without changing them, and can preview a question', async () => {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1360, height: 900 },
    });
    const { page, problems } = await watchedPage(context);
    await signIn(page, agent);
    await page.goto(`${baseUrl}/console/#/kb`);
    expect(await page.locator('#kb-new').count()).toBe(0);
    await page.fill('#kb-search', 'points');
    await openEntry(page, 'points_rules', 'en');
    expect(await page.locator('#kb-save').count()).toBe(0);
    expect(await page.locator('#kb-delete').count()).toBe(0);
    expect(await page.locator('#kb-field-answer').isDisabled()).toBe(true);
    expect(await page.locator('.kb-form').textContent()).toContain(
      'Only admins change the knowledge base.',
    );
    await page.uncheck('#kb-preview-include-draft');
    await previewQuestion(page, 'How much are 100 points worth?');
    expect(await page.locator('.kb-preview-match').first().getAttribute('data-entry-id')).toBe(
      'points_rules',
    );
    await shot(page, '06-agent');
    expect(problems).toEqual([]);
    await context.close();
  });
});
