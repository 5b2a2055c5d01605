/**
 * Tells the alert webhook (ALERT_WEBHOOK_URL, the surge alerts' receiver) that a ticket moved
 * up its escalation path, signed by the same sender (postAlertWebhook). The escalation row is
 * its own outbox: pending until the receiver takes it, leased while sent, retried with backoff
 * after a refusal the receiver calls temporary, given up after `maxAttempts`.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { postAlertWebhook } from '../alerts/alert-webhook.js';
import type { Database } from '../db/tables.js';
import { findTicket } from '../tickets/ticket.repository.js';
import type { Clock } from '../time/clock.js';
import { escalationPathOf, type TeamsConfig } from '../teams/teams.js';
import type { EscalationWebhookPayload } from './escalation-contract.js';
import {
  claimDueEscalationWebhooks,
  type EscalationRow,
  recordEscalationWebhook,
} from './escalation.repository.js';

export interface EscalationWebhookOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  teams: TeamsConfig;
  url: string;
  secret: string;
  maxAttempts?: number;
  backoffMs?: (attempt: number) => number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface EscalationWebhook {
  deliverDue(): Promise<{ sent: number; retried: number; failed: number }>;
}

const defaultBackoffMs = (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);
const iso = (value: Date | string) => new Date(value).toISOString();

export function createEscalationWebhook(options: EscalationWebhookOptions): EscalationWebhook {
  const { db, clock, logger, teams } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoffMs = options.backoffMs ?? defaultBackoffMs;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const target = { ...options, fetch: options.fetch ?? fetch, timeoutMs };

  async function payloadOf(row: EscalationRow): Promise<EscalationWebhookPayload | undefined> {
    const ticket = await findTicket(db, row.ticket_id);
    if (!ticket) return undefined;
    const step = escalationPathOf(teams, row.team).find((found) => found.level === row.level);
    return {
      type: 'ticket.escalated',
      deliveryId: row.id,
      ticket: {
        id: ticket.id,
        conversationId: ticket.conversation_id,
        status: ticket.status,
        category: ticket.category,
        language: ticket.language,
        team: ticket.team,
        assignee: ticket.assignee,
        urgency: { score: ticket.urgency_score, level: ticket.urgency_level },
        escalationLevel: ticket.escalation_level,
      },
      escalation: {
        level: row.level,
        name: step?.name ?? `level ${row.level}`,
        clock: row.clock,
        at: row.at_share,
        overdue: row.at_share >= 1,
        dueAt: iso(row.due_at),
        reachedAt: iso(row.reached_at),
      },
      recipients: row.recipients,
    };
  }

  return {
    async deliverDue() {
      const counts = { sent: 0, retried: 0, failed: 0 };
      const rows = await claimDueEscalationWebhooks(db, {
        now: clock.now(),
        leaseMs: timeoutMs + 30_000,
        limit: 20,
      });
      for (const row of rows) {
        const payload = await payloadOf(row);
        const failure = payload
          ? await postAlertWebhook(target, payload)
          : { error: 'the ticket is gone', retryable: false };
        if (!failure) {
          await recordEscalationWebhook(db, row.id, { status: 'sent' });
          counts.sent++;
        } else if (failure.retryable && row.notify_attempts < maxAttempts) {
          const nextAt = new Date(clock.now().getTime() + backoffMs(row.notify_attempts));
          await recordEscalationWebhook(db, row.id, {
            status: 'pending',
            error: failure.error,
            nextAt,
          });
          logger.warn(
            { escalationId: row.id, attempts: row.notify_attempts, error: failure.error },
            'escalation webhook will be retried',
          );
          counts.retried++;
        } else {
          await recordEscalationWebhook(db, row.id, { status: 'failed', error: failure.error });
          logger.error(
            { escalationId: row.id, attempts: row.notify_attempts, error: failure.error },
            'escalation webhook failed for good',
          );
          counts.failed++;
        }
      }
      return counts;
    },
  };
}
