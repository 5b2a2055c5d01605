/**
 * One knowledge-base document as the console edits it: its fields (title, questions, answer,
 * category… or a policy's text), every stored version of its entry in its language, the console
 * edit waiting for an admin, whether a shipped version can be restored, and its audit history.
 */
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database, KnowledgeDocumentRow } from '../db/tables.js';
import { screeningFindingSchema } from './document-screening.js';
import {
  CONSOLE_SOURCE,
  entryAuditTrail,
  pendingPath,
  versionsOf,
} from './kb-console.repository.js';
import type { DocumentDetail, EntryFields } from './kb-entry-contract.js';
import { storedDocument } from './kb.service.js';

const iso = (value: Date | string) => new Date(value).toISOString();

/** A stored document's editable fields. */
export function fieldsOf(row: KnowledgeDocumentRow): EntryFields {
  const document = storedDocument(row);
  return document.kind === 'faq'
    ? {
        kind: 'faq',
        title: document.title,
        category: document.category,
        autoReply: document.autoReply,
        questions: document.questions,
        tags: document.tags ?? [],
        answer: document.answer,
      }
    : { kind: 'policy', title: document.title, text: document.text };
}

/** The one-line summary an edit's audit entry carries (older entries have none). */
const auditDetailsSchema = z
  .object({ changes: z.object({ summary: z.string() }).optional() })
  .passthrough()
  .catch({});

export async function documentDetail(
  db: Kysely<Database>,
  row: KnowledgeDocumentRow,
): Promise<DocumentDetail> {
  const key = { entryId: row.entry_id, locale: row.locale };
  const [versions, trail] = await Promise.all([versionsOf(db, key), entryAuditTrail(db, key)]);
  const pending = versions.find(
    (version) => version.source === CONSOLE_SOURCE && version.source_path === pendingPath(key),
  );
  const consoleLive = versions.some(
    (version) =>
      version.source === CONSOLE_SOURCE && ['active', 'deleted'].includes(version.status),
  );
  return {
    id: row.id,
    entryId: row.entry_id,
    locale: row.locale,
    source: row.source,
    sourcePath: row.source_path,
    status: row.status,
    heldReasons: screeningFindingSchema.array().catch([]).parse(row.held_reasons),
    contentHash: row.content_hash,
    updatedAt: iso(row.updated_at),
    editedBy: row.edited_by,
    reviewedBy: row.reviewed_by,
    fields: fieldsOf(row),
    versions: versions.map((version) => ({
      id: version.id,
      source: version.source,
      sourcePath: version.source_path,
      status: version.status,
      updatedAt: iso(version.updated_at),
      editedBy: version.edited_by,
    })),
    pendingId: pending && pending.id !== row.id ? pending.id : null,
    restorable:
      consoleLive &&
      versions.some(
        (version) => version.source !== CONSOLE_SOURCE && version.status === 'superseded',
      ),
    history: trail.map((entry) => ({
      action: entry.action,
      actor: entry.actor_id,
      at: iso(entry.at),
      documentId: entry.subject_id,
      summary: auditDetailsSchema.parse(entry.details).changes?.summary ?? null,
    })),
  };
}
