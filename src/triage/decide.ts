/**
 * The decision policy: answer alone only when every condition holds, otherwise hand
 * off with a draft. Each condition that fails is a reason the agent sees.
 */
import { describeReason, type Reason, reason } from './reasons.js';
import type { UrgencyLevel } from './triage.js';
import { urgencyLevels } from './triage.js';

export interface DecisionInput {
  category: string | null;
  outOfScope: boolean;
  autoReplyMode: 'always' | 'questions' | 'never' | null;
  /** Whether the category sends a fixed acknowledgement instead of a knowledge-base answer. */
  acknowledges: boolean;
  classifierConfidence: number;
  intent: { label: 'question' | 'request'; confidence: number };
  /**
   * The classifier's own probability (before retrieval's evidence) of the matched entry's
   * category. Two independent models should not contradict each other: below
   * `thresholds.agreement` the answer is handed off. Absent (LLM runs, older recorded
   * runs), the check is skipped.
   */
  classifierSupport?: number;
  /**
   * The classifier's own category when it is one only a person handles (a complaint, a
   * privacy request): retrieval's evidence may relabel the message, never answer it alone.
   */
  classifierPersonOnly?: string;
  bestMatch: { id: string; score: number; autoReply: boolean; category?: string | null } | null;
  thresholds: { classifier: number; retrieval: number; agreement?: number };
  /**
   * The answerability model's probability that no entry answers the message, and the limit at
   * which it vetoes an answer (answerability.ts). Absent: no model, the check is skipped.
   */
  answerability?: { none: number; limit: number };
  urgency: UrgencyLevel;
  maxUrgency: UrgencyLevel;
  flags: string[];
}

export interface Decision {
  action: 'auto_reply' | 'handoff';
  /** The reasons in English (the `/v1/triage` contract). */
  reasons: string[];
  /** The same reasons as codes with parameters. */
  details: Reason[];
  /** The entry an automatic answer is grounded in (null for acknowledgements and hand-offs). */
  groundedIn: string | null;
}

/** Flags that always need a person, whatever else the message says. */
export const blockingFlags = new Set([
  'prompt_injection',
  'safety_hazard',
  'regulator_threat',
  'legal_threat',
  'media_threat',
  'chargeback',
  'human_requested',
  'account_security',
  'multiple_issues',
  'threat',
  'llm_unavailable',
  'commitment_request',
  'third_party_data',
  'output_blocked',
  'scam',
  'escalation',
]);

/**
 * The least probability the classifier must give the entry's category. Chosen on FAQ
 * paraphrases asked leave-one-out (bench/triage/dump-paraphrases.ts): 0.1 kept the precision
 * of strict agreement (classifier's top category = entry's) with 4-5 points more coverage.
 */
export const DEFAULT_AGREEMENT = 0.1;

export function decide(input: DecisionInput): Decision {
  const reasons: Reason[] = [];
  const blocking = input.flags.filter((flag) => blockingFlags.has(flag));
  if (blocking.length) reasons.push(reason('risk_flags', { flags: blocking.join(', ') }));
  if (input.outOfScope || input.category === null) reasons.push(reason('out_of_scope'));
  if (input.classifierPersonOnly && input.classifierPersonOnly !== input.category) {
    reasons.push(reason('classifier_person_only', { category: input.classifierPersonOnly }));
  }
  if (input.autoReplyMode === 'never') reasons.push(reason('person_only_category', { category: input.category ?? 'none' }));
  if (input.autoReplyMode === 'questions' && input.intent.label === 'request') {
    reasons.push(reason('request_needs_person', { category: input.category ?? 'none' }));
  }
  if (input.classifierConfidence < input.thresholds.classifier) {
    reasons.push(reason('classifier_unsure', { confidence: input.classifierConfidence, threshold: input.thresholds.classifier }));
  }
  if (urgencyLevels.indexOf(input.urgency) > urgencyLevels.indexOf(input.maxUrgency)) {
    reasons.push(reason('urgency_above', { level: input.urgency, max: input.maxUrgency }));
  }
  let groundedIn: string | null = null;
  if (!input.acknowledges) {
    const match = input.bestMatch;
    if (!match) reasons.push(reason('no_match'));
    else if (match.score < input.thresholds.retrieval) {
      reasons.push(reason('match_unsure', { entry: match.id, score: match.score, threshold: input.thresholds.retrieval }));
    } else if (!match.autoReply) reasons.push(reason('entry_person_only', { entry: match.id }));
    else if (input.classifierSupport !== undefined && input.classifierSupport < (input.thresholds.agreement ?? DEFAULT_AGREEMENT)) {
      reasons.push(reason('classifier_rules_out', { entry: match.id, category: match.category ?? '', support: input.classifierSupport }));
    } else if (input.answerability && input.answerability.none >= input.answerability.limit) {
      // The nearest entry is not an answer: the customer asks something it does not cover,
      // or wants a person to act. The draft still quotes it for the agent.
      reasons.push(reason('not_answerable', { entry: match.id, none: input.answerability.none, limit: input.answerability.limit }));
    } else groundedIn = match.id;
  }
  if (reasons.length > 0) return { action: 'handoff', reasons: reasons.map(describeReason), details: reasons, groundedIn: null };
  const answered = groundedIn ? reason('answered_from', { entry: groundedIn }) : reason('acknowledged', { category: input.category ?? 'none' });
  return { action: 'auto_reply', reasons: [describeReason(answered)], details: [answered], groundedIn };
}
