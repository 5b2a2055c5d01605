/**
 * The urgency rules of tickets, in one place: the queue's order of levels, what an agent's
 * escalation does to urgency, and how a follow-up's urgency merges into an open ticket.
 * The repository's SQL (queue order, upsert) is built from these rules, not written beside them.
 */
import { sql } from 'kysely';
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

/** SQL: the queue rank of `tickets.urgency_level` (0 first), from `queueLevelOrder`. */
export const urgencyRankSql = sql<number>`case tickets.urgency_level ${sql.join(
  queueLevelOrder.map((level, rank) => sql`when ${sql.lit(level)} then ${sql.lit(rank)}`),
  sql` `,
)} else ${sql.lit(queueLevelOrder.length)} end`;

/**
 * SQL for a follow-up landing on an open ticket (upsert, `excluded` is the follow-up): urgency
 * only goes up, and the level is that of the higher score (a tie keeps the ticket's).
 */
export const mergedUrgencySql = {
  score: sql<number>`greatest(tickets.urgency_score, excluded.urgency_score)`,
  level: sql<string>`case when excluded.urgency_score > tickets.urgency_score then excluded.urgency_level else tickets.urgency_level end`,
};
