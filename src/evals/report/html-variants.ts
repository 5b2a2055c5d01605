/** The HTML report's variants section: metrics by variant with the change from the reference, and the cases whose outcome changed. */
import { escapeHtml } from './charts.js';
import type { SuiteResult } from './report.js';
import { changeSummary, overridesText, variantMetricNames, variantValue } from './variant-table.js';

const CHANGED_CASES_SHOWN = 100;

export function variantsSection(suite: SuiteResult): string {
  const { runs, reference } = suite.variants!;
  const header = runs
    .map(
      (run) =>
        `<th>${escapeHtml(run.name)}<br><small class="notes">${escapeHtml(overridesText(run))}</small></th>`,
    )
    .join('');
  const rows = variantMetricNames(suite).map((metric) => {
    const cells = runs.map((run) => {
      const { value, delta, better } = variantValue(run, metric);
      const change = delta ? ` <span class="${better ? 'up' : 'down'}">${delta}</span>` : '';
      return `<td class="num">${value}${change}</td>`;
    });
    return `<tr><td>${escapeHtml(metric)}</td>${cells.join('')}</tr>`;
  });
  const thresholds = runs
    .map(
      (run) =>
        `<td class="${run.pass ? 'pass' : 'fail'}">${run.error ? 'error' : run.pass ? 'pass' : 'FAIL'}</td>`,
    )
    .join('');
  const summaries = runs
    .filter((run) => run.name !== reference)
    .map(
      (run) =>
        `<li><strong>${escapeHtml(run.name)}</strong>: ${escapeHtml(changeSummary(run))}</li>`,
    )
    .join('');
  const parts = [
    `<h3>Variants <small>(changes against ${escapeHtml(reference)})</small></h3>`,
    `<table class="variants"><thead><tr><th>metric</th>${header}</tr></thead><tbody>${rows.join('')}<tr><td>thresholds</td>${thresholds}</tr></tbody></table>`,
    `<ul>${summaries}</ul>`,
  ];
  for (const run of runs) {
    if (run.changedCases.length === 0) continue;
    const shown = run.changedCases.slice(0, CHANGED_CASES_SHOWN);
    const mark = (pass: boolean) =>
      `<span class="${pass ? 'pass' : 'fail'}">${pass ? 'pass' : 'fail'}</span>`;
    const caseRows = shown.map(
      (item) =>
        `<tr><td>${escapeHtml(item.id)}</td><td>${escapeHtml(item.text)}</td><td>${mark(item.reference.pass)} ${escapeHtml(item.reference.outcome)}</td><td>${mark(item.variant.pass)} ${escapeHtml(item.variant.outcome)}${item.variant.failures.length ? `<br><small>${escapeHtml(item.variant.failures.join('; '))}</small>` : ''}</td></tr>`,
    );
    const more =
      run.changedCases.length > shown.length
        ? `<p class="notes">${run.changedCases.length - shown.length} more in the JSON report.</p>`
        : '';
    parts.push(
      `<h4>${escapeHtml(run.name)}: ${run.changedCases.length} case${run.changedCases.length === 1 ? '' : 's'} changed outcome</h4>`,
      `<table class="cases"><thead><tr><th>case</th><th>text</th><th>${escapeHtml(reference)}</th><th>${escapeHtml(run.name)}</th></tr></thead><tbody>${caseRows.join('')}</tbody></table>${more}`,
    );
  }
  return parts.join('\n');
}
