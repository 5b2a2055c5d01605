/**
 * Figures from aggregate counts (kpi.repository.ts): agents' decisions on drafts, satisfaction
 * survey answers, and LLM use.
 */
import type { KpiFigure, KpiKey, KpiReport } from './kpi-contract.js';
import type { kpiDefinitions } from './kpi-definitions.js';
import { mean, ratio } from './kpi-figure.js';
import type { DraftDecisionCount, LlmUsage, SurveyCount } from './kpi.repository.js';

type Definitions = ReturnType<typeof kpiDefinitions>;
type Figures<K extends KpiKey> = Pick<Record<KpiKey, KpiFigure>, K>;

export function draftKpis(
  counts: readonly DraftDecisionCount[],
  definitions: Definitions,
): Figures<'draftsUnchanged' | 'draftsEdited' | 'draftsRejected' | 'meanEditDistance'> {
  const of = (action: DraftDecisionCount['action']) =>
    counts.find((found) => found.action === action);
  const total = counts.reduce((sum, found) => sum + found.count, 0);
  const edits = of('edit');
  return {
    draftsUnchanged: ratio(of('accept')?.count ?? 0, total, definitions.draftsUnchanged),
    draftsEdited: ratio(edits?.count ?? 0, total, definitions.draftsEdited),
    draftsRejected: ratio(of('reject')?.count ?? 0, total, definitions.draftsRejected),
    meanEditDistance: mean(
      edits?.distance_sum ?? 0,
      edits?.distance_count ?? 0,
      'characters',
      definitions.meanEditDistance,
    ),
  };
}

export function csatKpis(
  counts: readonly SurveyCount[],
  definitions: Definitions,
): Figures<'csatScore' | 'csatMeanRating' | 'csatResponseRate'> & {
  csatDistribution: KpiReport['csatDistribution'];
} {
  const distribution = [1, 2, 3, 4, 5].map((rating) =>
    counts.filter((found) => found.rating === rating).reduce((sum, found) => sum + found.count, 0),
  );
  const answered = distribution.reduce((sum, count) => sum + count, 0);
  const sumOfRatings = distribution.reduce((sum, count, index) => sum + count * (index + 1), 0);
  const unanswered = (closed: boolean) =>
    counts
      .filter((found) => found.rating === null && found.closed === closed)
      .reduce((sum, found) => sum + found.count, 0);
  return {
    csatScore: ratio(distribution[3]! + distribution[4]!, answered, definitions.csatScore),
    csatMeanRating: mean(sumOfRatings, answered, 'rating', definitions.csatMeanRating),
    csatResponseRate: ratio(
      answered,
      answered + unanswered(true),
      definitions.csatResponseRate,
      unanswered(false),
    ),
    csatDistribution: { definition: definitions.csatDistribution, counts: distribution },
  };
}

export function llmKpis(
  usage: LlmUsage,
  definitions: Definitions,
): Figures<'llmShare' | 'llmTokens' | 'llmFallbacks' | 'llmCost'> {
  return {
    llmShare: ratio(usage.llm_calls, usage.triaged, definitions.llmShare),
    llmTokens: {
      value: usage.tokens,
      numerator: usage.tokens,
      denominator: usage.llm_calls,
      unit: 'tokens',
      definition: definitions.llmTokens,
    },
    llmFallbacks: {
      value: usage.fallbacks,
      numerator: usage.fallbacks,
      denominator: usage.triaged,
      unit: 'count',
      definition: definitions.llmFallbacks,
    },
    llmCost: {
      value: null,
      numerator: null,
      denominator: null,
      unit: 'currency',
      definition: definitions.llmCost,
    },
  };
}
