/**
 * The urgency rules of tickets, in one place: the queue's order of levels and what an agent's
 * escalation does to urgency. The queue's SQL (ticket.repository.ts) is built from
 * `queueLevelOrder`, not written beside it.
 */
import type { UrgencyLevel } from '../triage/triage.js';

/** The queue serves these levels first, in this order; any other level comes after them. */
export const queueLevelOrder: readonly UrgencyLevel[] = ['critical', 'high', 'normal'];

/** An escalated ticket scores at least this (the high band) and is at least high. */
export const escalationFloorScore = 75;

export interface TicketUrgency {
  score: number;
  level: string;
}

/** An agent's escalation: never lowers urgency, lifts it to high at least. */
export function escalatedUrgency(current: TicketUrgency): TicketUrgency {
  return {
    score: Math.max(current.score, escalationFloorScore),
    level: current.level === 'critical' ? 'critical' : 'high',
  };
}
