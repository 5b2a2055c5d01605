/** A Markdown summary of a run for pull requests: the suites table, failed thresholds, changed cases. */
import { formatDelta, formatValue, headlineMetrics } from './headline.js';
import { numericMetrics, type EvalReport } from './report.js';

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
      lines.push(`| ${status} | ${suite.name} | ${suite.kind} | | ${cell(suite.skipped ? `skipped: ${suite.skipped}` : `error: ${suite.error}`)} | |`);
      continue;
    }
    const metrics = numericMetrics(suite.metrics);
    const shown = headlineMetrics[suite.kind]
      .filter((metric) => metrics[metric] !== undefined)
      .map((metric) => {
        const delta = formatDelta(metric, suite.comparison?.deltas[metric]);
        return `${metric} ${formatValue(metric, metrics[metric])}${delta ? ` (${delta})` : ''}`;
      });
    const thresholds = suite.thresholds.map((check) => `${check.pass ? '' : '**✗** '}${check.metric} ${formatValue(check.metric, check.actual)} ${check.op} ${check.value}`);
    lines.push(`| ${status} | ${suite.name} | ${suite.kind} | ${suite.caseCount} | ${cell(shown.join(', '))} | ${cell(thresholds.join(', '))} |`);
  }
  for (const suite of report.suites) {
    const changed = suite.comparison && (suite.comparison.newlyFailing.length || suite.comparison.newlyPassing.length);
    const failing = suite.cases.filter((c) => !c.pass);
    if (!changed && failing.length === 0) continue;
    lines.push('', `<details><summary>${suite.name}: ${failing.length} failing cases${changed ? `, ${suite.comparison!.newlyFailing.length} newly failing, ${suite.comparison!.newlyPassing.length} newly passing` : ''}</summary>`, '');
    if (changed) {
      if (suite.comparison!.newlyFailing.length) lines.push(`Newly failing: ${suite.comparison!.newlyFailing.slice(0, 30).join(', ')}`, '');
      if (suite.comparison!.newlyPassing.length) lines.push(`Newly passing: ${suite.comparison!.newlyPassing.slice(0, 30).join(', ')}`, '');
    }
    lines.push('| case | text | why |', '|---|---|---|');
    for (const c of failing.slice(0, 20)) lines.push(`| ${cell(c.id)} | ${cell(c.text.slice(0, 80))} | ${cell(c.failures.join('; '))} |`);
    if (failing.length > 20) lines.push(`| … | ${failing.length - 20} more | |`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}
