/**
 * The widget in a real browser, embedded the way a shop embeds it: the service on one local
 * origin, a shop page on another (with its own hostile styles and a strict CSP naming only the
 * service), the script tag pasted as the README shows. A visitor opens the panel, asks a
 * question the local model answers, and sees the reply arrive; the history survives a reload;
 * a Chinese browser gets the Chinese panel and markup typed by a visitor stays text.
 * Screenshots go to test-artifacts/widget/. Named `*.routes*.test.ts` so it runs in the
 * database projects.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from '../../testing/browser.js';
import { startTestService, type TestService } from '../../testing/service.js';

const artifacts = fileURLToPath(new URL('../../../test-artifacts/widget/', import.meta.url));
const siteKey = 'demo-shop';

let service: TestService;
let app: ServerType;
let shop: Server;
let serviceUrl: string;
let shopUrl: string;
let browser: Browser;

/** The shop's page: its own styles that would wreck an unprotected widget, and a strict CSP. */
function shopPage(lang?: string) {
  const langAttribute = lang ? ` data-lang="${lang}"` : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Demo shop</title>
<style>
  * { color: #e00 !important; font-family: Georgia, serif; font-size: 22px; }
  button { background: yellow; border: 5px dashed #e00; padding: 40px; }
  div { margin: 30px; }
</style></head>
<body><h1>Demo shop</h1><p>Winter jackets, 30% off.</p>
<script src="${serviceUrl}/widget.js" data-site-key="${siteKey}"${langAttribute} async></script>
</body></html>`;
}

function listen(server: Server) {
  return new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
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

const available = await browserAvailable();

describe.skipIf(!available)('web chat widget on a shop page', () => {
  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    // The shop first: its origin is what the service must allow.
    shop = createServer((request, response) => {
      const lang = new URL(request.url ?? '/', 'http://shop').searchParams.get('lang');
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'self'; script-src ${serviceUrl}; connect-src ${serviceUrl}; style-src 'unsafe-inline'`,
      });
      response.end(shopPage(lang ?? undefined));
    });
    shopUrl = await listen(shop);
    service = await startTestService({
      WIDGET_SITE_KEYS: siteKey,
      WIDGET_ALLOWED_ORIGINS: shopUrl,
    });
    // As `triage serve` does: replies leave through the outbox, channels start.
    service.outbox.start();
    await service.channelRegistry.start();
    app = await new Promise<ServerType>((resolve) => {
      // Served on 127.0.0.1 and named localhost: another origin than the shop (127.0.0.1).
      const started = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started),
      );
    });
    serviceUrl = `http://localhost:${(app.address() as AddressInfo).port}`;
    browser = (await launchBrowser())!;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
    await new Promise((resolve) => (shop ? shop.close(resolve) : resolve(undefined)));
    await service?.close();
  });

  it('opens, sends a question and shows the bot answer; the history survives a reload', async () => {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1100, height: 760 },
    });
    const { page, problems } = await watchedPage(context);
    await page.goto(`${shopUrl}/product/jacket`);
    const launcher = page.locator('[data-triage-widget] .tw-launcher');
    await launcher.waitFor();
    expect(await launcher.textContent()).toBe('Chat with us');
    // The shop's `* { color: red !important }` and button rules do not reach into the widget.
    expect(await launcher.evaluate((node) => getComputedStyle(node).backgroundColor)).toBe(
      'rgb(20, 99, 216)',
    );
    expect(await launcher.evaluate((node) => getComputedStyle(node).color)).toBe(
      'rgb(255, 255, 255)',
    );
    await shot(page, '01-closed');

    await launcher.click();
    const panel = page.locator('.tw-panel');
    await panel.waitFor();
    expect(await page.locator('.tw-title').textContent()).toBe('Customer service');
    const question = 'How long does a refund take to reach my card?';
    await page.locator('.tw-input').fill(question);
    await shot(page, '02-typed');
    await page.locator('.tw-send').click();

    await page.locator('.tw-msg.tw-customer').first().waitFor();
    expect(await page.locator('.tw-input').inputValue()).toBe('');
    const reply = page.locator('.tw-msg.tw-bot').first();
    await reply.waitFor({ timeout: 30_000 });
    const replyText = (await reply.textContent()) ?? '';
    expect(replyText).toMatch(/^Assistant/);
    expect(replyText).toMatch(/refund/i);
    expect(await page.locator('.tw-msg.tw-customer').count()).toBe(1);
    expect(await page.locator('.tw-msg.tw-customer').textContent()).toBe(`You${question}`);
    expect(await reply.evaluate((node) => getComputedStyle(node).color)).toBe('rgb(31, 35, 40)');
    await shot(page, '03-answered');

    // What the service stored: one customer message from this visitor, the bot's reply delivered.
    const visitorId = await page.evaluate(
      (key) => localStorage.getItem(`triage-widget:visitor:${key}`),
      siteKey,
    );
    expect(visitorId).toMatch(/^[0-9a-f]{32}$/);
    const stored = await service.conversations.getByExternalId('widget', `${siteKey}:${visitorId}`);
    expect(stored.messages.map((message) => message.author)).toEqual(['customer', 'bot']);
    expect(replyText).toContain(stored.messages[1]!.text);

    // Back later: the same visitor, the conversation shown again when the panel opens.
    await page.reload();
    await page.locator('.tw-launcher').click();
    await page.locator('.tw-msg.tw-bot').first().waitFor();
    expect(await page.locator('.tw-msg.tw-customer').count()).toBe(1);
    await shot(page, '04-reloaded');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('speaks Chinese to a Chinese browser and shows markup as text', async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 900, height: 760 },
    });
    const { page, problems } = await watchedPage(context);
    await page.goto(shopUrl);
    await page.locator('.tw-launcher').click();
    expect(await page.locator('.tw-title').textContent()).toBe('在线客服');
    expect(await page.locator('.tw-input').getAttribute('placeholder')).toBe('请输入您的问题…');

    const markup = '<img src=x onerror="window.pwned=1">退款多久到账？';
    await page.locator('.tw-input').fill(markup);
    await page.locator('.tw-input').press('Enter');
    await page.locator('.tw-msg.tw-bot').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.tw-msg.tw-customer').textContent()).toBe(`我${markup}`);
    expect(await page.locator('[data-triage-widget] img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('.tw-msg.tw-bot').first().textContent()).toMatch(/^智能助手/);
    await shot(page, '05-chinese');

    // data-lang on the tag wins over the browser's language.
    await page.goto(`${shopUrl}/?lang=en`);
    await page.locator('.tw-launcher', { hasText: 'Chat with us' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
