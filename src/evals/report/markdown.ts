/** A Markdown summary of a run for pull requests: the suites table, failed thresholds, variants side by side, changed cases. */
import { formatDelta, formatValue, headlineMetrics } from './headline.js';
import { numericMetrics, type EvalReport, type SuiteResult } from './report.js';
import { changeSummary, overridesText, variantMetricNames, variantValue } from './variant-table.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function formatMarkdown(report: EvalReport): string {
  const lines = [
    `## Eval: ${report.pass ? 'pass' : 'FAIL'}`,
    '',
    `Provider \`${report.provider}\`, ${report.startedAt}, ${(report.durationMs / 1000).toFixed(1)} s.`,
    '',
    '| | suite | kind | cases | metrics | thresholds |',
    '|---|---|---|---|---|---|',
  ];
  for (const suite of report.suites) {
    const status = suite.skipped ? '➖' : suite.pass ? '✅' : '❌';
    if (suite.skipped || suite.error) {
      lines.push(
        `| ${status} | ${suite.name} | ${suite.kind} | | ${cell(suite.skipped ? `skipped: ${suite.skipped}` : `error: ${suite.error}`)} | |`,
      );
      continue;
    }
    const metrics = numericMetrics(suite.metrics);
    const shown = headlineMetrics[suite.kind]
      .filter((metric) => metrics[metric] !== undefined)
      .map((metric) => {
        const delta = formatDelta(metric, suite.comparison?.deltas[metric]);
        return `${metric} ${formatValue(metric, metrics[metric])}${delta ? ` (${delta})` : ''}`;
      });
    const thresholds = suite.thresholds.map(
      (check) =>
        `${check.pass ? '' : '**✗** '}${check.metric} ${formatValue(check.metric, check.actual)} ${check.op} ${check.value}`,
    );
    lines.push(
      `| ${status} | ${suite.name} | ${suite.kind} | ${suite.caseCount} | ${cell(shown.join(', '))} | ${cell(thresholds.join(', '))} |`,
    );
  }
  for (const suite of report.suites) {
    for (const warning of suite.warnings ?? []) lines.push('', `> ⚠️ ${suite.name}: ${warning}`);
  }
  for (const suite of report.suites) if (suite.variants) lines.push('', ...variantSection(suite));
  for (const suite of report.suites) {
    const changed =
      suite.comparison &&
      (suite.comparison.newlyFailing.length || suite.comparison.newlyPassing.length);
    const failing = suite.cases.filter((c) => !c.pass);
    if (!changed && failing.length === 0) continue;
    lines.push(
      '',
      `<details><summary>${suite.name}: ${failing.length} failing cases${changed ? `, ${suite.comparison!.newlyFailing.length} newly failing, ${suite.comparison!.newlyPassing.length} newly passing` : ''}</summary>`,
      '',
    );
    if (changed) {
      if (suite.comparison!.newlyFailing.length)
        lines.push(`Newly failing: ${suite.comparison!.newlyFailing.slice(0, 30).join(', ')}`, '');
      if (suite.comparison!.newlyPassing.length)
        lines.push(`Newly passing: ${suite.comparison!.newlyPassing.slice(0, 30).join(', ')}`, '');
    }
    lines.push('| case | text | why |', '|---|---|---|');
    for (const c of failing.slice(0, 20))
      lines.push(
        `| ${cell(c.id)} | ${cell(c.text.slice(0, 80))} | ${cell(c.failures.join('; '))} |`,
      );
    if (failing.length > 20) lines.push(`| … | ${failing.length - 20} more | |`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

/** Metrics by variant with the change from the reference, then each variant's changed cases. */
function variantSection(suite: SuiteResult): string[] {
  const { runs, reference } = suite.variants!;
  const lines = [
    `### ${suite.name}: variants (against ${reference})`,
    '',
    `| metric | ${runs.map((run) => cell(run.name)).join(' | ')} |`,
    `|---|${runs.map(() => '---:').join('|')}|`,
  ];
  for (const metric of variantMetricNames(suite)) {
    const values = runs.map((run) => {
      const { value, delta } = variantValue(run, metric);
      return delta ? `${value} (${delta})` : value;
    });
    lines.push(`| ${metric} | ${values.join(' | ')} |`);
  }
  lines.push(
    `| thresholds | ${runs.map((run) => (run.error ? 'error' : run.pass ? '✅' : '❌')).join(' | ')} |`,
    '',
  );
  for (const run of runs) {
    if (run.name === reference) continue;
    lines.push(
      `- **${cell(run.name)}** (${cell(overridesText(run))}): ${cell(changeSummary(run))}`,
    );
  }
  for (const run of runs) {
    if (run.changedCases.length === 0) continue;
    lines.push(
      '',
      `<details><summary>${run.name}: ${run.changedCases.length} case${run.changedCases.length === 1 ? '' : 's'} changed outcome</summary>`,
      '',
      `| case | text | ${reference} | ${run.name} |`,
      '|---|---|---|---|',
    );
    for (const item of run.changedCases.slice(0, 30)) {
      const mark = (pass: boolean) => (pass ? '✅' : '❌');
      lines.push(
        `| ${cell(item.id)} | ${cell(item.text.slice(0, 60))} | ${mark(item.reference.pass)} ${cell(item.reference.outcome)} | ${mark(item.variant.pass)} ${cell(item.variant.outcome)} |`,
      );
    }
    if (run.changedCases.length > 30)
      lines.push(`| … | ${run.changedCases.length - 30} more in the JSON report | | |`);
    lines.push('', '</details>');
  }
  return lines;
}
