/**
 * Teams and SLA-driven escalation (issue 16): a ticket's team and escalation level, when the
 * escalation job should next look at it, one row per escalation step reached on each SLA clock
 * (unique, so a step is never taken twice, whichever instance runs the job) which is also the
 * outbox of its alert-webhook notification, and the console notifications of the people told.
 * Frozen once shipped: change the schema in a new migration.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tickets')
    // The team that took it (knowledge-base/teams.yaml); null: no team takes it.
    .addColumn('team', 'text')
    // 0: not escalated; n: the path's step n was reached on one of its clocks.
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    // The next moment one of its steps may be reached; null: no step is left.
    .addColumn('escalation_check_at', 'timestamptz')
    .execute();
  // Tickets opened before this migration are looked at on the job's first run.
  await sql`update tickets set escalation_check_at = created_at where status in ('open', 'pending_customer')`.execute(
    db,
  );
  await sql`create index tickets_escalation_check_idx on tickets (escalation_check_at) where status = 'open'`.execute(
    db,
  );
  await db.schema
    .createIndex('tickets_team_status_idx')
    .on('tickets')
    .columns(['team', 'status'])
    .execute();

  await db.schema
    .createTable('ticket_escalations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ticket_id', 'uuid', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('clock', 'text', (c) =>
      c.notNull().check(sql`clock in ('first_response', 'resolution')`),
    )
    .addColumn('level', 'integer', (c) => c.notNull())
    // The step as it stood when reached: its share of the window, the urgency it asked for.
    .addColumn('at_share', 'double precision', (c) => c.notNull())
    .addColumn('urgency_level', 'text', (c) => c.notNull())
    .addColumn('team', 'text')
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recipients', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('reached_at', 'timestamptz', (c) => c.notNull())
    // The alert-webhook notification: null when none is sent (no webhook, or a lower step
    // passed in the same run); pending until the receiver takes it or it is given up.
    .addColumn('notify_status', 'text', (c) =>
      c.check(sql`notify_status in ('pending', 'sent', 'failed')`),
    )
    .addColumn('notify_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notify_next_at', 'timestamptz')
    .addColumn('notify_error', 'text')
    .addUniqueConstraint('ticket_escalations_one_per_step', ['ticket_id', 'clock', 'level'])
    .execute();
  await sql`create index ticket_escalations_notify_due_idx on ticket_escalations (notify_next_at) where notify_status = 'pending'`.execute(
    db,
  );

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // A console username.
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'uuid', (c) => c.references('tickets.id').onDelete('cascade'))
    .addColumn('escalation_id', 'uuid', (c) =>
      c.references('ticket_escalations.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('read_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('notifications_recipient_idx')
    .on('notifications')
    .columns(['recipient', 'created_at'])
    .execute();
  await db.schema
    .createIndex('notifications_ticket_idx')
    .on('notifications')
    .column('ticket_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notifications').ifExists().execute();
  await db.schema.dropTable('ticket_escalations').ifExists().execute();
  await sql`drop index if exists tickets_team_status_idx`.execute(db);
  await sql`drop index if exists tickets_escalation_check_idx`.execute(db);
  await db.schema
    .alterTable('tickets')
    .dropColumn('escalation_check_at')
    .dropColumn('escalation_level')
    .dropColumn('team')
    .execute();
}
