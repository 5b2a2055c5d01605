/**
 * Urgency 0-100 with a level and the reasons behind it. Critical signals (regulator,
 * legal or media threats, safety hazards) put a message at the top whatever else it
 * says; the rest add up from a base set by what the message needs.
 */
import type { Signal } from './signals.js';
import type { UrgencyLevel } from './triage.js';

export interface UrgencyInput {
  category: string | null;
  /** The category's auto-reply mode; `never` categories always need a person. */
  autoReplyMode: 'always' | 'questions' | 'never' | null;
  intent: 'question' | 'request';
  sentiment: { label: 'negative' | 'neutral' | 'positive'; confidence: number };
  signals: Signal[];
  waitDays: number;
  amounts: { value: number; currency: string }[];
}

export interface Urgency {
  score: number;
  level: UrgencyLevel;
  reasons: string[];
}

export const urgencyThresholds = { critical: 85, high: 60, normal: 30 } as const;

const criticalKinds = new Set<Signal['kind']>(['regulator_threat', 'legal_threat', 'media_threat', 'safety_hazard']);

const signalWeights: Partial<Record<Signal['kind'], number>> = {
  repeat_contact: 22,
  anger: 22,
  deadline: 14,
  vulnerable_customer: 14,
  chargeback: 30,
};

export function levelOf(score: number): UrgencyLevel {
  if (score >= urgencyThresholds.critical) return 'critical';
  if (score >= urgencyThresholds.high) return 'high';
  if (score >= urgencyThresholds.normal) return 'normal';
  return 'low';
}

export function scoreUrgency(input: UrgencyInput): Urgency {
  const reasons: string[] = [];
  let score: number;
  if (input.category === 'complaint') {
    score = 62;
    reasons.push('complaint: acknowledged within the hour');
  } else if (input.autoReplyMode === 'never' && input.intent === 'request') {
    score = 35;
    reasons.push(`${input.category ?? 'out of scope'}: needs a person`);
  } else if (input.autoReplyMode === 'questions' && input.intent === 'request') {
    score = 35;
    reasons.push('asks for an action on an order');
  } else {
    score = 10;
    reasons.push('routine question');
  }

  for (const signal of input.signals) {
    if (criticalKinds.has(signal.kind)) continue;
    const weight = signalWeights[signal.kind] ?? 0;
    score += weight;
    reasons.push(`${signal.kind.replace(/_/g, ' ')}: "${signal.evidence}"`);
  }
  if (input.waitDays >= 7) {
    score += 25;
    reasons.push(`stated wait of ${formatDays(input.waitDays)}`);
  } else if (input.waitDays >= 3) {
    score += 8;
    reasons.push(`stated wait of ${formatDays(input.waitDays)}`);
  }
  if (input.sentiment.label === 'negative' && input.sentiment.confidence >= 0.8) {
    score += 10;
    reasons.push('strongly negative tone');
  }
  const largest = Math.max(0, ...input.amounts.map((amount) => amount.value));
  if (largest >= 1000) {
    score += 12;
    reasons.push(`money at stake: ${largest}`);
  }

  const critical = input.signals.filter((signal) => criticalKinds.has(signal.kind));
  if (critical.length > 0) {
    score = Math.max(score, 90) + 5 * (critical.length - 1);
    for (const signal of critical) reasons.unshift(`${signal.kind.replace(/_/g, ' ')}: "${signal.evidence}"`);
  }
  score = Math.max(0, Math.min(100, Math.round(score)));
  return { score, level: levelOf(score), reasons };
}

function formatDays(days: number): string {
  return days >= 1 ? `${Math.round(days)} day${Math.round(days) === 1 ? '' : 's'}` : `${Math.round(days * 24)} hours`;
}
