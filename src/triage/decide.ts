/**
 * The decision policy: answer alone only when every condition holds, otherwise hand
 * off with a draft. Each condition that fails is a reason the agent sees.
 */
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
  urgency: UrgencyLevel;
  maxUrgency: UrgencyLevel;
  flags: string[];
}

export interface Decision {
  action: 'auto_reply' | 'handoff';
  reasons: string[];
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
]);

/**
 * The least probability the classifier must give the entry's category. Chosen on FAQ
 * paraphrases asked leave-one-out (bench/triage/dump-paraphrases.ts): 0.1 kept the precision
 * of strict agreement (classifier's top category = entry's) with 4-5 points more coverage.
 */
export const DEFAULT_AGREEMENT = 0.1;

export function decide(input: DecisionInput): Decision {
  const reasons: string[] = [];
  const blocking = input.flags.filter((flag) => blockingFlags.has(flag));
  if (blocking.length) reasons.push(`risk flag: ${blocking.join(', ')}`);
  if (input.outOfScope || input.category === null) reasons.push('out of scope for the taxonomy');
  if (input.classifierPersonOnly && input.classifierPersonOnly !== input.category) {
    reasons.push(`the classifier alone says ${input.classifierPersonOnly}, which a person handles`);
  }
  if (input.autoReplyMode === 'never') reasons.push(`category ${input.category} is always handled by a person`);
  if (input.autoReplyMode === 'questions' && input.intent.label === 'request') {
    reasons.push(`a request, not a policy question: ${input.category} requests need a person`);
  }
  if (input.classifierConfidence < input.thresholds.classifier) {
    reasons.push(`classifier unsure (${input.classifierConfidence.toFixed(2)} < ${input.thresholds.classifier})`);
  }
  if (urgencyLevels.indexOf(input.urgency) > urgencyLevels.indexOf(input.maxUrgency)) {
    reasons.push(`urgency ${input.urgency} is above ${input.maxUrgency}`);
  }
  let groundedIn: string | null = null;
  if (!input.acknowledges) {
    const match = input.bestMatch;
    if (!match) reasons.push('no knowledge-base entry matches');
    else if (match.score < input.thresholds.retrieval) {
      reasons.push(`best knowledge-base match ${match.id} is not confident (${match.score.toFixed(2)} < ${input.thresholds.retrieval})`);
    } else if (!match.autoReply) reasons.push(`entry ${match.id} is sent by a person only`);
    else if (input.classifierSupport !== undefined && input.classifierSupport < (input.thresholds.agreement ?? DEFAULT_AGREEMENT)) {
      reasons.push(`entry ${match.id} is about ${match.category ?? 'another topic'}, which the classifier rules out (${input.classifierSupport.toFixed(2)})`);
    } else groundedIn = match.id;
  }
  if (reasons.length > 0) return { action: 'handoff', reasons, groundedIn: null };
  return {
    action: 'auto_reply',
    reasons: [groundedIn ? `answered from ${groundedIn}` : `acknowledged (${input.category})`],
    groundedIn,
  };
}
