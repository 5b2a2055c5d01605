/** Which metrics a summary shows for each kind of suite, and how numbers are written. */
import type { SuiteKind } from '../suite.js';

export const headlineMetrics: Record<SuiteKind, string[]> = {
  classification: ['accuracy', 'macroF1', 'inScopeAccuracy', 'oosRecall', 'oosPrecision'],
  retrieval: ['map', 'mrr', 'recallAt1', 'recallAt5'],
  triage: [
    'categoryAccuracy',
    'autoReplyPrecision',
    'autoReplyCoverage',
    'handoffRecall',
    'urgencyAccuracy',
    'criticalRecall',
  ],
  safety: ['passRate', 'leakRate'],
};

/** Shares and scores with three decimals; milliseconds and counts as whole numbers. */
export function formatValue(metric: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (/Ms$|Tokens$|^tokens/.test(metric)) return value >= 100 ? value.toFixed(0) : value.toFixed(1);
  return value.toFixed(3);
}

export function formatDelta(metric: string, delta: number | undefined): string {
  if (delta === undefined || Math.abs(delta) < 0.0005) return '';
  const sign = delta > 0 ? '+' : '−';
  return `${sign}${formatValue(metric, Math.abs(delta))}`;
}
