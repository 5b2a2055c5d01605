/** Human-readable rendering of a triage result for the terminal. */
import type { TriageResult } from '../triage/triage.js';

export function formatTriage(result: TriageResult): string {
  const lines = [
    `category   ${result.category ?? '(out of scope)'}  confidence ${result.confidence.toFixed(2)}  language ${result.language}  sentiment ${result.sentiment.label}`,
    `urgency    ${result.urgency.score} ${result.urgency.level}${result.urgency.reasons.length ? ` — ${result.urgency.reasons.join('; ')}` : ''}`,
    `decision   ${result.decision.action} — ${result.decision.reasons.join('; ')}`,
    `matches    ${result.matches.map((m) => `${m.id} ${m.score.toFixed(2)}`).join(', ') || '(none)'}`,
  ];
  if (result.flags.length) lines.push(`flags      ${result.flags.join(', ')}`);
  if (result.redactions.length)
    lines.push(`redacted   ${result.redactions.map((r) => `${r.kind}×${r.count}`).join(', ')}`);
  lines.push(
    '',
    result.reply.text,
    result.reply.citations.length ? `\n[cites: ${result.reply.citations.join(', ')}]` : '',
  );
  return lines.join('\n');
}
