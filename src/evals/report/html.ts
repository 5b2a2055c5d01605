/**
 * The HTML report: one self-contained page (inline CSS and SVG, no scripts, no external
 * assets) with each suite's metrics and changes, thresholds, variants side by side,
 * per-label scores, confusion matrix, auto-reply sweep and failing cases.
 */
import {
  confusionHeatmap,
  escapeHtml,
  type OperatingCurve,
  precisionCoverageChart,
  sweepChart,
} from './charts.js';
import { variantsSection } from './html-variants.js';
import { formatDelta, formatValue, headlineMetrics } from './headline.js';
import {
  confusionOf,
  type EvalReport,
  numericMetrics,
  perLabelOf,
  type SuiteResult,
} from './report.js';

const STYLE = `
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:24px auto;max-width:1100px;color:#111827;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:36px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}h3{font-size:15px}h4{font-size:13px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #e5e7eb;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f9fafb;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#15803d}.fail{color:#b91c1c;font-weight:600}.skip{color:#6b7280}.up{color:#15803d}.down{color:#b91c1c}
.confusion td{text-align:center;min-width:22px;font-size:12px}.confusion th.vertical{height:120px;white-space:nowrap;vertical-align:bottom}
.confusion th.vertical span{display:inline-block;writing-mode:vertical-rl;transform:rotate(180deg)}.confusion .total{color:#6b7280}
.notes{color:#4b5563}.cases td{font-size:12px}.chart{display:block;margin:8px 0}.charts{display:flex;flex-wrap:wrap;gap:12px}
.warning{background:#fffbeb;border:1px solid #f59e0b;padding:4px 8px}
`;

function metricsTable(suite: SuiteResult): string {
  const metrics = numericMetrics(suite.metrics);
  const headline = headlineMetrics[suite.kind];
  const names = [
    ...headline.filter((name) => name in metrics),
    ...Object.keys(metrics).filter((name) => !headline.includes(name)),
  ];
  const rows = names.map((name) => {
    const delta = suite.comparison?.deltas[name];
    const text = formatDelta(name, delta);
    // Higher is better except for latency, tokens and leaks.
    const better = delta !== undefined && (/Ms$|okens|leak/i.test(name) ? delta < 0 : delta > 0);
    return `<tr><td>${escapeHtml(name)}</td><td class="num">${formatValue(name, metrics[name])}</td><td class="num ${text ? (better ? 'up' : 'down') : ''}">${text}</td></tr>`;
  });
  const against = suite.comparison
    ? `vs ${escapeHtml(suite.comparison.previousStartedAt)}`
    : 'change';
  return `<table><thead><tr><th>metric</th><th>value</th><th>${against}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function thresholdsTable(suite: SuiteResult): string {
  if (suite.thresholds.length === 0) return '<p class="notes">No thresholds.</p>';
  const rows = suite.thresholds.map(
    (check) =>
      `<tr><td class="${check.pass ? 'pass' : 'fail'}">${check.pass ? 'pass' : 'FAIL'}</td><td>${escapeHtml(check.metric)}</td><td class="num">${formatValue(check.metric, check.actual)}</td><td>${check.op} ${check.value}</td></tr>`,
  );
  return `<table><thead><tr><th></th><th>threshold</th><th>actual</th><th>required</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function perLabelTable(suite: SuiteResult): string {
  const perLabel = perLabelOf(suite.metrics);
  if (!perLabel) return '';
  const entries = Object.entries(perLabel).sort((a, b) => a[1].f1 - b[1].f1);
  const shown = entries.slice(0, 40);
  const rows = shown.map(
    ([label, m]) =>
      `<tr><td>${escapeHtml(label)}</td><td class="num">${m.precision.toFixed(3)}</td><td class="num">${m.recall.toFixed(3)}</td><td class="num">${m.f1.toFixed(3)}</td><td class="num">${m.support}</td></tr>`,
  );
  const caption =
    entries.length > shown.length
      ? `<p class="notes">The ${shown.length} labels with the lowest F1 of ${entries.length}.</p>`
      : '';
  return `<h3>Per label</h3>${caption}<table><thead><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function casesTable(suite: SuiteResult): string {
  const failing = suite.cases.filter((c) => !c.pass);
  if (failing.length === 0)
    return suite.cases.length ? '<p class="pass">Every case passed.</p>' : '';
  const newly = new Set(suite.comparison?.newlyFailing ?? []);
  const shown = [...failing]
    .sort((a, b) => Number(newly.has(b.id)) - Number(newly.has(a.id)))
    .slice(0, 200);
  const rows = shown.map(
    (c) =>
      `<tr><td>${escapeHtml(c.id)}${newly.has(c.id) ? ' <span class="fail">new</span>' : ''}</td><td>${escapeHtml(c.text)}</td><td>${escapeHtml(c.failures.join('; '))}</td></tr>`,
  );
  const more =
    failing.length > shown.length
      ? `<p class="notes">${failing.length - shown.length} more in the JSON report.</p>`
      : '';
  return `<h3>Failing cases (${failing.length} of ${suite.cases.length})</h3><table class="cases"><thead><tr><th>case</th><th>text</th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

function suiteSection(suite: SuiteResult): string {
  const status = suite.skipped
    ? '<span class="skip">skipped</span>'
    : suite.pass
      ? '<span class="pass">pass</span>'
      : '<span class="fail">FAIL</span>';
  const title = `<h2 id="${escapeHtml(suite.name)}">${escapeHtml(suite.name)} <small>(${suite.kind})</small> ${status}</h2>`;
  const description = suite.description ? `<p>${escapeHtml(suite.description)}</p>` : '';
  if (suite.skipped)
    return `${title}${description}<p class="skip">${escapeHtml(suite.skipped)}</p>`;
  if (suite.error) return `${title}${description}<p class="fail">${escapeHtml(suite.error)}</p>`;
  const subset = suite.caseCount < suite.totalCases ? ` of ${suite.totalCases}` : '';
  const notes = [
    `${suite.caseCount}${subset} cases in ${(suite.durationMs / 1000).toFixed(1)} s`,
    ...suite.notes,
  ];
  const parts = [
    title,
    description,
    `<p class="notes">${notes.map(escapeHtml).join('<br>')}</p>`,
    '<h3>Metrics</h3>',
    metricsTable(suite),
    '<h3>Thresholds</h3>',
    thresholdsTable(suite),
  ];
  parts.splice(
    3,
    0,
    ...(suite.warnings ?? []).map((warning) => `<p class="warning">${escapeHtml(warning)}</p>`),
  );
  if (suite.variants) parts.push(variantsSection(suite));
  if (suite.sweep) {
    parts.push(
      '<h3>Auto-reply precision and coverage by retrieval threshold</h3>',
      `<p class="notes">Each case re-decided offline by the decision policy at each threshold (same for every category); the re-decision reproduced ${(suite.sweep.replayAgreement * 100).toFixed(1)} % of recorded decisions. Right: the same sweep as precision against coverage${suite.variants ? ', one curve per variant' : ''}; the ring is the operating point the run measured.</p>`,
      `<div class="charts">${sweepChart(suite.sweep.points)}${precisionCoverageChart(operatingCurves(suite))}</div>`,
    );
  }
  const confusion = confusionOf(suite.metrics);
  if (confusion) parts.push('<h3>Confusion matrix</h3>', confusionHeatmap(confusion));
  parts.push(perLabelTable(suite), casesTable(suite));
  return `<section>${parts.join('\n')}</section>`;
}

function operatingCurves(suite: SuiteResult): OperatingCurve[] {
  const measuredOf = (metrics: SuiteResult['metrics']) => {
    const values = numericMetrics(metrics);
    return values.autoReplyPrecision !== undefined && values.autoReplyCoverage !== undefined
      ? { measured: { precision: values.autoReplyPrecision, coverage: values.autoReplyCoverage } }
      : {};
  };
  if (!suite.variants)
    return [{ name: suite.name, points: suite.sweep!.points, ...measuredOf(suite.metrics) }];
  return suite.variants.runs.flatMap((run) =>
    run.sweep ? [{ name: run.name, points: run.sweep.points, ...measuredOf(run.metrics) }] : [],
  );
}

export function formatHtml(report: EvalReport): string {
  const summaryRows = report.suites.map((suite) => {
    const metrics = numericMetrics(suite.metrics);
    const shown = headlineMetrics[suite.kind]
      .filter((name) => name in metrics)
      .map((name) => `${name} ${formatValue(name, metrics[name])}`);
    const status = suite.skipped
      ? '<span class="skip">skipped</span>'
      : suite.pass
        ? '<span class="pass">pass</span>'
        : '<span class="fail">FAIL</span>';
    return `<tr><td>${status}</td><td><a href="#${escapeHtml(suite.name)}">${escapeHtml(suite.name)}</a></td><td>${suite.kind}</td><td class="num">${suite.caseCount}</td><td>${escapeHtml(shown.join(', ') || suite.skipped || suite.error || '')}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Eval report ${escapeHtml(report.startedAt)}</title><style>${STYLE}</style></head>
<body>
<h1>Eval report: <span class="${report.pass ? 'pass' : 'fail'}">${report.pass ? 'pass' : 'FAIL'}</span></h1>
<p class="notes">Provider ${escapeHtml(report.provider)} · started ${escapeHtml(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s · Node ${escapeHtml(report.environment.node)}${report.environment.classifier ? ` · classifier ${escapeHtml(report.environment.classifier)}` : ''}${report.environment.embedder ? ` · embedder ${escapeHtml(report.environment.embedder)}` : ''}${report.environment.llmCache ? ` · LLM cache ${report.environment.llmCache.hits} hits, ${report.environment.llmCache.misses} misses (cached answers have no provider latency)` : ''}</p>
<table><thead><tr><th></th><th>suite</th><th>kind</th><th>cases</th><th>headline</th></tr></thead><tbody>${summaryRows.join('')}</tbody></table>
${report.suites.map(suiteSection).join('\n')}
</body></html>
`;
}
