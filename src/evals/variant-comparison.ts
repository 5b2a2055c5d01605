/**
 * Compares a variant's run of a suite with the reference variant's: the difference per
 * metric, and the cases that started or stopped failing or ended differently.
 */
import type { z } from 'zod';
import {
  type CaseResult,
  type changedCaseSchema,
  numericMetrics,
  type Metrics,
} from './report/report.js';

/** A case's outcome in a few words (category · action · urgency · citations, or the label, or the top hit). */
export function outcomeOf(actual: Record<string, unknown>): string {
  const parts: string[] = [];
  if ('label' in actual) parts.push(String(actual.label));
  if ('category' in actual) parts.push(String(actual.category ?? 'no category'));
  if (typeof actual.action === 'string') parts.push(actual.action);
  if (typeof actual.urgency === 'string') parts.push(actual.urgency);
  if (Array.isArray(actual.citations))
    parts.push(actual.citations.length ? `cites ${actual.citations.join(', ')}` : 'cites nothing');
  if (Array.isArray(actual.flags) && actual.flags.length)
    parts.push(`flags ${actual.flags.join(', ')}`);
  if (Array.isArray(actual.top))
    parts.push(`top ${(actual.top[0] as { id?: string } | undefined)?.id ?? 'nothing'}`);
  if ('firstRelevantRank' in actual)
    parts.push(`relevant at ${actual.firstRelevantRank ?? 'none'}`);
  return parts.join(' · ');
}

export type ChangedCase = z.infer<typeof changedCaseSchema>;

/** The variant's metrics minus the reference's, and the cases that now pass, fail or end differently. */
export function compareWithReference(
  reference: { metrics: Metrics; cases: CaseResult[] },
  variant: { metrics: Metrics; cases: CaseResult[] },
) {
  const before = numericMetrics(reference.metrics);
  const deltas: Record<string, number> = {};
  for (const [metric, value] of Object.entries(numericMetrics(variant.metrics))) {
    if (before[metric] !== undefined) deltas[metric] = value - before[metric]!;
  }
  const referenceCases = new Map(reference.cases.map((item) => [item.id, item]));
  const changedCases: ChangedCase[] = [];
  for (const item of variant.cases) {
    const was = referenceCases.get(item.id);
    if (!was) continue;
    const outcomes = { reference: outcomeOf(was.actual), variant: outcomeOf(item.actual) };
    if (was.pass === item.pass && outcomes.reference === outcomes.variant) continue;
    changedCases.push({
      id: item.id,
      text: item.text,
      reference: { pass: was.pass, outcome: outcomes.reference },
      variant: { pass: item.pass, outcome: outcomes.variant, failures: item.failures },
    });
  }
  // Flips first (newly failing, then newly passing), then outcomes that changed without one.
  const rank = (item: ChangedCase) =>
    item.reference.pass && !item.variant.pass
      ? 0
      : !item.reference.pass && item.variant.pass
        ? 1
        : 2;
  changedCases.sort((a, b) => rank(a) - rank(b));
  return {
    deltas,
    changedCases,
    newlyFailing: changedCases
      .filter((item) => item.reference.pass && !item.variant.pass)
      .map((item) => item.id),
    newlyPassing: changedCases
      .filter((item) => !item.reference.pass && item.variant.pass)
      .map((item) => item.id),
  };
}
