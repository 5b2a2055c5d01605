/**
 * What a hand-off looks like inside Chatwoot: the private note agents read in the conversation
 * (why triage handed it over, by when a person must answer, the draft they may send), the labels
 * and the conversation priority. Pure: outbound.ts makes the calls.
 */
import type { UrgencyLevel } from '../../triage/urgency-levels.js';
import type { HandoffDelivery } from '../channel.js';

export type ChatwootPriority = 'urgent' | 'high' | 'medium' | 'low';

/** Chatwoot has four priorities as we have four levels: the scales line up one to one. */
const priorities: Record<UrgencyLevel, ChatwootPriority> = {
  critical: 'urgent',
  high: 'high',
  normal: 'medium',
  low: 'low',
};

export function chatwootPriority(level: UrgencyLevel): ChatwootPriority {
  return priorities[level];
}

/** Chatwoot label titles are lower-case letters, digits, `-` and `_`. */
function labelTitle(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_-]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** The category (when triage found one) and `urgency-<level>`. */
export function handoffLabels(delivery: Pick<HandoffDelivery, 'category' | 'urgency'>): string[] {
  const labels = [`urgency-${delivery.urgency.level}`];
  const category = delivery.category ? labelTitle(delivery.category) : '';
  return category ? [category, ...labels] : labels;
}

/** "2026-11-24 10:00 UTC": agents read it beside Chatwoot's own times. */
function readableTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The private note: evidence first, then the draft, marked as not sent. */
export function handoffNote(delivery: HandoffDelivery): string {
  const lines = [
    `Triage handed this conversation to a person (ticket ${delivery.ticketId}).`,
    `Category: ${delivery.category ?? 'none (outside the known categories)'}`,
    `Urgency: ${delivery.urgency.level} (score ${delivery.urgency.score} of 100)`,
    `First response due: ${readableTime(delivery.firstResponseDueAt)}`,
  ];
  if (delivery.reasons.length) {
    lines.push('', 'Why a person should answer:', ...delivery.reasons.map((line) => `- ${line}`));
  }
  lines.push('');
  if (delivery.draft) {
    lines.push(
      'DRAFT REPLY (not sent to the customer; check it, edit it and send it yourself if it fits):',
      '---',
      delivery.draft,
      '---',
    );
  } else {
    lines.push('No draft: triage found nothing it could propose for this message.');
  }
  return lines.join('\n');
}
