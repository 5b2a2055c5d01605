/**
 * What agents do with tickets: the queue (most urgent first, then nearest SLA breach),
 * one ticket with its conversation and evidence, and actions. Every change checks the
 * version the agent saw (optimistic concurrency: two agents cannot both send), is one
 * transaction, and leaves an agent action and an audit row; sent replies go out through
 * the outbox like the bot's.
 */
import { distance } from 'fastest-levenshtein';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { ChannelDirectory } from '../channels/channel.js';
import type { AgentActionKind, Database, TicketsTable } from '../db/tables.js';
import { createConversationReader } from '../conversations/conversation.reader.js';
import { ApiError } from '../http/errors.js';
import { storeOutboundReply } from '../outbox/outbound-reply.js';
import { clockStatus } from '../sla/sla-clock.js';
import type { Clock } from '../time/clock.js';
import type { Taxonomy } from '../triage/taxonomy.js';
import type { TriageResult } from '../triage/triage.js';
import type { Ticket, TicketAction, TicketDetail, ticketStatuses } from './ticket-contract.js';

export interface TicketServiceOptions {
  db: Kysely<Database>;
  channels: ChannelDirectory;
  clock: Clock;
  taxonomy: Taxonomy;
}

export interface QueueFilter {
  status?: (typeof ticketStatuses)[number] | 'active';
  assignee?: string;
  limit?: number;
}

type TicketRow = Selectable<TicketsTable>;

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

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
    urgency: { score: row.urgency_score, level: row.urgency_level as Ticket['urgency']['level'], reasons: row.reasons as string[] },
    draft: row.draft,
    evidence: row.evidence as Ticket['evidence'],
    assignee: row.assignee,
    escalated: row.escalated,
    sla: {
      // Solved or closed without a reply: the first-response clock stopped then (missed if late).
      firstResponse: firstDue ? clockStatus(firstDue, stopped(row.first_responded_at ?? row.solved_at), now) : null,
      // A closed ticket without a solve time stopped its clock when it was closed.
      resolution: resolutionDue ? clockStatus(resolutionDue, stopped(row.solved_at), now) : null,
    },
    version: row.version,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

const urgencyRank = sql<number>`case tickets.urgency_level when 'critical' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;
const nextDue = sql<Date>`case when tickets.first_responded_at is null then tickets.first_response_due_at else tickets.resolution_due_at end`;

export function createTicketService(options: TicketServiceOptions) {
  const { db, clock } = options;
  const conversations = createConversationReader(db);

  async function row(id: string, trx: Kysely<Database> | Transaction<Database> = db) {
    const found = await trx.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!found) throw new ApiError('not_found', `No ticket ${id}.`);
    return found;
  }

  /** Bumps the version the agent saw; a stale version or a finished ticket is a 409. */
  async function claimVersion(trx: Transaction<Database>, id: string, version: number, allowed: readonly string[]) {
    const updated = await trx
      .updateTable('tickets')
      .set({ version: sql`version + 1`, updated_at: clock.now() })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', 'in', allowed as (typeof ticketStatuses)[number][])
      .returningAll()
      .executeTakeFirst();
    if (updated) return updated;
    const current = await row(id, trx);
    if (current.version !== version) {
      throw new ApiError('conflict', `Ticket ${id} changed since you loaded it (version ${version}, now ${current.version}); reload it.`);
    }
    throw new ApiError('conflict', `Ticket ${id} is ${current.status}; this action needs it to be ${allowed.join(' or ')}.`);
  }

  async function record(
    trx: Transaction<Database>,
    ticketId: string,
    agentId: string,
    action: AgentActionKind,
    details: { draft?: string | null; sentText?: string; reason?: string; category?: string; sentMessageId?: string } = {},
  ) {
    const editDistance = details.sentText !== undefined && details.draft != null ? distance(details.draft, details.sentText) : null;
    await trx
      .insertInto('agent_actions')
      .values({
        ticket_id: ticketId,
        agent_id: agentId,
        action,
        draft: details.draft ?? null,
        sent_text: details.sentText ?? null,
        edit_distance: editDistance,
        reason: details.reason ?? null,
        corrected_category: details.category ?? null,
        sent_message_id: details.sentMessageId ?? null,
        at: clock.now(),
      })
      .execute();
    await trx
      .insertInto('audit_log')
      .values({
        actor_type: 'agent',
        actor_id: agentId,
        action: `ticket.${action}`,
        subject_type: 'ticket',
        subject_id: ticketId,
        details: JSON.stringify({ editDistance, reason: details.reason ?? null, category: details.category ?? null }),
        at: clock.now(),
      })
      .execute();
  }

  async function send(trx: Transaction<Database>, ticket: TicketRow, agentId: string, text: string) {
    const now = clock.now();
    const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', ticket.conversation_id).executeTakeFirstOrThrow();
    const lastInbound = await trx
      .selectFrom('messages')
      .select(['id', 'external_message_id'])
      .where('conversation_id', '=', ticket.conversation_id)
      .where('direction', '=', 'inbound')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const messageId = await storeOutboundReply(
      trx,
      {
        conversation: { id: conversation.id, channel: conversation.channel, externalId: conversation.external_id, customerId: conversation.customer_id },
        inReplyTo: lastInbound ? { id: lastInbound.id, externalId: lastInbound.external_message_id } : null,
        author: 'agent',
        authorId: agentId,
        text,
      },
      { channels: options.channels, now },
    );
    // A human has the conversation now: the bot stays silent until the ticket is solved.
    await trx.updateTable('conversations').set({ status: 'agent', updated_at: now }).where('id', '=', conversation.id).execute();
    await trx
      .updateTable('tickets')
      .set({
        status: 'pending_customer',
        first_responded_at: sql`coalesce(first_responded_at, ${now})`,
        assignee: sql`coalesce(assignee, ${agentId})`,
      })
      .where('id', '=', ticket.id)
      .execute();
    return messageId;
  }

  return {
    async queue(filter: QueueFilter = {}): Promise<Ticket[]> {
      let query = db.selectFrom('tickets').selectAll();
      const status = filter.status ?? 'active';
      query =
        status === 'active' ? query.where('status', 'in', ['open', 'pending_customer']) : query.where('status', '=', status);
      if (filter.assignee) query = query.where('assignee', '=', filter.assignee);
      const rows = await query
        .orderBy(urgencyRank)
        .orderBy(nextDue, (order) => order.asc().nullsLast())
        .orderBy('created_at')
        .limit(filter.limit ?? 100)
        .execute();
      const now = clock.now();
      return rows.map((found) => toTicket(found, now));
    },

    async get(id: string): Promise<TicketDetail> {
      const found = await row(id);
      const conversation = await conversations.get(found.conversation_id);
      const triage = await db.selectFrom('triage_results').select('result').where('message_id', '=', found.message_id).executeTakeFirst();
      const actions = await db.selectFrom('agent_actions').selectAll().where('ticket_id', '=', id).orderBy('at').orderBy('id').execute();
      return {
        ...toTicket(found, clock.now()),
        conversation,
        triage: triage?.result ?? null,
        actions: actions.map((action) => ({
          action: action.action,
          agentId: action.agent_id,
          reason: action.reason,
          editDistance: action.edit_distance,
          at: iso(action.at)!,
        })),
      };
    },

    async act(id: string, action: TicketAction, agentId: string): Promise<Ticket> {
      await db.transaction().execute(async (trx) => {
        const active = ['open', 'pending_customer'] as const;
        switch (action.action) {
          case 'accept':
          case 'edit': {
            const ticket = await claimVersion(trx, id, action.version, active);
            const text = action.action === 'accept' ? ticket.draft : action.text;
            if (!text) throw new ApiError('conflict', `Ticket ${id} has no draft to accept; write the reply and send it as an edit.`);
            const sentMessageId = await send(trx, ticket, agentId, text);
            await record(trx, id, agentId, action.action, { draft: ticket.draft, sentText: text, sentMessageId });
            return;
          }
          case 'reply': {
            const ticket = await claimVersion(trx, id, action.version, active);
            const sentMessageId = await send(trx, ticket, agentId, action.text);
            await record(trx, id, agentId, 'reply', { sentText: action.text, sentMessageId });
            return;
          }
          case 'reject': {
            if (action.category && !options.taxonomy.categories.some((category) => category.key === action.category)) {
              throw new ApiError('validation_failed', `category: ${action.category} is not in the taxonomy`);
            }
            const ticket = await claimVersion(trx, id, action.version, active);
            if (action.category) await trx.updateTable('tickets').set({ category: action.category }).where('id', '=', id).execute();
            await record(trx, id, agentId, 'reject', { draft: ticket.draft, reason: action.reason, category: action.category });
            return;
          }
          case 'reassign': {
            await claimVersion(trx, id, action.version, active);
            await trx.updateTable('tickets').set({ assignee: action.assignee }).where('id', '=', id).execute();
            await record(trx, id, agentId, 'reassign', { reason: `to ${action.assignee}` });
            return;
          }
          case 'escalate': {
            await claimVersion(trx, id, action.version, active);
            await trx
              .updateTable('tickets')
              .set({ escalated: true, urgency_score: sql`greatest(urgency_score, 75)`, urgency_level: sql`case when urgency_level = 'critical' then 'critical' else 'high' end` })
              .where('id', '=', id)
              .execute();
            await record(trx, id, agentId, 'escalate', { reason: action.reason });
            return;
          }
          case 'pending': {
            await claimVersion(trx, id, action.version, ['open']);
            await trx.updateTable('tickets').set({ status: 'pending_customer' }).where('id', '=', id).execute();
            await record(trx, id, agentId, 'pending');
            return;
          }
          case 'solve': {
            const ticket = await claimVersion(trx, id, action.version, active);
            await trx.updateTable('tickets').set({ status: 'solved', solved_at: clock.now() }).where('id', '=', id).execute();
            await trx.updateTable('conversations').set({ status: 'bot', updated_at: clock.now() }).where('id', '=', ticket.conversation_id).execute();
            await record(trx, id, agentId, 'solve');
            return;
          }
          case 'close': {
            const ticket = await claimVersion(trx, id, action.version, ['open', 'pending_customer', 'solved']);
            await trx
              .updateTable('tickets')
              .set({ status: 'closed', solved_at: sql`coalesce(solved_at, ${clock.now()})` })
              .where('id', '=', id)
              .execute();
            await trx.updateTable('conversations').set({ status: 'bot', updated_at: clock.now() }).where('id', '=', ticket.conversation_id).execute();
            await record(trx, id, agentId, 'close');
            return;
          }
          case 'reopen': {
            const ticket = await claimVersion(trx, id, action.version, ['solved', 'closed']);
            const other = await trx
              .selectFrom('tickets')
              .select('id')
              .where('conversation_id', '=', ticket.conversation_id)
              .where('status', 'in', ['open', 'pending_customer'])
              .executeTakeFirst();
            if (other) throw new ApiError('conflict', `The conversation already has ticket ${other.id} open; work on that one.`);
            await trx.updateTable('tickets').set({ status: 'open', solved_at: null }).where('id', '=', id).execute();
            await record(trx, id, agentId, 'reopen');
            return;
          }
        }
      });
      return toTicket(await row(id), clock.now());
    },

    /** How agents treat drafts: the assistant's acceptance KPI. */
    async actionCounts() {
      const rows = await db
        .selectFrom('agent_actions')
        .select(['action', (eb) => eb.fn.countAll<number>().as('count')])
        .where('action', 'in', ['accept', 'edit', 'reject'])
        .groupBy('action')
        .execute();
      const count = (action: string) => Number(rows.find((found) => found.action === action)?.count ?? 0);
      const [accepted, edited, rejected] = [count('accept'), count('edit'), count('reject')];
      const total = accepted + edited + rejected;
      return { accepted, edited, rejected, acceptanceRate: total ? accepted / total : null };
    },

    /** The triage result behind a ticket (for exports). */
    async triageOf(messageId: string): Promise<TriageResult | undefined> {
      const found = await db.selectFrom('triage_results').select('result').where('message_id', '=', messageId).executeTakeFirst();
      return found?.result as TriageResult | undefined;
    },
  };
}

export type TicketService = ReturnType<typeof createTicketService>;
