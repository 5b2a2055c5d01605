/**
 * Surge alerts (issue 16): the scheduled detector's alerts (one key that rose far above its
 * baseline, the test's figures, open / acknowledged / resolved), the tickets grouped under
 * each, the detector's runs (one claimed row per time slot, so of several instances only one
 * runs each slot), and an index for counting triage results by time. Frozen once shipped:
 * change the schema in a new migration.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // category, entry, carrier or product, and its value (`logistics`, `sf-express`).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    // Other keys the same wave raised (`[{kind, key}]`), folded into this alert.
    .addColumn('related', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'acknowledged', 'resolved')`),
    )
    // The window of the latest significant test, and its figures.
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('window_end', 'timestamptz', (c) => c.notNull())
    .addColumn('observed', 'integer', (c) => c.notNull())
    .addColumn('expected', 'double precision', (c) => c.notNull())
    .addColumn('p_value', 'double precision', (c) => c.notNull())
    .addColumn('window_total', 'integer', (c) => c.notNull())
    .addColumn('baseline_count', 'integer', (c) => c.notNull())
    .addColumn('baseline_total', 'integer', (c) => c.notNull())
    .addColumn('peak_observed', 'integer', (c) => c.notNull())
    // Tickets join from here on (the first window's start).
    .addColumn('grouped_since', 'timestamptz', (c) => c.notNull())
    .addColumn('raised_at', 'timestamptz', (c) => c.notNull())
    // The surge is ongoing while this is within one window of now.
    .addColumn('last_significant_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'timestamptz')
    // The webhook notification: null when no webhook is set; pending until sent or given up.
    .addColumn('notify_status', 'text', (c) =>
      c.check(sql`notify_status in ('pending', 'sent', 'failed')`),
    )
    .addColumn('notify_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notify_next_at', 'timestamptz')
    .addColumn('notify_error', 'text')
    .execute();
  // One unresolved alert per key, whichever instance raises it.
  await sql`create unique index alerts_one_unresolved_per_key on alerts (kind, key) where status <> 'resolved'`.execute(
    db,
  );
  await db.schema
    .createIndex('alerts_status_idx')
    .on('alerts')
    .columns(['status', 'raised_at'])
    .execute();
  await sql`create index alerts_notify_due_idx on alerts (notify_next_at) where notify_status = 'pending'`.execute(
    db,
  );

  await db.schema
    .createTable('alert_tickets')
    .addColumn('alert_id', 'uuid', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('ticket_id', 'uuid', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull())
    // The last reply sent to it from the alert (the bulk reply).
    .addColumn('replied_at', 'timestamptz')
    .addPrimaryKeyConstraint('alert_tickets_pkey', ['alert_id', 'ticket_id'])
    .execute();
  await db.schema
    .createIndex('alert_tickets_ticket_idx')
    .on('alert_tickets')
    .column('ticket_id')
    .execute();

  await db.schema
    .createTable('surge_runs')
    // The start of the detector's time slot (now rounded down to the interval).
    .addColumn('slot', 'timestamptz', (c) => c.primaryKey())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('keys_tested', 'integer')
    .addColumn('significant', 'integer')
    .addColumn('raised', 'integer')
    .execute();

  // The detector counts triage results by time, every few minutes, over days.
  await db.schema
    .createIndex('triage_results_created_idx')
    .on('triage_results')
    .column('created_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists triage_results_created_idx`.execute(db);
  await db.schema.dropTable('surge_runs').ifExists().execute();
  await db.schema.dropTable('alert_tickets').ifExists().execute();
  await db.schema.dropTable('alerts').ifExists().execute();
}
