/** Reads the audit log for `GET /v1/audit`: the repository's rows as API entries. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { listAuditEntries } from './audit.repository.js';

export interface AuditEntry {
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details: unknown;
}

export async function auditEntries(
  db: Kysely<Database>,
  filter: { subjectId?: string; limit?: number },
): Promise<AuditEntry[]> {
  const rows = await listAuditEntries(db, {
    subjectId: filter.subjectId,
    limit: filter.limit ?? 100,
  });
  return rows.map((row) => ({
    at: new Date(row.at).toISOString(),
    actorType: row.actor_type,
    actorId: row.actor_id,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    details: row.details,
  }));
}
