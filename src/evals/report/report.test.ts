import { describe, expect, it } from 'vitest';
import { confusionHeatmap, escapeHtml, sweepChart } from './charts.js';
import { formatHtml } from './html.js';
import { formatMarkdown } from './markdown.js';
import type { EvalReport, SuiteResult } from './report.js';
import { formatReport } from './terminal.js';

const triageSuite: SuiteResult = {
  name: 'triage',
  kind: 'triage',
  file: 'evals/triage.yaml',
  pass: false,
  metrics: {
    categoryAccuracy: 0.8,
    autoReplyPrecision: 0.9,
    autoReplyCoverage: 0.35,
    latencyP50Ms: 29.5,
    confusion: {
      labels: ['logistics', 'refund'],
      matrix: [
        [3, 1],
        [0, 4],
      ],
    },
    perLabel: {
      logistics: { precision: 1, recall: 0.75, f1: 0.857, support: 4 },
      refund: { precision: 0.8, recall: 1, f1: 0.889, support: 4 },
    },
  },
  thresholds: [
    { metric: 'categoryAccuracy', op: '>=', value: 0.85, actual: 0.8, pass: false },
    { metric: 'autoReplyPrecision', op: '>=', value: 0.8, actual: 0.9, pass: true },
  ],
  cases: [
    {
      id: 't1',
      text: '快递<b>到哪了</b>',
      pass: false,
      expected: {},
      actual: {},
      failures: ['category refund instead of logistics'],
    },
    { id: 't2', text: 'ok', pass: true, expected: {}, actual: {}, failures: [] },
  ],
  caseCount: 2,
  totalCases: 336,
  durationMs: 1234,
  notes: [],
  sweep: {
    points: [
      { threshold: 0.1, autoReplyPrecision: 0.6, autoReplyCoverage: 0.55, autoReplies: 10 },
      { threshold: 0.5, autoReplyPrecision: 0.9, autoReplyCoverage: 0.35, autoReplies: 6 },
      { threshold: 0.9, autoReplyPrecision: null, autoReplyCoverage: 0, autoReplies: 0 },
    ],
    replayAgreement: 1,
  },
  comparison: {
    previousStartedAt: '2026-01-01T00:00:00.000Z',
    deltas: { categoryAccuracy: -0.05, autoReplyPrecision: 0 },
    newlyFailing: ['t1'],
    newlyPassing: [],
  },
};

const report: EvalReport = {
  version: 1,
  provider: 'local',
  startedAt: '2026-01-02T00:00:00.000Z',
  finishedAt: '2026-01-02T00:00:02.000Z',
  durationMs: 2000,
  pass: false,
  concurrency: 1,
  environment: { node: 'v20', platform: 'linux-x64' },
  suites: [
    triageSuite,
    {
      name: 'clinc150',
      kind: 'classification',
      file: 'evals/clinc150.yaml',
      pass: true,
      skipped: 'data set clinc150/train.jsonl not found',
      metrics: {},
      thresholds: [],
      cases: [],
      caseCount: 0,
      totalCases: 0,
      durationMs: 0,
      notes: [],
    },
  ],
};

describe('terminal and Markdown summaries', () => {
  it('show each suite, its failed thresholds, changes and skips', () => {
    const text = formatReport(report);
    expect(text).toContain('✗ triage (triage)  2 of 336 cases');
    expect(text).toContain('categoryAccuracy 0.800 (−0.050)');
    expect(text).toContain('✗ categoryAccuracy 0.800 >= 0.85');
    expect(text).toContain('1 cases newly failing (t1)');
    expect(text).toContain(
      '– clinc150 (classification)  skipped: data set clinc150/train.jsonl not found',
    );
    expect(text).toMatch(/FAIL: triage/);

    const markdown = formatMarkdown(report);
    expect(markdown).toContain('## Eval: FAIL');
    expect(markdown).toContain('**✗** categoryAccuracy 0.800 >= 0.85');
    expect(markdown).toContain('Newly failing: t1');
  });
});

describe('HTML report', () => {
  const html = formatHtml(report);

  it('is one self-contained page with the confusion matrix and the sweep chart', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src="|href="http/);
    expect(html).toContain('<table class="confusion">');
    expect(html).toContain('aria-label="auto-reply precision and coverage by retrieval threshold"');
  });

  it('escapes case texts', () => {
    expect(html).toContain('快递&lt;b&gt;到哪了&lt;/b&gt;');
    expect(html).not.toContain('<b>到哪了</b>');
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });
});

describe('charts', () => {
  it('plots precision and coverage against the threshold inside the plot area, skipping undefined points', () => {
    const svg = sweepChart(triageSuite.sweep!.points);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    // 2 precision points (the third is undefined) + 3 coverage points
    expect(svg.match(/<circle/g)).toHaveLength(5);
    const coordinates = [...svg.matchAll(/cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    for (const [x, y] of coordinates) {
      expect(x).toBeGreaterThanOrEqual(48);
      expect(x).toBeLessThanOrEqual(430);
      expect(y).toBeGreaterThanOrEqual(16);
      expect(y).toBeLessThanOrEqual(260);
    }
    // precision 0.9 at threshold 0.5 sits higher (smaller y) than coverage 0.35 there
    expect(svg).toMatch(/threshold 0.5: precision 0.900/);
  });

  it('draws large confusion matrices as an SVG grid with the most confused pairs', () => {
    const labels = Array.from({ length: 50 }, (_, index) => `intent_${index}`);
    const matrix = labels.map((_, i) =>
      labels.map((__, j) => (i === j ? 9 : i === 0 && j === 1 ? 3 : 0)),
    );
    const html = confusionHeatmap({ labels, matrix });
    expect(html).toContain('aria-label="confusion matrix"');
    expect(html.match(/<rect x=/g)).toHaveLength(51);
    expect(html).toContain('<tr><td>intent_0</td><td>intent_1</td><td>3</td></tr>');
  });
});
