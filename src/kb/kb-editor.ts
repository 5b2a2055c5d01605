/**
 * Editing the knowledge base in the console: create, edit, delete and restore an entry's (or a
 * policy's) version in one language. Every change is screened like an upload (one the screen
 * flags is stored held and the live version stays), goes through the knowledge base's own paths
 * (chunked and embedded as ingestion does; indexes, entry and answerability models retrained,
 * other instances told), and is written to the audit log with who did it and what changed.
 *
 * A console version lives under the source `console` and takes the place of the shipped file's
 * (or an upload's) version of the same entry and language, which is kept `superseded`: the
 * start-up sync never overwrites an admin's edit, and a restore brings the shipped text back
 * (kb-console.repository.ts).
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, KnowledgeDocumentRow } from '../db/tables.js';
import { appendAuditEntry } from '../audit/audit.repository.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors/domain-errors.js';
import { type LoadedDocument, loadedDocumentSchema } from './document.js';
import { type ScreeningFinding, screenDocument } from './document-screening.js';
import { diffEntry, removalSummary } from './entry-diff.js';
import * as consoleRepository from './kb-console.repository.js';
import { type EntryKey, CONSOLE_SOURCE, livePath, pendingPath } from './kb-console.repository.js';
import { documentDetail, fieldsOf } from './kb-document-detail.js';
import type {
  ChangeSummary,
  EditOutcome,
  EntryCreate,
  EntryFields,
  EntryUpdate,
} from './kb-entry-contract.js';
import * as repository from './kb.repository.js';
import { type KnowledgeBase, KNOWLEDGE_BASE_SOURCE, storedDocument } from './kb.service.js';

export interface KnowledgeBaseEditorOptions {
  db: Kysely<Database>;
  knowledgeBase: Pick<KnowledgeBase, 'prepareChunks' | 'afterEdit' | 'categories'>;
  now?: () => Date;
}

type Tx = Transaction<Database>;

/** The content hash of console-written fields: what an editor's baseContentHash is compared with. */
const fieldsHash = (fields: EntryFields) =>
  createHash('sha256').update(JSON.stringify(fields)).digest('hex');

export function loadedDocument(
  key: EntryKey,
  fields: EntryFields,
  sourcePath: string,
): LoadedDocument {
  const shared = { ...key, title: fields.title, sourcePath, contentHash: fieldsHash(fields) };
  return loadedDocumentSchema.parse(
    fields.kind === 'faq'
      ? {
          kind: 'faq',
          ...shared,
          category: fields.category,
          autoReply: fields.autoReply,
          questions: fields.questions,
          answer: fields.answer,
          tags: fields.tags,
        }
      : { kind: 'policy', ...shared, text: fields.text },
  );
}

function documentInsert(document: LoadedDocument, editedBy: string): repository.DocumentInsert {
  return {
    source: CONSOLE_SOURCE,
    sourcePath: document.sourcePath,
    kind: document.kind,
    entryId: document.entryId,
    locale: document.locale,
    title: document.title,
    category: document.kind === 'faq' ? document.category : null,
    autoReply: document.kind === 'faq' ? document.autoReply : false,
    body: document.kind === 'faq' ? document.answer : document.text,
    contentHash: document.contentHash,
    metadata:
      document.kind === 'faq' ? { questions: document.questions, tags: document.tags ?? [] } : {},
    editedBy,
  };
}

const keyOf = (row: KnowledgeDocumentRow): EntryKey => ({
  entryId: row.entry_id,
  locale: row.locale,
});

export function createKnowledgeBaseEditor(options: KnowledgeBaseEditorOptions) {
  const { db, knowledgeBase } = options;
  const now = options.now ?? (() => new Date());

  function checkCategory(fields: EntryFields): void {
    const categories = knowledgeBase.categories;
    if (fields.kind === 'faq' && categories && !categories.includes(fields.category))
      throw new InvalidError(
        `category: "${fields.category}" is not in the taxonomy; use one of ${categories.join(', ')}.`,
      );
  }

  async function existing(id: string): Promise<KnowledgeDocumentRow> {
    const row = await repository.documentById(db, id);
    if (!row) throw new NotFoundError('No knowledge-base document with that id.');
    return row;
  }

  function audit(
    transaction: Tx,
    action: string,
    actor: string,
    documentId: string,
    key: EntryKey,
    details: Record<string, unknown> & { changes: ChangeSummary },
  ) {
    return appendAuditEntry(transaction, {
      actorType: 'agent',
      actorId: actor,
      action,
      subjectType: 'kb_document',
      subjectId: documentId,
      details: { ...key, ...details },
      at: now(),
    });
  }

  /**
   * Stores a console version: held (beside the live version, which stays) when the screen flags
   * it, else live in place of every earlier console version and over the other sources' ones.
   */
  async function save(
    key: EntryKey,
    fields: EntryFields,
    context: {
      action: 'kb.document.create' | 'kb.document.edit';
      actor: string;
      before?: KnowledgeDocumentRow;
    },
  ): Promise<EditOutcome> {
    checkCategory(fields);
    const before = context.before ? fieldsOf(context.before) : undefined;
    const changes = diffEntry(before, fields);
    const document = loadedDocument(key, fields, livePath(key));
    const reasons: ScreeningFinding[] = screenDocument(document);
    const held = reasons.length > 0;
    const chunkRows = held ? undefined : await knowledgeBase.prepareChunks(document);
    const at = now();
    const id = await db.transaction().execute(async (transaction) => {
      const versions = await consoleRepository.versionsOf(transaction, key);
      // Another admin saved (or deleted) this version since it was read: theirs is not overwritten.
      if (
        context.before &&
        !versions.some(
          (version) =>
            version.id === context.before!.id &&
            version.content_hash === context.before!.content_hash,
        )
      )
        throw new ConflictError(
          'This document changed since you opened it: reload it and make your edit again.',
        );
      const replaced = versions.filter(
        (version) =>
          version.source === CONSOLE_SOURCE && (!held || version.source_path === pendingPath(key)),
      );
      await consoleRepository.deleteDocuments(
        transaction,
        replaced.map((version) => version.id),
      );
      const id = await repository.insertDocument(transaction, {
        ...documentInsert(
          { ...document, sourcePath: held ? pendingPath(key) : livePath(key) },
          context.actor,
        ),
        status: held ? 'held' : 'active',
        heldReasons: reasons,
      });
      const superseded = chunkRows
        ? await consoleRepository.supersedeOthers(transaction, key, at)
        : [];
      if (chunkRows) await repository.insertChunks(transaction, chunkRows(id));
      await audit(transaction, context.action, context.actor, id, key, {
        kind: fields.kind,
        title: fields.title,
        status: held ? 'held' : 'active',
        previousDocumentId: context.before?.id ?? null,
        previousSource: context.before?.source ?? null,
        replacedConsoleVersions: replaced.map((version) => version.id),
        superseded,
        heldReasons: reasons,
        changes,
      });
      return id;
    });
    if (!held) await knowledgeBase.afterEdit(fields.kind === 'faq' || before?.kind === 'faq');
    return {
      status: held ? 'held' : 'active',
      document: await documentDetail(db, await existing(id)),
      heldReasons: reasons,
      changes,
    };
  }

  return {
    detail: async (id: string) => documentDetail(db, await existing(id)),

    /** A new entry or policy in one language; refused while that language has a version in use. */
    async create(input: EntryCreate, actor: string): Promise<EditOutcome> {
      const { entryId, locale, ...fields } = input;
      const key = { entryId, locale };
      const kinds = await consoleRepository.entryKinds(db, entryId);
      if (kinds.length && !kinds.includes(fields.kind))
        throw new InvalidError(
          `entryId: "${entryId}" is a${kinds[0] === 'faq' ? 'n FAQ entry' : ' policy'} already; give the ${fields.kind === 'faq' ? 'entry' : 'policy'} its own id.`,
        );
      const inUse = (await consoleRepository.versionsOf(db, key)).find((version) =>
        ['active', 'held'].includes(version.status),
      );
      if (inUse)
        throw new ConflictError(
          `${entryId} (${locale}) exists already (document ${inUse.id}): edit it instead.`,
        );
      return save(key, fields, { action: 'kb.document.create', actor });
    },

    /** A new version of a document in use (live or held); `baseContentHash` guards against a lost update. */
    async update(id: string, input: EntryUpdate, actor: string): Promise<EditOutcome> {
      const row = await existing(id);
      if (row.status === 'superseded' || row.status === 'deleted')
        throw new ConflictError(
          row.status === 'deleted'
            ? 'This entry was deleted: create it again, or restore the shipped version.'
            : 'This version is kept aside under a console version: edit the live version, or restore this one.',
        );
      const { baseContentHash, ...fields } = input;
      if (fields.kind !== row.kind)
        throw new InvalidError(
          `kind: this document is a${row.kind === 'faq' ? 'n FAQ entry' : ' policy'}.`,
        );
      if (baseContentHash && baseContentHash !== row.content_hash)
        throw new ConflictError(
          'This document changed since you opened it: reload it and make your edit again.',
        );
      if (fieldsHash(fieldsOf(row)) === fieldsHash(fields))
        return {
          status: 'unchanged',
          document: await documentDetail(db, row),
          heldReasons: [],
          changes: { summary: 'no change', fields: [] },
        };
      return save(keyOf(row), fields, { action: 'kb.document.edit', actor, before: row });
    },

    /**
     * Deletes a document. A shipped file's entry, or one whose console version replaced a file's
     * or upload's, leaves a tombstone so the start-up sync does not bring it back; a console edit
     * waiting for review is discarded; an upload's or another folder's document is removed.
     */
    async remove(id: string, actor: string): Promise<EditOutcome> {
      const row = await existing(id);
      if (row.status === 'superseded' || row.status === 'deleted')
        throw new ConflictError(
          row.status === 'deleted'
            ? 'This entry is deleted already.'
            : 'This version is not in use: delete the live version of the entry.',
        );
      const key = keyOf(row);
      const at = now();
      const changes = removalSummary(fieldsOf(row));
      const status = await db.transaction().execute(async (transaction) => {
        const versions = await consoleRepository.versionsOf(transaction, key);
        const pending = versions.filter(
          (version) =>
            version.source === CONSOLE_SOURCE &&
            version.source_path === pendingPath(key) &&
            version.id !== row.id,
        );
        let status: 'deleted' | 'removed' = 'removed';
        if (row.source === CONSOLE_SOURCE && row.status === 'held') {
          await consoleRepository.deleteDocuments(transaction, [row.id]);
        } else {
          await consoleRepository.deleteDocuments(
            transaction,
            pending.map((version) => version.id),
          );
          const others = versions.some((version) => version.source !== CONSOLE_SOURCE);
          if (row.source === CONSOLE_SOURCE && others) {
            await consoleRepository.markDeleted(transaction, row.id, actor, at);
            status = 'deleted';
          } else if (row.source === KNOWLEDGE_BASE_SOURCE) {
            await consoleRepository.supersedeOthers(transaction, key, at);
            await repository.insertDocument(transaction, {
              ...documentInsert(loadedDocument(key, fieldsOf(row), livePath(key)), actor),
              status: 'deleted',
            });
            status = 'deleted';
          } else {
            await consoleRepository.deleteDocuments(transaction, [row.id]);
          }
        }
        await audit(transaction, 'kb.document.delete', actor, row.id, key, {
          kind: row.kind,
          title: row.title,
          source: row.source,
          sourcePath: row.source_path,
          status,
          wasStatus: row.status,
          discardedPending: pending.map((version) => version.id),
          changes,
        });
        return status;
      });
      if (row.status === 'active') await knowledgeBase.afterEdit(row.kind === 'faq');
      return { status, document: null, heldReasons: [], changes };
    },

    /** Drops the console version or deletion of an entry's language: the shipped (or uploaded) one is used again. */
    async restore(id: string, actor: string): Promise<EditOutcome> {
      const row = await existing(id);
      const key = keyOf(row);
      const versions = await consoleRepository.versionsOf(db, key);
      const shipped = versions.filter(
        (version) => version.source !== CONSOLE_SOURCE && version.status === 'superseded',
      );
      if (shipped.length === 0)
        throw new ConflictError(
          'Nothing to restore: no file or upload version of this entry is kept aside.',
        );
      const consoleVersions = versions.filter((version) => version.source === CONSOLE_SOURCE);
      const live = consoleVersions.find((version) => version.status === 'active');
      const prepared: {
        version: KnowledgeDocumentRow;
        reasons: ScreeningFinding[];
        chunkRows?: (documentId: string) => repository.ChunkInsert[];
      }[] = [];
      for (const version of shipped) {
        const document = storedDocument(version);
        const reasons = screenDocument(document);
        prepared.push({
          version,
          reasons,
          chunkRows: reasons.length ? undefined : await knowledgeBase.prepareChunks(document),
        });
      }
      const changes = diffEntry(live ? fieldsOf(live) : undefined, fieldsOf(shipped[0]!));
      const at = now();
      await db.transaction().execute(async (transaction) => {
        await consoleRepository.deleteDocuments(
          transaction,
          consoleVersions.map((version) => version.id),
        );
        for (const { version, reasons, chunkRows } of prepared) {
          if (chunkRows) await repository.insertChunks(transaction, chunkRows(version.id));
          await consoleRepository.setStatus(
            transaction,
            version.id,
            chunkRows ? 'active' : 'held',
            at,
            reasons,
          );
        }
        await audit(transaction, 'kb.document.restore', actor, shipped[0]!.id, key, {
          kind: shipped[0]!.kind,
          title: shipped[0]!.title,
          restored: shipped.map((version) => ({ id: version.id, source: version.source })),
          removedConsoleVersions: consoleVersions.map((version) => version.id),
          status: prepared.every((item) => item.chunkRows) ? 'active' : 'held',
          changes,
        });
      });
      await knowledgeBase.afterEdit(row.kind === 'faq');
      const first = prepared[0]!;
      return {
        status: first.chunkRows ? 'active' : 'held',
        document: await documentDetail(db, await existing(first.version.id)),
        heldReasons: first.reasons,
        changes,
      };
    },
  };
}

export type KnowledgeBaseEditor = ReturnType<typeof createKnowledgeBaseEditor>;
