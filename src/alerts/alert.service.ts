/**
 * What agents do with alerts: list them (the console's banner asks for the unresolved ones),
 * open one with its grouped tickets, acknowledge it ("we are on it"), resolve it, and answer
 * every grouped ticket with one reviewed reply. Each reply is the ticket service's own `reply`
 * action on that ticket (version check, agent action, audit entry, outbox delivery), exactly
 * as if the agent had sent it from the ticket.
 */
import type { Kysely } from 'kysely';
import { appendAuditEntry } from '../audit/audit.repository.js';
import type { Database } from '../db/tables.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors/domain-errors.js';
import { activeTicketStatuses, ticketStatusSchema } from '../tickets/ticket-contract.js';
import type { TicketService } from '../tickets/ticket.service.js';
import { findTicket } from '../tickets/ticket.repository.js';
import type { Clock } from '../time/clock.js';
import { urgencyLevels } from '../triage/urgency-levels.js';
import {
  type Alert,
  type AlertDetail,
  type AlertReplyRequest,
  type AlertReplyResult,
  type AlertStatus,
  unresolvedAlertStatuses,
} from './alert-contract.js';
import { toAlert } from './alert-mapping.js';
import {
  alertTicketRows,
  changeAlertStatus,
  findAlert,
  listAlerts,
  markTicketReplied,
  ticketCounts,
} from './alert.repository.js';
import { z } from 'zod';

export interface AlertServiceOptions {
  db: Kysely<Database>;
  clock: Clock;
  tickets: Pick<TicketService, 'act'>;
}

export interface AlertFilter {
  /** `active`: open and acknowledged (default). */
  status?: AlertStatus | 'active';
  limit?: number;
}

const iso = (value: Date | string) => new Date(value).toISOString();
const urgencyLevelSchema = z.enum(urgencyLevels);
const isActive = (status: string) => (activeTicketStatuses as readonly string[]).includes(status);

export function createAlertService(options: AlertServiceOptions) {
  const { db, clock } = options;

  async function row(id: string) {
    const found = await findAlert(db, id);
    if (!found) throw new NotFoundError(`No alert ${id}.`);
    return found;
  }

  async function withCount(found: Awaited<ReturnType<typeof row>>): Promise<Alert> {
    const counts = await ticketCounts(db, [found.id]);
    return toAlert(found, counts.get(found.id) ?? 0);
  }

  async function changeStatus(
    id: string,
    to: 'acknowledged' | 'resolved',
    from: readonly AlertStatus[],
    agentId: string,
  ): Promise<Alert> {
    const now = clock.now();
    const changed = await db.transaction().execute(async (trx) => {
      const updated = await changeAlertStatus(trx, { id, from, to, by: agentId, now });
      if (!updated) return undefined;
      await appendAuditEntry(trx, {
        actorType: 'agent',
        actorId: agentId,
        action: `alert.${to === 'acknowledged' ? 'acknowledge' : 'resolve'}`,
        subjectType: 'alert',
        subjectId: id,
        details: { kind: updated.kind, key: updated.key },
        at: now,
      });
      return updated;
    });
    if (changed) return withCount(changed);
    const current = await row(id);
    throw new ConflictError(
      `Alert ${id} is ${current.status}; this needs it to be ${from.join(' or ')}.`,
    );
  }

  /** One ticket's reply through the ticket service; a version changed meanwhile is read again once. */
  async function replyTo(ticketId: string, version: number, text: string, agentId: string) {
    try {
      await options.tickets.act(ticketId, { action: 'reply', text, version }, agentId);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const current = await findTicket(db, ticketId);
      if (!current || current.version === version || !isActive(current.status)) throw error;
      await options.tickets.act(
        ticketId,
        { action: 'reply', text, version: current.version },
        agentId,
      );
    }
  }

  return {
    async list(filter: AlertFilter = {}): Promise<Alert[]> {
      const status = filter.status ?? 'active';
      const rows = await listAlerts(db, {
        statuses: status === 'active' ? unresolvedAlertStatuses : [status],
        limit: filter.limit ?? 50,
      });
      const counts = await ticketCounts(
        db,
        rows.map((found) => found.id),
      );
      return rows.map((found) => toAlert(found, counts.get(found.id) ?? 0));
    },

    async get(id: string): Promise<AlertDetail> {
      const found = await row(id);
      const tickets = await alertTicketRows(db, id);
      return {
        ...toAlert(found, tickets.length),
        tickets: tickets.map((ticket) => ({
          id: ticket.id,
          conversationId: ticket.conversation_id,
          status: ticketStatusSchema.parse(ticket.status),
          category: ticket.category,
          subject: ticket.subject,
          urgency: {
            score: ticket.urgency_score,
            level: urgencyLevelSchema.parse(ticket.urgency_level),
          },
          createdAt: iso(ticket.created_at),
          addedAt: iso(ticket.added_at),
          repliedAt: ticket.replied_at ? iso(ticket.replied_at) : null,
        })),
      };
    },

    acknowledge: (id: string, agentId: string) =>
      changeStatus(id, 'acknowledged', ['open'], agentId),

    resolve: (id: string, agentId: string) =>
      changeStatus(id, 'resolved', unresolvedAlertStatuses, agentId),

    /**
     * The reviewed text to each chosen ticket (default: every grouped ticket still open or
     * waiting for the customer). A ticket that cannot take it (solved, closed, changed by
     * someone else twice) is skipped and said why; the others are sent.
     */
    async reply(
      id: string,
      request: AlertReplyRequest,
      agentId: string,
    ): Promise<AlertReplyResult> {
      await row(id);
      const grouped = await alertTicketRows(db, id);
      if (request.ticketIds) {
        const outside = request.ticketIds.filter(
          (ticketId) => !grouped.some((ticket) => ticket.id === ticketId),
        );
        if (outside.length)
          throw new InvalidError(`ticketIds: ${outside.join(', ')} not grouped under alert ${id}`);
      }
      const chosen = request.ticketIds
        ? grouped.filter((ticket) => request.ticketIds!.includes(ticket.id))
        : grouped.filter((ticket) => isActive(ticket.status));
      if (chosen.length === 0)
        throw new ConflictError(
          `Alert ${id} has no open ticket to answer; a solved or closed ticket is reopened from the ticket itself.`,
        );
      const result: AlertReplyResult = { sent: [], skipped: [] };
      for (const ticket of chosen) {
        if (!isActive(ticket.status)) {
          result.skipped.push({ ticketId: ticket.id, reason: `ticket is ${ticket.status}` });
          continue;
        }
        try {
          await replyTo(ticket.id, ticket.version, request.text, agentId);
          await markTicketReplied(db, id, ticket.id, clock.now());
          result.sent.push(ticket.id);
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          result.skipped.push({ ticketId: ticket.id, reason: error.message });
        }
      }
      await appendAuditEntry(db, {
        actorType: 'agent',
        actorId: agentId,
        action: 'alert.reply',
        subjectType: 'alert',
        subjectId: id,
        details: { sent: result.sent, skipped: result.skipped.map((skip) => skip.ticketId) },
        at: clock.now(),
      });
      return result;
    },
  };
}

export type AlertService = ReturnType<typeof createAlertService>;
