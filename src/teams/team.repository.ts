/** SQL of routing: open tickets per member, and a new ticket's team and assignee. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import { activeTicketStatuses } from '../tickets/ticket-contract.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Open tickets (open or pending the customer) of each named person who is an enabled console
 * user; people without an account, or disabled, are left out (they cannot be assigned).
 */
export async function assignableOpenCounts(
  db: Db,
  usernames: readonly string[],
): Promise<Map<string, number>> {
  if (usernames.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .leftJoin('tickets', (join) =>
      join
        .onRef('tickets.assignee', '=', 'users.username')
        .on('tickets.status', 'in', [...activeTicketStatuses]),
    )
    .select(['users.username', (eb) => eb.fn.count<number>('tickets.id').as('count')])
    .where('users.username', 'in', [...usernames])
    .where('users.disabled_at', 'is', null)
    .groupBy('users.username')
    .execute();
  return new Map(rows.map((row) => [row.username, Number(row.count)]));
}

/** A ticket's team, and its assignee unless someone already has it. */
export async function setTicketRouting(
  db: Db,
  ticketId: string,
  routing: { team: string | null; assignee: string | null },
): Promise<void> {
  await db
    .updateTable('tickets')
    .set((eb) => ({
      team: routing.team,
      assignee: eb.fn.coalesce('assignee', eb.val(routing.assignee)),
    }))
    .where('id', '=', ticketId)
    .execute();
}

/** Open tickets per team (GET /v1/teams). */
export async function openTicketsPerTeam(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('tickets')
    .select(['team', (eb) => eb.fn.countAll<number>().as('count')])
    .where('team', 'is not', null)
    .where('status', 'in', [...activeTicketStatuses])
    .groupBy('team')
    .execute();
  return new Map(rows.map((row) => [row.team!, Number(row.count)]));
}
