import { describe, expect, it } from 'vitest';
import { sampleReport } from './__fixtures__/sample-report.js';
import { precisionCoverageChart } from './charts.js';
import { formatHtml } from './html.js';
import { formatMarkdown } from './markdown.js';
import { evalReportSchema } from './report.js';
import { formatReport } from './terminal.js';

const report = sampleReport();

describe('variants in every report', () => {
  it('keep the JSON contract and add suites[].variants', () => {
    const parsed = evalReportSchema.parse(JSON.parse(JSON.stringify(report)));
    expect(parsed.suites[0]).toMatchObject({
      name: 'triage',
      kind: 'triage',
      metrics: { autoReplyPrecision: 0.9 },
      cases: expect.any(Array),
    });
    expect(parsed.suites[0]!.variants!.runs.map((run) => run.name)).toEqual([
      'configured',
      'strict',
      'gpt',
    ]);
  });

  it('terminal: a metric-by-variant table with changes, and what changed per variant', () => {
    const text = formatReport(report);
    const lines = text.split('\n');
    const header = lines.find((line) => line.includes('variants vs configured'))!;
    expect(header).toMatch(/variants vs configured\s+configured\s+strict\s+gpt/);
    expect(lines.find((line) => line.trim().startsWith('autoReplyCoverage'))).toMatch(
      /0\.600\s+0\.450 \(−0\.150\)\s+error/,
    );
    expect(text).toContain(
      '✓ strict (retrievalThreshold=0.7): 1 case changed outcome: 1 newly failing (t002), 0 newly passing',
    );
    expect(text).toContain(
      '✗ gpt (provider=openai): error: MODEL_PROVIDER=openai needs OPENAI_API_KEY',
    );
    expect(text).toContain('✓ configured (as configured): reference');
    expect(text).toContain('! promptfooconfig.yaml: 2 promptfoo assertions not imported');
  });

  it('Markdown: the same table and the changed cases', () => {
    const markdown = formatMarkdown(report);
    expect(markdown).toContain('### triage: variants (against configured)');
    expect(markdown).toContain('| autoReplyPrecision | 0.900 | 0.950 (+0.050) | error |');
    expect(markdown).toContain('| thresholds | ✅ | ✅ | error |');
    expect(markdown).toContain('- **strict** (retrievalThreshold=0.7): 1 case changed outcome');
    expect(markdown).toContain(
      '| t002 | where is my parcel <ZT1400> pls | ✅ logistics · auto_reply · low · cites tracking_howto | ❌ logistics · handoff · low · cites nothing |',
    );
    expect(markdown).toContain('> ⚠️ triage: promptfooconfig.yaml: 2 promptfoo assertions');
  });

  it('HTML: the variants table, changed cases, both sweep charts and the warning, escaped', () => {
    const html = formatHtml(report);
    expect(html).toContain('<table class="variants">');
    expect(html).toMatch(/<td class="num">0\.450 <span class="down">−0\.150<\/span><\/td>/);
    expect(html).toMatch(/<td class="num">0\.950 <span class="up">\+0\.050<\/span><\/td>/);
    expect(html).toContain('strict: 1 case changed outcome');
    expect(html).toContain('where is my parcel &lt;ZT1400&gt; pls');
    expect(html).toContain('aria-label="auto-reply precision and coverage by retrieval threshold"');
    expect(html).toContain('aria-label="auto-reply precision against coverage"');
    expect(html).toContain('<p class="warning">');
    expect(html).not.toMatch(/<script|<link|src="|href="http/);
  });
});

describe('precisionCoverageChart', () => {
  it('draws one curve per variant inside the plot, with the measured operating point', () => {
    const suite = report.suites[0]!;
    const curves = suite
      .variants!.runs.filter((run) => run.sweep)
      .map((run) => ({
        name: run.name,
        points: run.sweep!.points,
        measured: { precision: 0.9, coverage: 0.6 },
      }));
    const svg = precisionCoverageChart(curves);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/class="measured"/g)).toHaveLength(2);
    const plotted = [
      ...svg.matchAll(/<circle (?:class="measured" )?cx="([\d.]+)" cy="([\d.]+)" r="[37]"/g),
    ];
    expect(plotted).toHaveLength(2 * 17 + 2);
    for (const match of plotted) {
      expect(Number(match[1])).toBeGreaterThanOrEqual(48);
      expect(Number(match[1])).toBeLessThanOrEqual(430);
      expect(Number(match[2])).toBeGreaterThanOrEqual(16);
      expect(Number(match[2])).toBeLessThanOrEqual(260);
    }
    // the higher-precision point sits higher (smaller y)
    const measured = [...svg.matchAll(/class="measured" cx="[\d.]+" cy="([\d.]+)"/g)].map((match) =>
      Number(match[1]),
    );
    expect(measured[0]).toBe(measured[1]);
    expect(
      precisionCoverageChart([
        { name: 'a', points: [], measured: { precision: 1, coverage: 0.5 } },
      ]),
    ).toContain('class="measured"');
  });
});
