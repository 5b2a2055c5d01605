/**
 * Urgency 0-100 with a level and the reasons behind it, in tiers the way agents triage:
 * critical when someone may get hurt or the shop faces a regulator, lawyer or the press;
 * high for complaints, anger, repeated contact, long waits, deadlines, big sums and
 * account security; normal when a person must act; low for routine questions. Within a
 * tier, each extra signal raises the score, so the queue orders ties sensibly.
 */
import { describeReason, type Reason, reason } from './reasons.js';
import type { SentimentLabel } from './sentiment.js';
import type { Signal } from './signals.js';
import type { UrgencyLevel } from './triage.js';

export interface UrgencyInput {
  category: string | null;
  /** The category's auto-reply mode; `never` categories always need a person. */
  autoReplyMode: 'always' | 'questions' | 'never' | null;
  intent: 'question' | 'request';
  sentiment: { label: SentimentLabel; confidence: number };
  signals: Signal[];
  waitDays: number;
  amounts: { value: number; currency: string }[];
  /** Flags raised earlier in the pipeline (prompt_injection...). */
  flags: string[];
}

export interface Urgency {
  score: number;
  level: UrgencyLevel;
  /** The reasons in English (the `/v1/triage` contract). */
  reasons: string[];
  /** The same reasons as codes with parameters, for showing them in the agent's language. */
  details: Reason[];
}

export const urgencyBands: Record<UrgencyLevel, [number, number]> = {
  low: [0, 29],
  normal: [30, 59],
  high: [60, 84],
  critical: [85, 100],
};

/** Sums at or above this (in the order's currency) put money at stake. */
export const largeAmount = 3000;

const criticalKinds = new Set<Signal['kind']>([
  'regulator_threat',
  'legal_threat',
  'media_threat',
  'safety_hazard',
]);
const highKinds = new Set<Signal['kind']>([
  'repeat_contact',
  'escalating_contact',
  'anger',
  'deadline',
  'chargeback',
  'account_security',
  'vulnerable_customer',
]);

const describe = (signal: Signal) =>
  reason('signal', { kind: signal.kind, evidence: signal.evidence });

export function scoreUrgency(input: UrgencyInput): Urgency {
  const tiers: Record<UrgencyLevel, Reason[]> = { critical: [], high: [], normal: [], low: [] };

  for (const signal of input.signals) {
    if (criticalKinds.has(signal.kind)) tiers.critical.push(describe(signal));
    else if (highKinds.has(signal.kind)) tiers.high.push(describe(signal));
    else if (signal.kind === 'human_requested') tiers.normal.push(describe(signal));
  }
  // Threats and hazards the LLM recognised where the patterns did not.
  for (const flag of ['threat', 'safety_hazard', 'scam', 'escalation']) {
    if (input.flags.includes(flag) && tiers.critical.length === 0)
      tiers.critical.push(reason('model_flag', { flag }));
  }
  // Writing again and again, now in anger, is the escalation the trade treats as an emergency.
  const kinds = new Set(input.signals.map((signal) => signal.kind));
  if (kinds.has('escalating_contact') && kinds.has('anger'))
    tiers.critical.push(reason('repeat_fury'));
  if (input.category === 'complaint') tiers.high.push(reason('complaint_sla'));
  if (input.waitDays >= 7) tiers.high.push(reason('stated_wait', { days: input.waitDays }));
  const largest = Math.max(0, ...input.amounts.map((amount) => amount.value));
  if (largest >= largeAmount) tiers.high.push(reason('money_at_stake', { amount: largest }));

  // Problems in person-only categories (a defect, a privacy request) need someone to act
  // however they are phrased; a calm out-of-scope question does not.
  const needsPerson =
    (input.autoReplyMode === 'never' && input.category !== null && input.category !== 'other') ||
    (input.autoReplyMode !== 'always' && input.intent === 'request');
  if (needsPerson)
    tiers.normal.push(reason('person_must_act', { category: input.category ?? 'none' }));
  if (input.flags.includes('prompt_injection')) tiers.normal.push(reason('injection_attempt'));

  const level: UrgencyLevel = tiers.critical.length
    ? 'critical'
    : tiers.high.length
      ? 'high'
      : tiers.normal.length
        ? 'normal'
        : 'low';
  const reasons = [...tiers.critical, ...tiers.high, ...tiers.normal];
  if (reasons.length === 0) reasons.push(reason('routine_question'));
  const [floor, ceiling] = urgencyBands[level];
  const extra =
    tiers[level].length -
    1 +
    (input.sentiment.label === 'negative' ? 1 : 0) +
    (level !== 'critical' ? (tiers.normal.length && level !== 'normal' ? 1 : 0) : 0);
  const step = level === 'low' ? 5 : 6;
  const base = level === 'low' ? 10 : floor + 5;
  if (input.sentiment.label === 'negative' && input.sentiment.confidence >= 0.7)
    reasons.push(reason('negative_tone'));
  const score = Math.min(ceiling, Math.max(floor, base + step * Math.max(0, extra)));
  return { score, level, reasons: reasons.map(describeReason), details: reasons };
}
