/**
 * What agents do with tickets: the queue (most urgent first, then nearest SLA breach),
 * one ticket with its conversation and evidence, and actions. Every change checks the
 * version the agent saw (optimistic concurrency: two agents cannot both send), is one
 * transaction, and leaves an agent action and an audit row; sent replies go out through
 * the outbox like the bot's. What each action may do is data (ticket-transitions.ts).
 */
import { distance } from 'fastest-levenshtein';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { appendAuditEntry } from '../audit/audit.repository.js';
import type { ChannelDirectory } from '../channels/channel.js';
import type { CsatSurveys } from '../csat/csat-surveys.js';
import { createConversationReader } from '../conversations/conversation.reader.js';
import {
  findConversation,
  setConversationHolder,
} from '../conversations/conversation.repository.js';
import { lastInboundMessage } from '../conversations/message.repository.js';
import { storedTriageResult } from '../conversations/triage-result.repository.js';
import type { Database } from '../db/tables.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors/domain-errors.js';
import { storeOutboundReply } from '../outbox/outbound-reply.js';
import { clockStatus } from '../sla/sla-clock.js';
import type { Clock } from '../time/clock.js';
import type { Taxonomy } from '../triage/taxonomy.js';
import { urgencyLevels } from '../triage/triage.js';
import {
  activeTicketStatuses,
  type Ticket,
  type TicketAction,
  type TicketDetail,
  ticketSchema,
  type ticketStatuses,
} from './ticket-contract.js';
import {
  agentActionCounts,
  agentActionsOf,
  claimTicketVersion,
  findOpenTicket,
  findTicket,
  insertAgentAction,
  queueRows,
  type TicketRow,
  updateTicket,
} from './ticket.repository.js';
import { planTransition, type TicketTransition, ticketTransitions } from './ticket-transitions.js';

export interface TicketServiceOptions {
  db: Kysely<Database>;
  channels: ChannelDirectory;
  clock: Clock;
  taxonomy: Taxonomy;
  /** Satisfaction surveys: the customer is asked for a rating when a ticket is solved. */
  csat?: Pick<CsatSurveys, 'afterSolve'>;
  /** Hears each reply an agent sent, once committed (approved answers take candidates from it). */
  onReplySent?: (reply: SentReply) => Promise<void>;
}

/** A reply an agent sent on a ticket: the draft accepted or edited, or their own reply. */
export interface SentReply {
  ticketId: string;
  action: 'accept' | 'edit' | 'reply';
  /** The ticket's draft when the action decided on it (accept, edit); null for a reply. */
  draft: string | null;
  sentText: string;
  agentId: string;
  at: Date;
}

export interface QueueFilter {
  status?: (typeof ticketStatuses)[number] | 'active';
  assignee?: string;
  limit?: number;
}

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);
const urgencyLevelSchema = z.enum(urgencyLevels);
const evidenceSchema = ticketSchema.shape.evidence;

function toTicket(row: TicketRow, now: Date): Ticket {
  const firstDue = row.first_response_due_at ? new Date(row.first_response_due_at) : null;
  const resolutionDue = row.resolution_due_at ? new Date(row.resolution_due_at) : null;
  const stopped = (value: Date | string | null) => (value ? new Date(value) : null);
  return {
    id: row.id,
    conversationId: row.conversation_id,
    status: row.status,
    category: row.category,
    language: row.language,
    subject: row.subject,
    urgency: {
      score: row.urgency_score,
      level: urgencyLevelSchema.parse(row.urgency_level),
      reasons: row.reasons,
    },
    draft: row.draft,
    evidence: evidenceSchema.parse(row.evidence),
    assignee: row.assignee,
    escalated: row.escalated,
    team: row.team,
    escalationLevel: row.escalation_level,
    sla: {
      // Solved or closed without a reply: the first-response clock stopped then (missed if late).
      firstResponse: firstDue
        ? clockStatus(firstDue, stopped(row.first_responded_at ?? row.solved_at), now)
        : null,
      // A closed ticket without a solve time stopped its clock when it was closed.
      resolution: resolutionDue ? clockStatus(resolutionDue, stopped(row.solved_at), now) : null,
    },
    version: row.version,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

export function createTicketService(options: TicketServiceOptions) {
  const { db, clock } = options;
  const conversations = createConversationReader(db);

  async function row(id: string, trx: Kysely<Database> | Transaction<Database> = db) {
    const found = await findTicket(trx, id);
    if (!found) throw new NotFoundError(`No ticket ${id}.`);
    return found;
  }

  /** Bumps the version the agent saw; a stale version or a ticket in another state is a 409. */
  async function claimVersion(
    trx: Transaction<Database>,
    id: string,
    version: number,
    allowed: TicketTransition['from'],
  ) {
    const updated = await claimTicketVersion(trx, { id, version, allowed, now: clock.now() });
    if (updated) return updated;
    const current = await row(id, trx);
    if (current.version !== version) {
      throw new ConflictError(
        `Ticket ${id} changed since you loaded it (version ${version}, now ${current.version}); reload it.`,
      );
    }
    throw new ConflictError(
      `Ticket ${id} is ${current.status}; this action needs it to be ${allowed.join(' or ')}.`,
    );
  }

  async function record(
    trx: Transaction<Database>,
    ticketId: string,
    agentId: string,
    transition: TicketTransition,
    details: {
      draft?: string | null;
      sentText?: string;
      reason?: string;
      category?: string;
      sentMessageId?: string;
    },
  ) {
    const editDistance =
      details.sentText !== undefined && details.draft != null
        ? distance(details.draft, details.sentText)
        : null;
    const at = clock.now();
    await insertAgentAction(trx, {
      ticketId,
      agentId,
      action: transition.kind,
      draft: details.draft ?? null,
      sentText: details.sentText ?? null,
      editDistance,
      reason: details.reason ?? null,
      correctedCategory: details.category ?? null,
      sentMessageId: details.sentMessageId ?? null,
      at,
    });
    await appendAuditEntry(trx, {
      actorType: 'agent',
      actorId: agentId,
      action: `ticket.${transition.kind}`,
      subjectType: 'ticket',
      subjectId: ticketId,
      details: { editDistance, reason: details.reason ?? null, category: details.category ?? null },
      at,
    });
  }

  /** The reply goes out through the outbox, answering the customer's latest message. */
  async function send(
    trx: Transaction<Database>,
    ticket: TicketRow,
    agentId: string,
    text: string,
    now: Date,
  ) {
    const conversation = await findConversation(trx, ticket.conversation_id);
    if (!conversation)
      throw new Error(`ticket ${ticket.id} has no conversation ${ticket.conversation_id}`);
    const lastInbound = await lastInboundMessage(trx, ticket.conversation_id);
    return storeOutboundReply(
      trx,
      {
        conversation: {
          id: conversation.id,
          channel: conversation.channel,
          externalId: conversation.external_id,
          customerId: conversation.customer_id,
        },
        inReplyTo: lastInbound
          ? { id: lastInbound.id, externalId: lastInbound.external_message_id }
          : null,
        author: 'agent',
        authorId: agentId,
        text,
      },
      { channels: options.channels, now },
    );
  }

  return {
    async queue(filter: QueueFilter = {}): Promise<Ticket[]> {
      const status = filter.status ?? 'active';
      const rows = await queueRows(db, {
        statuses: status === 'active' ? activeTicketStatuses : [status],
        assignee: filter.assignee,
        limit: filter.limit ?? 100,
      });
      const now = clock.now();
      return rows.map((found) => toTicket(found, now));
    },

    async get(id: string): Promise<TicketDetail> {
      const found = await row(id);
      const conversation = await conversations.get(found.conversation_id);
      const triage = await storedTriageResult(db, found.message_id);
      const actions = await agentActionsOf(db, id);
      return {
        ...toTicket(found, clock.now()),
        conversation,
        triage: triage ?? null,
        actions: actions.map((action) => ({
          action: action.action,
          agentId: action.agent_id,
          reason: action.reason,
          editDistance: action.edit_distance,
          at: iso(action.at)!,
        })),
      };
    },

    /** Applies one action as ticket-transitions.ts describes it, in one transaction. */
    async act(id: string, action: TicketAction, agentId: string): Promise<Ticket> {
      if (
        action.action === 'reject' &&
        action.category &&
        !options.taxonomy.categories.some((category) => category.key === action.category)
      ) {
        throw new InvalidError(`category: ${action.category} is not in the taxonomy`);
      }
      let sentReply: SentReply | undefined;
      await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const ticket = await claimVersion(
          trx,
          id,
          action.version,
          ticketTransitions[action.action].from,
        );
        const plan = planTransition(ticket, action, agentId, now);
        if (plan.transition.needsNoOtherOpenTicket) {
          const other = await findOpenTicket(trx, ticket.conversation_id);
          if (other)
            throw new ConflictError(
              `The conversation already has ticket ${other.id} open; work on that one.`,
            );
        }
        let sent: { sentText: string; sentMessageId: string } | undefined;
        if (plan.text !== undefined) {
          if (!plan.text)
            throw new ConflictError(
              `Ticket ${id} has no draft to accept; write the reply and send it as an edit.`,
            );
          sent = {
            sentText: plan.text,
            sentMessageId: await send(trx, ticket, agentId, plan.text, now),
          };
        }
        if (plan.transition.conversation)
          await setConversationHolder(
            trx,
            ticket.conversation_id,
            plan.transition.conversation,
            now,
          );
        if (Object.keys(plan.ticket).length) await updateTicket(trx, id, plan.ticket);
        // The customer is asked for a 1-5 rating through their channel (src/csat/).
        if (plan.transition.kind === 'solve') await options.csat?.afterSolve(trx, ticket, now);
        await record(trx, id, agentId, plan.transition, { ...plan.record, ...sent });
        const kind = plan.transition.kind;
        if (sent && (kind === 'accept' || kind === 'edit' || kind === 'reply'))
          sentReply = {
            ticketId: id,
            action: kind,
            draft: plan.record.draft ?? null,
            sentText: sent.sentText,
            agentId,
            at: now,
          };
      });
      // After the commit: nothing a listener does can undo the reply the customer is sent.
      if (sentReply) await options.onReplySent?.(sentReply);
      return toTicket(await row(id), clock.now());
    },

    /** How agents treat drafts: the assistant's acceptance KPI. */
    async actionCounts() {
      const rows = await agentActionCounts(db, ['accept', 'edit', 'reject']);
      const count = (action: string) => rows.find((found) => found.action === action)?.count ?? 0;
      const [accepted, edited, rejected] = [count('accept'), count('edit'), count('reject')];
      const total = accepted + edited + rejected;
      return { accepted, edited, rejected, acceptanceRate: total ? accepted / total : null };
    },
  };
}

export type TicketService = ReturnType<typeof createTicketService>;
