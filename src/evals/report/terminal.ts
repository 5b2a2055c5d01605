/** The terminal summary of a run: one block per suite, its headline metrics, thresholds and changes. */
import { numericMetrics, type EvalReport, type SuiteResult } from './report.js';
import { formatDelta, formatValue, headlineMetrics } from './headline.js';
import { changeSummary, overridesText, variantMetricNames, variantValue } from './variant-table.js';

export function formatSuite(suite: SuiteResult): string {
  const status = suite.skipped ? '–' : suite.pass ? '✓' : '✗';
  const head = `${status} ${suite.name} (${suite.kind})`;
  if (suite.skipped) return `${head}  skipped: ${suite.skipped}`;
  if (suite.error) return `${head}  error: ${suite.error}`;
  const metrics = numericMetrics(suite.metrics);
  const subset = suite.caseCount < suite.totalCases ? ` of ${suite.totalCases}` : '';
  const lines = [
    `${head}  ${suite.caseCount}${subset} cases, ${(suite.durationMs / 1000).toFixed(1)} s`,
  ];
  const shown = [...headlineMetrics[suite.kind], 'latencyP50Ms', 'tokensPerCase'].filter(
    (metric) => metrics[metric] !== undefined,
  );
  const cells = shown.map((metric) => {
    const delta = formatDelta(metric, suite.comparison?.deltas[metric]);
    return `${metric} ${formatValue(metric, metrics[metric])}${delta ? ` (${delta})` : ''}`;
  });
  lines.push(`    ${cells.join('  ')}`);
  for (const check of suite.thresholds) {
    lines.push(
      `    ${check.pass ? '✓' : '✗'} ${check.metric} ${formatValue(check.metric, check.actual)} ${check.op} ${check.value}`,
    );
  }
  if (
    suite.comparison &&
    (suite.comparison.newlyFailing.length || suite.comparison.newlyPassing.length)
  ) {
    lines.push(
      `    vs ${suite.comparison.previousStartedAt}: ${suite.comparison.newlyFailing.length} cases newly failing` +
        `${preview(suite.comparison.newlyFailing)}, ${suite.comparison.newlyPassing.length} newly passing${preview(suite.comparison.newlyPassing)}`,
    );
  }
  for (const warning of suite.warnings ?? []) lines.push(`    ! ${warning}`);
  if (suite.variants) lines.push(...variantLines(suite));
  return lines.join('\n');
}

/** A metric-by-variant table, then what changed in each variant against the reference. */
function variantLines(suite: SuiteResult): string[] {
  const runs = suite.variants!.runs;
  const names = variantMetricNames(suite);
  const cells = (run: (typeof runs)[number], metric: string) => {
    const { value, delta } = variantValue(run, metric);
    return delta ? `${value} (${delta})` : value;
  };
  const header = [`variants vs ${suite.variants!.reference}`, ...runs.map((run) => run.name)];
  const rows = names.map((metric) => [metric, ...runs.map((run) => cells(run, metric))]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((row) => row[column]!.length)),
  );
  const line = (row: string[]) =>
    `    ${row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd()}`;
  const lines = [line(header), ...rows.map(line)];
  for (const run of runs) {
    const status = run.error ? '✗' : run.pass ? '✓' : '✗';
    const changes = run.name === suite.variants!.reference ? 'reference' : changeSummary(run);
    lines.push(`    ${status} ${run.name} (${overridesText(run)}): ${changes}`);
  }
  return lines;
}

function preview(ids: string[]): string {
  if (ids.length === 0) return '';
  return ` (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''})`;
}

export function formatReport(report: EvalReport): string {
  const blocks = report.suites.map(formatSuite);
  const failed = report.suites.filter((suite) => !suite.pass);
  const skipped = report.suites.filter((suite) => suite.skipped).length;
  const summary = failed.length
    ? `FAIL: ${failed.map((suite) => suite.name).join(', ')}`
    : `PASS: ${report.suites.length - skipped} suites${skipped ? `, ${skipped} skipped` : ''}`;
  const cache = report.environment.llmCache
    ? `, LLM cache ${report.environment.llmCache.hits} hits / ${report.environment.llmCache.misses} misses`
    : '';
  return `${blocks.join('\n')}\n\n${summary} (provider ${report.provider}, ${(report.durationMs / 1000).toFixed(1)} s${cache})`;
}
