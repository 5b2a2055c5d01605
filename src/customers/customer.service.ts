/**
 * A customer's data on request: the export of everything stored about them, and the erase of
 * all of it. Both are recorded in the audit log under a keyed hash of the customer id, so the
 * record of an erase does not keep the id it erased, yet the same id always gives the same
 * subject (an admin can check that a customer was erased, and when).
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAuditEntry, type AuditEntryInsert } from '../audit/audit.repository.js';
import type { Database } from '../db/tables.js';
import { ConflictError, NotFoundError } from '../errors/domain-errors.js';
import type { Clock } from '../time/clock.js';
import type { CustomerExport, EraseReport } from './customer-export.js';
import {
  agentActionsOfTickets,
  auditEntriesAbout,
  type CustomerIds,
  type CustomerSelector,
  customerConversations,
  deleteCustomerRows,
  messagesOfConversations,
  outboxRowsOfMessages,
  relatedColumns,
  relatedRows,
  ticketsOfConversations,
  triageResultsOfMessages,
} from './customer.repository.js';

export type { CustomerSelector } from './customer.repository.js';

/** Who asked: an admin through the API (their name) or the command line. */
export type AuditActor = Pick<AuditEntryInsert, 'actorType' | 'actorId'>;

export interface CustomerServiceOptions {
  db: Kysely<Database>;
  clock: Clock;
  /** The secret the customer id is hashed with for the audit log (kept in the database). */
  subjectKey: () => Promise<string>;
}

const iso = (value: Date | string | null) =>
  value === null ? null : new Date(value).toISOString();
const isoAlways = (value: Date | string) => new Date(value).toISOString();

function describe(selector: CustomerSelector) {
  return selector.channel === undefined
    ? `customer ${selector.customerId}`
    : `customer ${selector.customerId} on channel ${selector.channel}`;
}

export function createCustomerService({ db, clock, subjectKey }: CustomerServiceOptions) {
  async function subjectId(customerId: string): Promise<string> {
    const digest = createHmac('sha256', await subjectKey())
      .update(customerId)
      .digest('hex');
    return `customer:${digest.slice(0, 32)}`;
  }

  /** The customer's conversations; one id on several channels is several people: name one. */
  async function conversationsOf(database: Kysely<Database>, selector: CustomerSelector) {
    const conversations = await customerConversations(database, selector);
    if (conversations.length === 0)
      throw new NotFoundError(`Nothing is stored about ${describe(selector)}.`);
    const channels = [...new Set(conversations.map((conversation) => conversation.channel))].sort();
    if (selector.channel === undefined && channels.length > 1) {
      throw new ConflictError(
        `Customer id ${selector.customerId} is used on the channels ${channels.join(', ')}, where it may be different people: name the channel (--channel, or ?channel= on the API).`,
      );
    }
    return { conversations, channels };
  }

  async function record(
    action: 'customer.export' | 'customer.erase',
    actor: AuditActor,
    subject: string,
    details: Record<string, unknown>,
    database: Kysely<Database> = db,
  ) {
    await appendAuditEntry(database, {
      ...actor,
      action,
      subjectType: 'customer',
      subjectId: subject,
      details,
      at: clock.now(),
    });
  }

  return {
    subjectId,

    async export(selector: CustomerSelector, actor: AuditActor): Promise<CustomerExport> {
      const { conversations, channels } = await conversationsOf(db, selector);
      const messages = await messagesOfConversations(
        db,
        conversations.map((conversation) => conversation.id),
      );
      const messageIds = messages.map((message) => message.id);
      const results = new Map(
        (await triageResultsOfMessages(db, messageIds)).map((row) => [row.message_id, row.result]),
      );
      const tickets = await ticketsOfConversations(
        db,
        conversations.map((conversation) => conversation.id),
      );
      const actions = await agentActionsOfTickets(
        db,
        tickets.map((ticket) => ticket.id),
      );
      const ids: CustomerIds = {
        conversations: conversations.map((conversation) => conversation.id),
        tickets: tickets.map((ticket) => ticket.id),
        messages: messageIds,
      };
      const audit = await auditEntriesAbout(db, ids, await subjectId(selector.customerId));
      const deliveries = await outboxRowsOfMessages(db, messageIds);
      const related = await relatedRows(db, await relatedColumns(db), ids);
      const exported: CustomerExport = {
        customer: { id: selector.customerId, channels },
        exportedAt: clock.now().toISOString(),
        conversations: conversations.map((conversation) => ({
          id: conversation.id,
          channel: conversation.channel,
          externalId: conversation.external_id,
          customerName: conversation.customer_name,
          status: conversation.status,
          createdAt: isoAlways(conversation.created_at),
          updatedAt: isoAlways(conversation.updated_at),
          messages: messages
            .filter((message) => message.conversation_id === conversation.id)
            .map((message) => ({
              id: message.id,
              externalMessageId: message.external_message_id,
              direction: message.direction,
              author: message.author,
              authorId: message.author_id,
              text: message.text,
              locale: message.locale,
              sentAt: iso(message.sent_at),
              createdAt: isoAlways(message.created_at),
              redactedAt: iso(message.redacted_at),
              triage: results.get(message.id) ?? null,
            })),
          tickets: tickets
            .filter((ticket) => ticket.conversation_id === conversation.id)
            .map((ticket) => ({
              id: ticket.id,
              messageId: ticket.message_id,
              status: ticket.status,
              category: ticket.category,
              subject: ticket.subject,
              draft: ticket.draft,
              urgency: { score: ticket.urgency_score, level: ticket.urgency_level },
              reasons: ticket.reasons,
              assignee: ticket.assignee,
              createdAt: isoAlways(ticket.created_at),
              updatedAt: isoAlways(ticket.updated_at),
              solvedAt: iso(ticket.solved_at),
              actions: actions
                .filter((action) => action.ticket_id === ticket.id)
                .map((action) => ({
                  action: action.action,
                  agentId: action.agent_id,
                  draft: action.draft,
                  sentText: action.sent_text,
                  reason: action.reason,
                  editDistance: action.edit_distance,
                  correctedCategory: action.corrected_category,
                  at: isoAlways(action.at),
                })),
            })),
        })),
        deliveries: deliveries.map((row) => ({
          id: row.id,
          messageId: row.message_id,
          channel: row.channel,
          status: row.status,
          attempts: row.attempts,
          payload: row.payload,
          createdAt: isoAlways(row.created_at),
          deliveredAt: iso(row.delivered_at),
        })),
        audit: audit.map((row) => ({
          at: isoAlways(row.at),
          actorType: row.actor_type,
          actorId: row.actor_id,
          action: row.action,
          subjectType: row.subject_type,
          subjectId: row.subject_id,
          details: row.details,
        })),
        related,
      };
      await record('customer.export', actor, await subjectId(selector.customerId), {
        channels,
        conversations: conversations.length,
        messages: messages.length,
      });
      return exported;
    },

    /** Deletes every row of the customer in one transaction, and records that it did. */
    async erase(selector: CustomerSelector, actor: AuditActor): Promise<EraseReport> {
      const columns = await relatedColumns(db);
      // Before the transaction: the key is read outside it (an embedded database has one connection).
      const subject = await subjectId(selector.customerId);
      return db.transaction().execute(async (trx) => {
        const { conversations, channels } = await conversationsOf(trx, selector);
        const conversationIds = conversations.map((conversation) => conversation.id);
        const ids: CustomerIds = {
          conversations: conversationIds,
          tickets: (await ticketsOfConversations(trx, conversationIds)).map((ticket) => ticket.id),
          messages: (await messagesOfConversations(trx, conversationIds)).map(
            (message) => message.id,
          ),
        };
        const erased = await deleteCustomerRows(trx, ids, columns);
        // Counts and channel names only: the entry outlives the customer's data.
        await record('customer.erase', actor, subject, { channels, erased }, trx);
        return { subjectId: subject, channels, erased };
      });
    },
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
