/**
 * A customer's history for data-lifecycle tests, made through the real intake and agent API:
 * an automatic answer, a hand-off ticket with its draft, an agent's edited reply (an agent
 * action, an outbound message, outbox rows), and the audit entries all of that writes. And a
 * scan of every table for any trace of a customer (their words, ids and names).
 */
import { type Kysely, sql } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../db/tables.js';
import { bearer, postJson, type TestService } from './service.js';

export interface SeededCustomer {
  customerId: string;
  channel: string;
  /** A word only this customer wrote: every text of theirs carries it. */
  marker: string;
  name: string;
  conversationIds: string[];
  externalConversationIds: string[];
  messageIds: string[];
  ticketId: string;
}

let sequence = 0;

/** Sends a message and waits for its outcome. */
export async function sendMessage(
  service: TestService,
  message: {
    channel: string;
    customerId: string;
    name?: string;
    conversation: string;
    text: string;
  },
) {
  const response = await postJson(
    service.app,
    '/v1/messages?wait=30',
    {
      channel: message.channel,
      externalMessageId: `m-${message.customerId}-${sequence++}`,
      conversationId: message.conversation,
      customer: { id: message.customerId, ...(message.name ? { name: message.name } : {}) },
      text: message.text,
    },
    bearer('integration'),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as {
    messageId: string;
    conversationId: string;
    action: 'auto_reply' | 'handoff';
    reply?: { messageId: string; text: string };
    ticket?: { id: string };
  };
}

/**
 * Two conversations of one customer: a refund question the bot answers, and a damaged parcel
 * handed to a person, whose draft an agent edits and sends (optionally solving the ticket).
 */
export async function seedCustomer(
  service: TestService,
  options: { customerId: string; marker: string; channel?: string; solve?: boolean },
): Promise<SeededCustomer> {
  const channel = options.channel ?? 'web-chat';
  const name = `${options.marker} Quenton`;
  const conversations = [`conv-${options.customerId}-a`, `conv-${options.customerId}-b`];
  const base = { channel, customerId: options.customerId, name };
  const answered = await sendMessage(service, {
    ...base,
    conversation: conversations[0]!,
    text: `How long does a refund take to reach my card? I am ${options.marker}.`,
  });
  expect(answered.action).toBe('auto_reply');
  const handed = await sendMessage(service, {
    ...base,
    conversation: conversations[1]!,
    text: `I want to talk to a person, my parcel was damaged and I am very angry. ${options.marker} here, order 55012388.`,
  });
  expect(handed.action).toBe('handoff');
  const ticketId = handed.ticket!.id;
  const ticket = await (
    await service.app.request(`/v1/tickets/${ticketId}`, { headers: bearer('agent') })
  ).json();
  expect(ticket.draft).toBeTruthy();
  const edited = await postJson(
    service.app,
    `/v1/tickets/${ticketId}/actions`,
    {
      action: 'edit',
      text: `Sorry ${options.marker}, a replacement is on its way.`,
      version: ticket.version,
    },
    bearer('agent'),
  );
  expect(edited.status).toBe(200);
  if (options.solve) {
    const solved = await postJson(
      service.app,
      `/v1/tickets/${ticketId}/actions`,
      { action: 'solve', version: (await edited.json()).version },
      bearer('agent'),
    );
    expect(solved.status).toBe(200);
  }
  const messages = await service.database.db
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', 'in', [answered.conversationId, handed.conversationId])
    .execute();
  return {
    customerId: options.customerId,
    channel,
    marker: options.marker,
    name,
    conversationIds: [answered.conversationId, handed.conversationId],
    externalConversationIds: conversations,
    messageIds: messages.map((message) => message.id),
    ticketId,
  };
}

/** Every trace of a customer to look for: their words, name and every id of theirs. */
export function tracesOf(customer: SeededCustomer): string[] {
  return [
    customer.marker,
    customer.customerId,
    ...customer.externalConversationIds,
    ...customer.conversationIds,
    ...customer.messageIds,
    customer.ticketId,
  ];
}

/**
 * The rows of every table whose text columns (text, JSON, ids, arrays: every column but vectors
 * and numbers) hold any of `needles`: `{ table: count }` for the tables with a match.
 */
export async function tablesMentioning(
  db: Kysely<Database>,
  needles: string[],
): Promise<Record<string, number>> {
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t
        on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
       and (c.data_type in ('text', 'character varying', 'json', 'jsonb', 'uuid', 'ARRAY'))
     order by c.table_name, c.ordinal_position`.execute(db);
  const tables = [...new Set(columns.map((column) => column.table_name))];
  expect(tables.length).toBeGreaterThan(10);
  const patterns = needles.map((needle) => `%${needle}%`);
  const found: Record<string, number> = {};
  for (const table of tables) {
    const text = sql.join(
      columns
        .filter((column) => column.table_name === table)
        .map((column) => sql`coalesce(${sql.ref(column.column_name)}::text, '')`),
      sql` || ' ' || `,
    );
    const { rows } = await sql<{ count: number }>`
      select count(*)::int as count from ${sql.table(table)}
       where (${text}) ilike any (${sql.val(patterns)}::text[])`.execute(db);
    if (rows[0]!.count > 0) found[table] = rows[0]!.count;
  }
  return found;
}
