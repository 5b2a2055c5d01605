/**
 * SQL of knowledge-base documents written in the console (source `console`). An entry's
 * version in one language made in the console takes the place of every other source's version
 * of it: those are kept `superseded` (no chunks), so the start-up sync of the folder and a new
 * upload of the same entry never put the shipped text back over an admin's edit; a console
 * delete of a shipped entry is a `deleted` console row (a tombstone) that supersedes the same way.
 * An edit the screen holds waits at its own path beside the live version, which stays live.
 */
import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database, KnowledgeDocumentRow } from '../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

export const CONSOLE_SOURCE = 'console';

export interface EntryKey {
  entryId: string;
  locale: string;
}

export const entryKey = (key: EntryKey) => `${key.entryId}.${key.locale}`;
/** Where the live console version (or tombstone) of an entry's language is stored. */
export const livePath = (key: EntryKey) => `console/${key.entryId}.${key.locale}`;
/** Where a console edit the screen held waits for an admin. */
export const pendingPath = (key: EntryKey) => `console/pending/${key.entryId}.${key.locale}`;
/** The document key kb.repository gives a document of this source and path. */
const documentKey = (sourcePath: string, key: EntryKey) =>
  `${CONSOLE_SOURCE}|${sourcePath}#${entryKey(key)}`;

/** Which of these entries' languages have a live console version or tombstone. */
export async function overriddenKeys(db: Db, keys: EntryKey[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom('knowledge_documents')
    .select(['entry_id', 'locale'])
    .where('source', '=', CONSOLE_SOURCE)
    .where('status', 'in', ['active', 'deleted'])
    .where(
      'entry_id',
      '=',
      sql<string>`any(${[...new Set(keys.map((key) => key.entryId))]}::text[])`,
    )
    .execute();
  return new Set(rows.map((row) => entryKey({ entryId: row.entry_id, locale: row.locale })));
}

/** Every stored version of an entry's language (any source, any status), oldest first. */
export async function versionsOf(db: Db, key: EntryKey): Promise<KnowledgeDocumentRow[]> {
  return db
    .selectFrom('knowledge_documents')
    .selectAll()
    .where('entry_id', '=', key.entryId)
    .where('locale', '=', key.locale)
    .orderBy('created_at')
    .execute();
}

/** Whether any language of this entry is stored (other than as a tombstone), and of which kind. */
export async function entryKinds(db: Db, entryId: string): Promise<('faq' | 'policy')[]> {
  const rows = await db
    .selectFrom('knowledge_documents')
    .select('kind')
    .distinct()
    .where('entry_id', '=', entryId)
    .where('status', '!=', 'deleted')
    .execute();
  return rows.map((row) => row.kind);
}

/** Deletes documents and their chunks (chunks first, in one statement: see deleteDocumentsBySource). */
export async function deleteDocuments(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('knowledge_chunks').where('document_id', 'in', ids).execute();
  await db.deleteFrom('knowledge_documents').where('id', 'in', ids).execute();
}

/**
 * Takes every other source's live or held version of the entry's language out of use: chunks
 * deleted, status `superseded` (its text is kept, for a restore). Returns their ids.
 */
export async function supersedeOthers(db: Db, key: EntryKey, at: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('knowledge_documents')
    .select('id')
    .where('entry_id', '=', key.entryId)
    .where('locale', '=', key.locale)
    .where('source', '!=', CONSOLE_SOURCE)
    .where('status', 'in', ['active', 'held'])
    .execute();
  const ids = rows.map((row) => row.id);
  if (ids.length === 0) return [];
  await db.deleteFrom('knowledge_chunks').where('document_id', 'in', ids).execute();
  await db
    .updateTable('knowledge_documents')
    .set({ status: 'superseded', updated_at: at })
    .where('id', 'in', ids)
    .execute();
  return ids;
}

/** Moves a console document to the entry's live path (a held edit being published). */
export async function moveToLivePath(db: Db, id: string, key: EntryKey): Promise<void> {
  const path = livePath(key);
  await db
    .updateTable('knowledge_documents')
    .set({ source_path: path, document_key: documentKey(path, key) })
    .where('id', '=', id)
    .execute();
}

/** Turns a live console version into a tombstone: no chunks, status `deleted`. */
export async function markDeleted(db: Db, id: string, editedBy: string, at: Date): Promise<void> {
  await db.deleteFrom('knowledge_chunks').where('document_id', '=', id).execute();
  await db
    .updateTable('knowledge_documents')
    .set({ status: 'deleted', edited_by: editedBy, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** Sets a document's status (the caller has written or removed its chunks to match). */
export async function setStatus(
  db: Db,
  id: string,
  status: 'active' | 'held' | 'superseded',
  at: Date,
  heldReasons?: unknown[],
): Promise<void> {
  await db
    .updateTable('knowledge_documents')
    .set({
      status,
      updated_at: at,
      ...(heldReasons ? { held_reasons: JSON.stringify(heldReasons) } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Where an approved held document goes, inside the approval's transaction. A console edit is
 * published: it moves to the live path in place of the earlier console version or tombstone, and
 * other sources' versions are superseded (`live`). A file's or upload's version of an entry the
 * console has replaced stays aside (`superseded`). Anything else simply goes live.
 */
export async function placeApproved(
  db: Db,
  row: KnowledgeDocumentRow,
): Promise<'live' | 'superseded'> {
  const key = { entryId: row.entry_id, locale: row.locale };
  const at = new Date();
  if (row.source === CONSOLE_SOURCE) {
    const earlier = (await versionsOf(db, key)).filter(
      (version) => version.source === CONSOLE_SOURCE && version.id !== row.id,
    );
    await deleteDocuments(
      db,
      earlier.map((version) => version.id),
    );
    await moveToLivePath(db, row.id, key);
    await supersedeOthers(db, key, at);
    return 'live';
  }
  if ((await overriddenKeys(db, [key])).has(entryKey(key))) {
    await setStatus(db, row.id, 'superseded', at);
    return 'superseded';
  }
  return 'live';
}

/** The audit entries of an entry's language (edits, deletes, restores, approvals), newest first. */
export async function entryAuditTrail(db: Db, key: EntryKey, limit = 20) {
  return db
    .selectFrom('audit_log')
    .select(['action', 'actor_id', 'at', 'subject_id', 'details'])
    .where('subject_type', '=', 'kb_document')
    .where(sql<string>`details->>'entryId'`, '=', key.entryId)
    .where(sql<string>`details->>'locale'`, '=', key.locale)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
