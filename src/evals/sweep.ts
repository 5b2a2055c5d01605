/**
 * The auto-reply threshold sweep: each triage case's decision is re-made offline with
 * the product's own `decide()` at retrieval thresholds 0.1..0.9, from what the run
 * recorded (category, confidence, best match and its score, urgency, flags), and scored
 * as precision against coverage. The re-decision at the configured thresholds must
 * reproduce the recorded decision; `replayAgreement` says how often it does.
 */
import { decide, type DecisionInput } from '../triage/decide.js';
import { type Taxonomy, thresholdsFor } from '../triage/taxonomy.js';
import type { TriageResult } from '../triage/triage.js';
import type { SweepPoint } from './report/report.js';
import { autoReplyPoint, type TriageExpectation } from './triage-metrics.js';

export const SWEEP_THRESHOLDS = Array.from(
  { length: 17 },
  (_, index) => Math.round((0.1 + index * 0.05) * 100) / 100,
);

/**
 * The decision step's input as the run recorded it (`decisionInput`, written by the engine's
 * decide step). Runs recorded before that field existed are reconstructed from the result, the
 * match's `autoReply` looked up.
 */
export function recordedDecisionInput(
  result: TriageResult,
  taxonomy: Taxonomy,
  matchAutoReply: (id: string, locale: string) => boolean,
): DecisionInput {
  if (result.decisionInput) return result.decisionInput;
  const category = taxonomy.categories.find((candidate) => candidate.key === result.category);
  // The engine grounds an LLM answer in the entry it cites, else in the best match.
  const best =
    result.matches.find((match) => result.reply.citations.includes(match.id)) ?? result.matches[0];
  return {
    category: result.category,
    outOfScope: result.category === null,
    autoReplyMode: category?.autoReply ?? null,
    acknowledges: Boolean(category?.acknowledgement),
    classifierConfidence: result.confidence,
    // Older runs kept the intent only in the decision's reason codes.
    intent: result.intent ?? {
      label:
        result.decision.details?.some((item) => item.code === 'request_needs_person') ||
        result.decision.reasons.some((text) => text.startsWith('a request, not a policy question'))
          ? 'request'
          : 'question',
      confidence: 1,
    },
    bestMatch: best
      ? { id: best.id, score: best.score, autoReply: matchAutoReply(best.id, best.locale) }
      : null,
    thresholds: thresholdsFor(taxonomy, result.category),
    // Recorded for the entry the engine judged; another best entry was not judged, so no veto.
    ...(result.answerability && best && result.answerability.entry === best.id
      ? { answerability: { none: result.answerability.none, limit: result.answerability.limit } }
      : {}),
    urgency: result.urgency.level,
    maxUrgency: taxonomy.defaults.autoReplyMaxUrgency,
    flags: result.flags,
  };
}

export interface SweepCase {
  expected: TriageExpectation;
  input: DecisionInput;
  recordedAction: 'auto_reply' | 'handoff';
}

function redecide(input: DecisionInput, retrieval?: number) {
  const decision = decide(
    retrieval === undefined ? input : { ...input, thresholds: { ...input.thresholds, retrieval } },
  );
  return { action: decision.action, citations: decision.groundedIn ? [decision.groundedIn] : [] };
}

export function sweepAutoReplyThreshold(
  cases: readonly SweepCase[],
  thresholds: readonly number[] = SWEEP_THRESHOLDS,
) {
  const points: SweepPoint[] = thresholds.map((threshold) => {
    const point = autoReplyPoint(
      cases.map((c) => ({ expected: c.expected, ...redecide(c.input, threshold) })),
    );
    return {
      threshold,
      autoReplyPrecision: point.autoReplyPrecision ?? null,
      autoReplyCoverage: point.autoReplyCoverage ?? null,
      autoReplies: point.autoReplies,
    };
  });
  const agreeing = cases.filter((c) => redecide(c.input).action === c.recordedAction).length;
  return { points, replayAgreement: cases.length ? agreeing / cases.length : 1 };
}
