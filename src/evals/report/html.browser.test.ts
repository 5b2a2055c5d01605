/**
 * The HTML report in a real headless Chromium: it renders without errors, the charts and
 * the confusion matrix are on the page with a real size, nothing overflows the page. The
 * screenshot is written to test-artifacts/eval-report.png for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, browserMissing, launchBrowser } from '../../testing/browser.js';
import { repositoryRoot } from '../data-files.js';
import { sampleReport } from './__fixtures__/sample-report.js';
import { formatHtml } from './html.js';
import type { SuiteResult } from './report.js';

const artifacts = join(repositoryRoot, 'test-artifacts');

/** A 50-intent classification suite: its confusion matrix is drawn as an SVG grid. */
function manyLabels(): SuiteResult {
  const labels = Array.from(
    { length: 50 },
    (_, index) => `intent_${String(index).padStart(2, '0')}`,
  );
  const matrix = labels.map((_, i) =>
    labels.map((__, j) => (i === j ? 18 : (i + 1) % 50 === j ? 2 : 0)),
  );
  return {
    name: 'clinc-like',
    kind: 'classification',
    file: 'evals/clinc-like.yaml',
    pass: true,
    metrics: { accuracy: 0.9, macroF1: 0.9, confusion: { labels, matrix } },
    thresholds: [{ metric: 'accuracy', op: '>=', value: 0.85, actual: 0.9, pass: true }],
    cases: [],
    caseCount: 1000,
    totalCases: 1000,
    durationMs: 5000,
    notes: [],
  };
}

const available = await browserAvailable();

describe.skipIf(!available)('the HTML report in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = (await launchBrowser())!;
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    const report = sampleReport();
    report.suites.push(manyLabels());
    await page.setContent(formatHtml(report), { waitUntil: 'load' });
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'eval-report.png'), fullPage: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const box = async (selector: string) => {
    const element = page.locator(selector).first();
    await expect(element.isVisible()).resolves.toBe(true);
    const bounds = await element.boundingBox();
    return bounds!;
  };

  it('shows the confusion matrix as a table and, for many labels, as a grid', async () => {
    const table = await box('table.confusion');
    expect(table.width).toBeGreaterThan(200);
    expect(table.height).toBeGreaterThan(100);
    // 5 labels: a header row and 5 rows of 5 counts and a total
    await expect(page.locator('table.confusion tbody tr').count()).resolves.toBe(5);
    await expect(
      page.locator('table.confusion tbody tr:first-child td').first().textContent(),
    ).resolves.toBe('18');
    const grid = await box('svg[aria-label="confusion matrix"]');
    expect(grid.width).toBeGreaterThanOrEqual(500);
    expect(grid.height).toBeGreaterThanOrEqual(500);
  });

  it('draws both sweep charts with lines of real length', async () => {
    for (const label of [
      'auto-reply precision and coverage by retrieval threshold',
      'auto-reply precision against coverage',
    ]) {
      const chart = await box(`svg[aria-label="${label}"]`);
      expect(chart.width).toBeGreaterThan(400);
      expect(chart.height).toBeGreaterThan(200);
      const lines = await page
        .locator(`svg[aria-label="${label}"] polyline`)
        .evaluateAll((elements) =>
          elements.map((element) => {
            const bounds = (element as SVGGraphicsElement).getBBox();
            return { width: bounds.width, height: bounds.height };
          }),
        );
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) expect(line.width + line.height).toBeGreaterThan(50);
    }
    // Side by side on a wide screen.
    const [left, right] = await Promise.all([
      box('svg[aria-label="auto-reply precision and coverage by retrieval threshold"]'),
      box('svg[aria-label="auto-reply precision against coverage"]'),
    ]);
    expect(right.x).toBeGreaterThan(left.x + left.width - 1);
  });

  it('shows the variants side by side and the cases that changed', async () => {
    const table = await box('table.variants');
    expect(table.width).toBeGreaterThan(300);
    await expect(page.locator('table.variants thead th').allTextContents()).resolves.toEqual([
      'metric',
      'configuredas configured',
      'strictretrievalThreshold=0.7',
      'gptprovider=openai',
    ]);
    await expect(
      page.getByText('where is my parcel <ZT1400> pls').first().isVisible(),
    ).resolves.toBe(true);
  });

  it('renders Chinese text, logs nothing, loads nothing and fits the page width', async () => {
    const width = await page
      .getByText('快递三天没动了 怎么回事')
      .first()
      .evaluate((element) => element.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(50);
    expect(problems).toEqual([]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

describe.skipIf(available)('the HTML report in Chromium', () => {
  it.skip(`skipped: ${browserMissing}`, () => {});
});
