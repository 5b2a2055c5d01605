/**
 * All SQL of the audit log: who (bot, agent, system) did what to which subject, appended in
 * the caller's transaction and listed newest first. Functions take the database (or an open
 * transaction) first and return rows.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface AuditEntryInsert {
  actorType: 'bot' | 'agent' | 'system';
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details: Record<string, unknown>;
  at: Date;
}

export async function appendAuditEntry(db: Db, entry: AuditEntryInsert): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      details: JSON.stringify(entry.details),
      at: entry.at,
    })
    .execute();
}

/** The newest entries first, optionally of one subject. */
export async function listAuditEntries(db: Db, filter: { subjectId?: string; limit: number }) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
  return query.execute();
}
