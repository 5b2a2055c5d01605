/**
 * What an agent's sent reply becomes as a candidate answer: how far it is from the draft (the
 * origin a reviewer sees), and its text with everything that belongs to one customer replaced by
 * a placeholder, so that no customer's data is stored as, or sent from, a reusable answer.
 */
import { distance } from 'fastest-levenshtein';
import { findReferenceNumbers } from '../triage/entities.js';
import { findPersonalData, piiPlaceholders } from '../triage/pii.js';
import { normaliseText } from '../text/normalise.js';
import type { CandidateOrigin } from './approved-answer-contract.js';

/**
 * The most of an edited draft that may change for the edit to count as light: Levenshtein
 * distance over the longer text's length (0 unchanged, 1 nothing in common). A greeting fixed
 * or a sentence added to an entry's answer stays well under it (adding 56 characters to a
 * 600-character draft is 0.09); a reply written anew over the draft lands far above it.
 */
export const LIGHT_EDIT_RATIO = 0.3;

/** Edit distance relative to length: `distance(draft, sent) / max(|draft|, |sent|)`. */
export function editRatio(draft: string, sent: string): number {
  const longer = Math.max(draft.length, sent.length);
  return longer === 0 ? 0 : distance(draft, sent) / longer;
}

/**
 * Where a candidate came from: the draft sent as it was, lightly or heavily edited, or a reply
 * the agent wrote without a draft decision (`reply` action). Heavy rewrites are kept as
 * candidates too: the entry matched, yet its text did not fit the question — the case an
 * approved answer exists for; the reviewer sees the origin and decides.
 */
export function candidateOrigin(
  action: 'accept' | 'edit' | 'reply',
  draft: string | null,
  sent: string,
): { origin: CandidateOrigin; editRatio: number | null } {
  if (action === 'reply' || draft === null) return { origin: 'reply', editRatio: null };
  const ratio = Math.round(editRatio(draft.trim(), sent.trim()) * 1000) / 1000;
  if (action === 'accept' || ratio === 0) return { origin: 'accepted', editRatio: ratio };
  return { origin: ratio <= LIGHT_EDIT_RATIO ? 'edited' : 'rewritten', editRatio: ratio };
}

/** Placeholders for the customer's own order and tracking numbers (personal data has its own). */
export const referencePlaceholders = { order: '[ORDER_NUMBER]', tracking: '[TRACKING_NUMBER]' };

const placeholderPattern = new RegExp(
  [...Object.values(piiPlaceholders), ...Object.values(referencePlaceholders)]
    .map((placeholder) => placeholder.replace(/[[\]]/g, '\\$&'))
    .join('|'),
  'g',
);

/** Placeholders left in a text: it cannot be sent until someone writes them out. */
export function placeholdersIn(text: string): string[] {
  return [...new Set(text.match(placeholderPattern) ?? [])];
}

/** The text two questions are compared by: placeholders say nothing about what is asked. */
export function matchingText(text: string): string {
  return text.replace(placeholderPattern, ' ').replace(/\s+/g, ' ').trim();
}

export interface RedactedText {
  text: string;
  /** What was replaced, by kind (`order`, `tracking`, `phone`, `name`...), never the values. */
  redactions: { kind: string; count: number }[];
}

/**
 * Where the names we know occur (the customer's, the agent's): the redactor finds names by their
 * cues ("Mr.", "先生", "my name is"), and a greeting such as "Hi Tom," or "王芳您好" has none.
 * Latin names match as whole words, each word of a full name too, as written or capitalised
 * (never case-blind: "Will" must not take every "will"); Chinese names as written.
 */
function knownNameSpans(text: string, names: readonly string[]) {
  const spans: { kind: string; start: number; end: number; placeholder: string }[] = [];
  const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const name of names) {
    const trimmed = name.trim();
    if (!trimmed) continue;
    const latin = /^[\p{Script=Latin}\s.'-]+$/u.test(trimmed);
    const parts = latin
      ? [trimmed, ...trimmed.split(/\s+/)].filter((part) => part.length >= 3)
      : trimmed.length >= 2
        ? [trimmed]
        : [];
    for (const part of new Set(parts)) {
      const forms = [...new Set([part, part[0]!.toUpperCase() + part.slice(1)])].map(escape);
      const pattern = latin
        ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${forms.join('|')})(?![\\p{L}\\p{N}])`, 'gu')
        : new RegExp(escape(part), 'gu');
      for (const match of text.matchAll(pattern))
        spans.push({
          kind: 'name',
          start: match.index,
          end: match.index + match[0].length,
          placeholder: piiPlaceholders.name,
        });
    }
  }
  return spans;
}

/**
 * Replaces personal data, order/tracking numbers and the names given (the customer's, the
 * agent's) with placeholders. What the cited entry itself publishes (the shop's support
 * address or phone) stays: it is not a customer's. Names are replaced wherever they stand.
 */
export function redactForReuse(
  text: string,
  sources: readonly string[] = [],
  names: readonly string[] = [],
): RedactedText {
  const published = normaliseText(sources.join('\n')).toLowerCase();
  const spans = [
    ...knownNameSpans(text, names),
    ...findPersonalData(text).map((finding) => ({
      ...finding,
      placeholder: piiPlaceholders[finding.kind],
    })),
    ...findReferenceNumbers(text).map((reference) => ({
      kind: reference.kind,
      start: reference.start,
      end: reference.end,
      placeholder: referencePlaceholders[reference.kind],
    })),
  ]
    // A name is never the shop's to publish (and "Tom" is inside "automatically").
    .filter(
      (span) =>
        span.kind === 'name' ||
        !published.includes(normaliseText(text.slice(span.start, span.end)).toLowerCase()),
    )
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let redacted = '';
  let cursor = 0;
  const counts = new Map<string, number>();
  for (const span of spans) {
    if (span.start < cursor) continue; // inside a span already replaced
    redacted += text.slice(cursor, span.start) + span.placeholder;
    cursor = span.end;
    counts.set(span.kind, (counts.get(span.kind) ?? 0) + 1);
  }
  redacted += text.slice(cursor);
  return { text: redacted, redactions: [...counts].map(([kind, count]) => ({ kind, count })) };
}
