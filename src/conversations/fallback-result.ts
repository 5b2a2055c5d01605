/** The result recorded when triage itself fails: a hand-off a human will see, never a loss. */
import { detectLanguage } from '../triage/language.js';
import { slaFor } from '../triage/sla.js';
import type { TriageResult } from '../triage/triage.js';

export function fallbackTriageResult(text: string, receivedAt: Date, error: string): TriageResult {
  const reason = `triage failed (${error.slice(0, 200)}): handed to a human`;
  return {
    category: null,
    confidence: 0,
    outOfScope: true,
    language: detectLanguage(text).language,
    sentiment: { label: 'neutral', confidence: 0 },
    urgency: { score: 50, level: 'normal', reasons: [reason] },
    decision: { action: 'handoff', reasons: [reason] },
    reply: { text: '', language: detectLanguage(text).language, citations: [], kind: 'handoff_draft' },
    matches: [],
    entities: { orderNumbers: [], trackingNumbers: [], amounts: [] },
    redactions: [],
    flags: ['triage_failed'],
    sla: slaFor(undefined, receivedAt),
    provider: 'none',
    reasons: [reason],
  };
}
