/** The result recorded when triage itself fails: a hand-off a human will see, never a loss. */
import { slaSummary } from '../sla/sla-clock.js';
import type { ServiceHours } from '../sla/service-hours.js';
import { detectLanguage } from '../triage/language.js';
import { describeReason, reason } from '../triage/reasons.js';
import type { TriageResult } from '../triage/triage.js';

export function fallbackTriageResult(
  text: string,
  receivedAt: Date,
  error: string,
  serviceHours: ServiceHours,
): TriageResult {
  const failed = reason('triage_failed', { error: error.slice(0, 200) });
  const why = describeReason(failed);
  return {
    category: null,
    confidence: 0,
    outOfScope: true,
    language: detectLanguage(text).language,
    sentiment: { label: 'neutral', confidence: 0 },
    urgency: { score: 50, level: 'normal', reasons: [why], details: [failed] },
    decision: { action: 'handoff', reasons: [why], details: [failed] },
    reply: {
      text: '',
      language: detectLanguage(text).language,
      citations: [],
      kind: 'handoff_draft',
    },
    matches: [],
    entities: { orderNumbers: [], trackingNumbers: [], amounts: [] },
    redactions: [],
    flags: ['triage_failed'],
    sla: slaSummary(undefined, receivedAt, serviceHours),
    provider: 'none',
    reasons: [why],
    details: [failed],
  };
}
