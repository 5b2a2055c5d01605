/**
 * Tells an outside system (an on-call pager, a team chat bridge) about a new alert: a JSON POST
 * to ALERT_WEBHOOK_URL signed exactly like the reply webhook (`x-triage-signature`, the same
 * function), so one receiver verifies both. The alert row is its own outbox: the notification
 * is pending until the receiver takes it, leased while it is being sent, and retried with
 * backoff after a refusal the receiver calls temporary (408, 429, 5xx, no answer).
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { signWebhookBody } from '../channels/webhook/outbound.js';
import type { Database } from '../db/tables.js';
import type { Clock } from '../time/clock.js';
import type { AlertWebhookPayload } from './alert-contract.js';
import { toAlert } from './alert-mapping.js';
import { alertTicketRows, claimDueNotifications, recordNotification } from './alert.repository.js';

export interface AlertNotifierOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  url: string;
  secret: string;
  /** Attempts before the notification is given up (it stays visible on the alert). Default 8. */
  maxAttempts?: number;
  /** Wait before attempt n+1. Default 30 s × 2^(n-1), at most an hour. */
  backoffMs?: (attempt: number) => number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface AlertNotifier {
  /** Sends the notifications that are due; returns how each went. */
  deliverDue(): Promise<{ sent: number; retried: number; failed: number }>;
}

const defaultBackoffMs = (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);

/**
 * One signed POST to the alert webhook: undefined when the receiver took it; otherwise why not
 * and whether to try again. Exported so SLA escalations (src/escalation/) reach the same receiver.
 */
export async function postAlertWebhook(
  target: Pick<AlertNotifierOptions, 'url' | 'secret' | 'clock'> & {
    fetch: typeof fetch;
    timeoutMs: number;
  },
  payload: { deliveryId: string },
): Promise<{ error: string; retryable: boolean } | undefined> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(target.clock.now().getTime() / 1000);
  let response: Response;
  try {
    response = await target.fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-triage-delivery': payload.deliveryId,
        'x-triage-signature': signWebhookBody(target.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (error) {
    return { error: `alert webhook unreachable: ${(error as Error).message}`, retryable: true };
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.ok) return undefined;
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  return { error: `alert webhook answered ${response.status}`, retryable };
}

export function createAlertNotifier(options: AlertNotifierOptions): AlertNotifier {
  const { db, clock, logger } = options;
  const doFetch = options.fetch ?? fetch;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoffMs = options.backoffMs ?? defaultBackoffMs;
  const timeoutMs = options.timeoutMs ?? 10_000;

  const post = (payload: AlertWebhookPayload) =>
    postAlertWebhook({ ...options, fetch: doFetch, timeoutMs }, payload);

  return {
    async deliverDue() {
      const counts = { sent: 0, retried: 0, failed: 0 };
      const rows = await claimDueNotifications(db, {
        now: clock.now(),
        leaseMs: timeoutMs + 30_000,
        limit: 20,
      });
      for (const row of rows) {
        const tickets = await alertTicketRows(db, row.id);
        const { notification: _notification, ...alert } = toAlert(row, tickets.length);
        const failure = await post({
          type: 'alert.raised',
          deliveryId: row.id,
          alert,
          ticketIds: tickets.map((ticket) => ticket.id),
        });
        if (!failure) {
          await recordNotification(db, row.id, { status: 'sent' });
          counts.sent++;
        } else if (failure.retryable && row.notify_attempts < maxAttempts) {
          const nextAt = new Date(clock.now().getTime() + backoffMs(row.notify_attempts));
          await recordNotification(db, row.id, { status: 'pending', error: failure.error, nextAt });
          logger.warn(
            { alertId: row.id, attempts: row.notify_attempts, error: failure.error },
            'alert webhook will be retried',
          );
          counts.retried++;
        } else {
          await recordNotification(db, row.id, { status: 'failed', error: failure.error });
          logger.error(
            { alertId: row.id, attempts: row.notify_attempts, error: failure.error },
            'alert webhook failed for good',
          );
          counts.failed++;
        }
      }
      return counts;
    },
  };
}
