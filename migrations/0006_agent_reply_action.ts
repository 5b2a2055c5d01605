/**
 * Agents' own replies (`reply`, follow-ups that are not a decision on the draft) are a
 * recorded agent action. This change was first made by editing the shipped 0003, so a
 * database may hold either check: drop whichever exists and add the new one, which is
 * the same on both (Postgres names a column check `<table>_<column>_check`).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table agent_actions drop constraint if exists agent_actions_action_check`.execute(
    db,
  );
  await sql`alter table agent_actions add constraint agent_actions_action_check
    check (action in ('accept', 'edit', 'reject', 'reply', 'reassign', 'escalate', 'solve', 'close', 'reopen', 'pending'))`.execute(
    db,
  );
}

/** Fails while `reply` actions are stored: they have no place in the older schema. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table agent_actions drop constraint if exists agent_actions_action_check`.execute(
    db,
  );
  await sql`alter table agent_actions add constraint agent_actions_action_check
    check (action in ('accept', 'edit', 'reject', 'reassign', 'escalate', 'solve', 'close', 'reopen', 'pending'))`.execute(
    db,
  );
}
