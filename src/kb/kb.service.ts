/**
 * The knowledge base: idempotent ingestion per source (content hashes; unchanged files
 * skipped, changed ones replaced in one transaction, vanished ones removed only when asked)
 * and hybrid search (pgvector cosine + our own keyword tokens, fused per entry, calibrated).
 */
import { z } from 'zod';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database, KnowledgeDocumentRow } from '../db/tables.js';
import { createModelCache, type ModelCache } from '../models/cache/model-cache.js';
import type { Embedder } from '../models/ports.js';
import { normaliseText } from '../text/normalise.js';
import { queryTokens, searchTokens } from '../text/tokenize.js';
import { type Chunk, chunkDocument } from './chunker.js';
import { appendAuditEntry } from '../audit/audit.repository.js';
import { DocumentError, type LoadedDocument, loadedDocumentSchema } from './document.js';
import {
  type ScreeningFinding,
  screenDocument,
  screeningFindingSchema,
} from './document-screening.js';
import { listKnowledgeFiles, loadKnowledgeBytes, loadKnowledgeFile } from './loaders/index.js';
import * as repository from './kb.repository.js';
import * as consoleRepository from './kb-console.repository.js';
import {
  cachedEntryModel,
  cachedOutOfFoldEntryScores,
  type EntryModel,
  type Paraphrase,
} from './entry-model.js';
import { candidateTerms } from './keyword-terms.js';
import type { KnowledgeMatch } from './knowledge-match.js';
import { cachedLexicalIndex, type LexicalIndex } from './lexical-index.js';
import { bm25Ceiling, bm25Score, keywordDocumentFor } from './ranking.js';
import { type EntryCandidate, rankEntries, type RetrievalScorer } from './retrieval.js';

/**
 * What ingestion is doing: reading the files, fitting the local embedder (only when none is
 * stored yet), embedding and storing the changed files, building the vector index, and training
 * the entry model and score calibration on the new content.
 */
export type IngestPhase = 'reading' | 'embedding' | 'storing' | 'indexing' | 'learning';

export interface IngestProgress {
  done: number;
  total: number;
  file: string;
  /** Absent means `reading`. */
  phase?: IngestPhase;
}

export interface IngestReport {
  /** The source the folder's documents belong to (see `KNOWLEDGE_BASE_SOURCE`). */
  source: string;
  added: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
  /** This source's files that are gone from the folder but were kept (no `prune`). */
  missing: string[];
  failed: { path: string; code: string; message: string }[];
  /** Documents of added or updated files that the screen held for an admin (not searchable yet). */
  held: HeldDocument[];
  /**
   * Documents of added or updated files whose entry has a console version (or was deleted in the
   * console): stored `superseded`, so the console's version stays live (kb-console.repository.ts).
   */
  superseded: { sourcePath: string; entryId: string; locale: string }[];
  chunks: number;
  embedder: string;
}

/** A document stored but held back from search, answers and training until an admin approves it. */
export interface HeldDocument {
  id: string;
  sourcePath: string;
  entryId: string;
  locale: string;
  title: string;
  reasons: ScreeningFinding[];
}

/** What became of an approval or a rejection: the route and the CLI say it in their own words. */
export type ReviewOutcome =
  | { outcome: 'approved'; document: ReviewedDocument }
  | { outcome: 'rejected'; document: ReviewedDocument }
  | { outcome: 'not_found' }
  | { outcome: 'not_held' };
export type ReviewedDocument = HeldDocument & { kind: 'faq' | 'policy'; source: string };

/** A loaded document with the screen's verdict on it. */
interface ScreenedDocument {
  document: LoadedDocument;
  reasons: ScreeningFinding[];
  /** Its entry has a console version in this language: stored `superseded`, without chunks. */
  superseded?: boolean;
}

export interface IngestOptions {
  /**
   * Which source the folder's documents belong to: `KNOWLEDGE_BASE_SOURCE` for the folder the
   * server syncs at start; by default the folder's absolute path. Only this source's
   * documents are added, replaced or pruned.
   */
  source?: string;
  /** Remove this source's documents whose files are no longer in the folder (default: keep them). */
  prune?: boolean;
  onProgress?: (progress: IngestProgress) => void;
}

/** The source of the configured knowledge-base folder (whatever its path): the start-up sync owns it. */
export const KNOWLEDGE_BASE_SOURCE = 'knowledge-base';
/** The source of documents uploaded through `POST /v1/kb/documents`: only a delete removes them. */
export const UPLOAD_SOURCE = 'upload';

export interface SearchOptions {
  locale?: string;
  limit?: number;
}

export interface KnowledgeEntry {
  id: string;
  locale: string;
  title: string;
  body: string;
  kind: 'faq' | 'policy';
  category: string | null;
  autoReply: boolean;
}

type EntryDocument = Awaited<ReturnType<typeof repository.entryDocuments>>[number];

/** Provides the embedder to use; may fit a corpus-trained one on the texts given. */
export interface EmbedderSource {
  current(db: Kysely<Database>, corpus: () => Promise<string[]>): Promise<Embedder>;
}

export interface KnowledgeBaseOptions {
  db: Kysely<Database>;
  embedders: EmbedderSource;
  scorer: RetrievalScorer;
  logger?: Logger;
  maxFileBytes?: number;
  /** Taxonomy keys FAQ entries may use; an entry with another category is refused. */
  categories?: string[];
  /** Where the entry model and the lexical index are kept between starts (default: off). */
  modelCache?: ModelCache;
  /**
   * Called after an upload, delete or approval has been applied here: what else depends on the
   * documents follows (the answerability model; other instances are told).
   */
  onChange?: () => Promise<void>;
}

/** Uploads are listed as `uploads/<name>`, so a list tells them from folder files at a glance. */
const UPLOAD_PREFIX = 'uploads/';
/** Above this many new texts, ingestion may drop the vector index and rebuild it at the end. */
const BULK_THRESHOLD = 5000;
/** Chunks per bulk-load transaction: embedded and written together, then committed. */
const BULK_BATCH_CHUNKS = 2000;

export function createKnowledgeBase(options: KnowledgeBaseOptions) {
  const { db, embedders, scorer } = options;
  const modelCache = options.modelCache ?? createModelCache(undefined);
  let embedder: Embedder | undefined;
  let entryModel: EntryModel | null = null;
  let lexicalIndex: LexicalIndex | null = null;

  async function loadParaphrases(): Promise<Paraphrase[]> {
    const rows = await repository.activeFaqQuestionRows(db);
    // A title is often one of the questions: a repeat would leak across the folds of
    // the cross-fitted entry-model scores (the calibrator would learn to trust it too much).
    return rows.flatMap((row) => {
      const questions = [row.title, ...(storedMetadata(row.metadata).questions ?? [])];
      const seen = new Set<string>();
      return questions
        .filter((question) => {
          const key = normaliseText(question).toLowerCase();
          return key !== '' && !seen.has(key) && seen.add(key) !== undefined;
        })
        .map((question) => ({ entryId: row.entry_id, locale: row.locale, question }));
    });
  }

  /** Question, answer and passage chunks for the lexical index. */
  async function rebuildLexicalIndex(): Promise<void> {
    const rows = await repository.activeChunks(db);
    lexicalIndex = await cachedLexicalIndex(
      modelCache,
      rows.map((row) => ({
        entryId: row.entry_id,
        locale: row.locale,
        kind: row.kind,
        text: row.text,
      })),
    );
  }

  /** The answers' sentences and tags teach the entry model the words answers use. */
  async function loadAnswerTexts(): Promise<Paraphrase[]> {
    const rows = await repository.activeFaqAnswerChunks(db);
    return rows.flatMap((row) => {
      const tags = (storedMetadata(row.metadata).tags ?? []).join(' ');
      const sentences = row.text
        .split(/(?<=[。！？；!?])|\n+|(?<=\.)\s+/u)
        .map((part) => part.replace(/[*#>-]/g, ' ').trim())
        .filter((part) => part.length >= 6);
      return [...(tags ? [tags] : []), ...sentences].map((question) => ({
        entryId: row.entry_id,
        locale: row.locale,
        question,
      }));
    });
  }

  async function retrainEntryModel(): Promise<void> {
    entryModel = await cachedEntryModel(
      modelCache,
      await loadParaphrases(),
      await loadAnswerTexts(),
    );
  }

  /** `onFit` hears how many texts a corpus-trained embedder is about to be fitted on. */
  async function currentEmbedder(
    extraTexts: string[] = [],
    onFit?: (texts: number) => void,
  ): Promise<Embedder> {
    embedder = await embedders.current(db, async () => {
      const texts = [...(await repository.allChunkTexts(db)), ...extraTexts];
      onFit?.(texts.length);
      return texts;
    });
    return embedder;
  }

  async function embedChunks(chunks: { text: string }[], model: Embedder): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < chunks.length; start += 256) {
      vectors.push(
        ...(await model.embed(chunks.slice(start, start + 256).map((chunk) => chunk.text))),
      );
    }
    return vectors;
  }

  /**
   * Replaces every document of one file of `source` with `documents`, atomically. A document the
   * screen held is stored without chunks, so no search, index or model can reach it.
   */
  async function replaceFile(
    source: string,
    sourcePath: string,
    documents: ScreenedDocument[],
    model: Embedder,
  ): Promise<{
    chunks: number;
    held: HeldDocument[];
    superseded: IngestReport['superseded'];
  }> {
    // What an admin wrote or deleted in the console stays: a file's (or upload's) version of the
    // same entry and language is kept aside, never made live over it.
    const overridden =
      source === consoleRepository.CONSOLE_SOURCE
        ? new Set<string>()
        : await consoleRepository.overriddenKeys(
            db,
            documents.map(({ document }) => document),
          );
    const prepared: DocumentWithChunks[] = [];
    for (const { document, reasons } of documents) {
      const superseded = overridden.has(consoleRepository.entryKey(document));
      prepared.push({
        sourcePath,
        document,
        reasons,
        superseded,
        chunks: reasons.length || superseded ? [] : await chunkDocument(document),
      });
    }
    const allChunks = prepared.flatMap((item) => item.chunks);
    const vectors = await embedChunks(allChunks, model);
    const held: HeldDocument[] = [];
    await db.transaction().execute(async (transaction) => {
      await repository.deleteDocumentsBySource(transaction, source, [sourcePath]);
      const ids = await storeDocuments(transaction, source, prepared, vectors, model);
      prepared.forEach(({ document, reasons, superseded }, index) => {
        if (reasons.length && !superseded)
          held.push({
            id: ids[index]!,
            sourcePath,
            entryId: document.entryId,
            locale: document.locale,
            title: document.title,
            reasons,
          });
      });
    });
    const superseded = prepared
      .filter((item) => item.superseded)
      .map(({ document }) => ({ sourcePath, entryId: document.entryId, locale: document.locale }));
    for (const item of superseded)
      options.logger?.warn(
        item,
        `${item.sourcePath}: entry ${item.entryId} (${item.locale}) has a console version, which stays live; this file's version is kept aside (restore it in the console to use it)`,
      );
    return { chunks: allChunks.length, held, superseded };
  }

  /**
   * BM25 over our own tokens. Candidates are the chunks that contain one of the terms
   * candidateTerms picks (selective ones, rarest first, within a budget of chunks); BM25 then
   * scores them on every query term, with IDF from the corpus statistics.
   */
  async function keywordHits(
    tokens: string[],
    locale: string | undefined,
  ): Promise<repository.ChunkHit[]> {
    const unique = [...new Set(tokens)];
    const stats = await repository.keywordStatistics(db, unique);
    const frequency = (term: string) => stats.documentFrequency.get(term) ?? 0;
    const terms = candidateTerms(unique, frequency, stats.chunks);
    if (terms.length === 0) return [];
    const candidates = await repository.keywordCandidates(db, terms, { locale, limit: 400 });
    const statistics = {
      documentCount: stats.chunks,
      averageLength: stats.averageLength,
      documentFrequency: frequency,
    };
    // normalisedBm25's ceiling depends on the query alone: computed once, not per candidate.
    const ceiling = bm25Ceiling(unique, statistics);
    return candidates
      .map((candidate) => ({
        id: candidate.id,
        entry_id: candidate.entry_id,
        locale: candidate.locale,
        kind: candidate.kind,
        text: candidate.text,
        score:
          ceiling > 0
            ? bm25Score(unique, keywordDocumentFor(candidate.tokens, unique), statistics) / ceiling
            : 0,
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 40);
  }

  /** After a folder ingestion changed content: the entry model and the score calibration follow it. */
  async function afterChange(): Promise<void> {
    // The calibration scores with out-of-fold copies of the entry model, not the model itself:
    // both train at once on the training threads.
    const entryModelTrained = retrainEntryModel();
    entryModelTrained.catch(() => undefined); // awaited below, after the calibration
    await rebuildLexicalIndex();
    await scorer.refit?.(knowledgeBase);
    await entryModelTrained;
  }

  /**
   * After one upload or delete, inside an HTTP request: the lexical index follows, and the
   * entry model when FAQ entries changed (policies are not in its training data). The score
   * calibration keeps its fit until the next folder ingestion that changes something: refitting
   * it is about a minute of CPU on two cores, which would stall every other request (one
   * document barely moves a calibration fitted on thousands of paraphrases).
   */
  async function afterSmallChange(faqChanged: boolean): Promise<void> {
    if (faqChanged) await retrainEntryModel();
    await rebuildLexicalIndex();
    await options.onChange?.();
  }

  /** Re-embeds chunks written by another embedder, so vectors are never mixed. */
  async function reembedStale(model: Embedder): Promise<number> {
    let total = 0;
    for (;;) {
      const stale = await repository.chunksWithoutEmbedding(db, model.model, 512);
      if (stale.length === 0) break;
      const vectors = await embedChunks(stale, model);
      await repository.setEmbeddings(
        db,
        model.model,
        stale.map((row, index) => ({ id: row.id, embedding: vectors[index]! })),
      );
      total += stale.length;
    }
    return total;
  }

  /**
   * Entries' documents read since the lexical index was last built. The index is rebuilt after
   * every change of the documents, made here (afterChange, afterSmallChange) or on another
   * instance (refresh, kb-sync.ts), so whatever was read since is what the database holds: a
   * message reads only the entries no message read before (the search and the reply's entry).
   */
  let documentCache: { index: LexicalIndex | null; byEntry: Map<string, EntryDocument[]> } = {
    index: null,
    byEntry: new Map(),
  };

  /** The active documents of these entries in every locale. */
  async function documentsOf(ids: string[]): Promise<EntryDocument[]> {
    if (documentCache.index !== lexicalIndex)
      documentCache = { index: lexicalIndex, byEntry: new Map() };
    // Kept for this generation only: rows read across a rebuild never reach the next one.
    const known = documentCache.byEntry;
    const wanted = [...new Set(ids)];
    const missing = wanted.filter((id) => !known.has(id));
    if (missing.length) {
      const rows = await repository.entryDocuments(db, missing);
      for (const id of missing) {
        const found = rows.filter((row) => row.entry_id === id);
        // An entry with no active document is asked again: it may be approved or added next.
        if (found.length) known.set(id, found);
      }
    }
    return wanted.flatMap((id) => known.get(id) ?? []);
  }

  /** Calibrated, cut to the limit, with each entry's title, category and whether it may be sent alone. */
  async function matchesOf(
    candidates: EntryCandidate[],
    options: SearchOptions,
  ): Promise<KnowledgeMatch[]> {
    const scored = scorer.score(candidates);
    const top = scored.slice(0, options.limit ?? 5);
    const documents = await documentsOf(top.map((candidate) => candidate.entryId));
    return top.map((candidate) => {
      const document =
        documents.find((d) => d.entry_id === candidate.entryId && d.locale === candidate.locale) ??
        documents.find((d) => d.entry_id === candidate.entryId);
      return {
        id: candidate.entryId,
        title: document?.title ?? candidate.entryId,
        locale: candidate.locale,
        score: candidate.score,
        category: document?.category ?? null,
        autoReply: document?.auto_reply ?? false,
        // An entry only the entry model proposed has no matched chunk: show its title.
        evidence: candidate.evidence || document?.title || '',
      };
    });
  }

  async function entryOf(id: string, locale: string): Promise<KnowledgeEntry | undefined> {
    const documents = await documentsOf([id]);
    const document = documents.find((d) => d.locale === locale) ?? documents[0];
    if (!document) return undefined;
    return {
      id,
      locale: document.locale,
      title: document.title,
      body: document.body,
      kind: document.kind,
      category: document.category,
      autoReply: document.auto_reply,
    };
  }

  const knowledgeBase = {
    /** Adds and updates the folder's files as documents of one source; removes vanished ones only with `prune`. */
    async ingestDirectory(root: string, ingestOptions: IngestOptions = {}): Promise<IngestReport> {
      const { onProgress } = ingestOptions;
      const source = ingestOptions.source ?? resolve(root);
      const files = await listKnowledgeFiles(root);
      const known = await repository.documentHashes(db, source);
      const report: IngestReport = {
        source,
        added: [],
        updated: [],
        unchanged: [],
        removed: [],
        missing: [],
        failed: [],
        held: [],
        superseded: [],
        chunks: 0,
        embedder: '',
      };
      const changed: { sourcePath: string; documents: ScreenedDocument[] }[] = [];
      const seen = new Set<string>();
      for (const [index, file] of files.entries()) {
        const sourcePath = relative(root, file);
        seen.add(sourcePath);
        onProgress?.({ done: index, total: files.length, file: sourcePath });
        try {
          // Files over the limit go straight to the loader, which refuses them before reading.
          const small = (await stat(file)).size <= (options.maxFileBytes ?? 20 * 1024 * 1024);
          if (
            small &&
            known.get(sourcePath) ===
              createHash('sha256')
                .update(await readFile(file))
                .digest('hex')
          ) {
            report.unchanged.push(sourcePath);
            continue;
          }
          const documents = await loadKnowledgeFile(file, {
            rootDir: root,
            maxBytes: options.maxFileBytes,
          });
          checkCategories(sourcePath, documents, options.categories);
          changed.push({ sourcePath, documents: screened(documents) });
        } catch (error) {
          report.failed.push(describeFailure(sourcePath, error));
        }
      }
      onProgress?.({ done: files.length, total: files.length, file: '' });

      const pendingTexts = changed.flatMap((item) => activeTexts(item.documents));
      const model = await currentEmbedder(pendingTexts, (texts) =>
        onProgress?.({ phase: 'embedding', done: 0, total: texts, file: '' }),
      );
      report.embedder = model.model;
      const existingChunks = (await repository.counts(db)).chunks;
      // Inserting into an HNSW-indexed table is slow: for a large load, rebuild the index after.
      if (rebuildsVectorIndex(pendingTexts.length, existingChunks))
        await repository.dropVectorIndex(db, model.model);
      let stored = 0;
      // A file whose every document sits under a console version changes nothing searchable.
      let searchableChanged = false;
      for (const { sourcePath, documents } of changed) {
        onProgress?.({ phase: 'storing', done: stored++, total: changed.length, file: sourcePath });
        try {
          const written = await replaceFile(source, sourcePath, documents, model);
          report.chunks += written.chunks;
          report.held.push(...written.held);
          report.superseded.push(...written.superseded);
          if (written.superseded.length < documents.length) searchableChanged = true;
          (known.has(sourcePath) ? report.updated : report.added).push(sourcePath);
        } catch (error) {
          report.failed.push(describeFailure(sourcePath, error));
        }
      }
      const vanished = [...known.keys()].filter((path) => !seen.has(path));
      if (ingestOptions.prune) {
        await repository.deleteDocumentsBySource(db, source, vanished);
        report.removed = vanished;
      } else {
        report.missing = vanished;
      }
      await reembedStale(model);
      if (changed.length) onProgress?.({ phase: 'indexing', done: 0, total: 1, file: '' });
      await repository.ensureVectorIndex(db, model.model, model.dimension);
      if (needsAnalyze(report.chunks, existingChunks)) await repository.analyzeKnowledgeTables(db);
      if (searchableChanged || report.removed.length) {
        onProgress?.({ phase: 'learning', done: 0, total: 1, file: '' });
        await afterChange();
      }
      return report;
    },

    /**
     * Loads many already-parsed documents in large transactions with the vector index
     * dropped and rebuilt at the end (benchmarks, imports from other systems). Each
     * transaction holds about BULK_BATCH_CHUNKS chunks, written with one multi-row statement
     * per table (split only at the parameter limit); statistics are refreshed at the end,
     * since the embedded database has no autovacuum to do it, and so is what this instance
     * keeps in memory (as after an upload; the score calibration keeps its fit).
     */
    async bulkLoad(
      documents: LoadedDocument[],
      onProgress?: (progress: IngestProgress) => void,
      source = 'bulk',
    ): Promise<{
      chunks: number;
      embedMs: number;
      insertMs: number;
      indexMs: number;
      analyzeMs: number;
      refreshMs: number;
    }> {
      const prepared = [];
      for (const document of documents)
        prepared.push({ document, chunks: await chunkDocument(document) });
      const model = await currentEmbedder(
        prepared.flatMap((item) => item.chunks.map((chunk) => chunk.text)),
      );
      await repository.dropVectorIndex(db, model.model);
      let chunks = 0;
      let embedMs = 0;
      let insertMs = 0;
      let done = 0;
      // A file's earlier documents may sit in an earlier batch: replace each file only once.
      const replaced = new Set<string>();
      for (const batch of chunkBatches(prepared, BULK_BATCH_CHUNKS)) {
        const paths = [...new Set(batch.map((item) => item.document.sourcePath))].filter(
          (path) => !replaced.has(path),
        );
        paths.forEach((path) => replaced.add(path));
        const embedStarted = performance.now();
        const vectors = await embedChunks(
          batch.flatMap((item) => item.chunks),
          model,
        );
        embedMs += performance.now() - embedStarted;
        const insertStarted = performance.now();
        await db.transaction().execute(async (transaction) => {
          await repository.deleteDocumentsBySource(transaction, source, paths);
          await storeDocuments(
            transaction,
            source,
            batch.map((item) => ({ ...item, sourcePath: item.document.sourcePath, reasons: [] })),
            vectors,
            model,
          );
        });
        insertMs += performance.now() - insertStarted;
        chunks += vectors.length;
        done += batch.length;
        onProgress?.({ done, total: prepared.length, file: '' });
      }
      const indexStarted = performance.now();
      await repository.ensureVectorIndex(db, model.model, model.dimension);
      const indexMs = performance.now() - indexStarted;
      const analyzeStarted = performance.now();
      await repository.analyzeKnowledgeTables(db);
      const analyzeMs = performance.now() - analyzeStarted;
      // What this instance keeps in memory (lexical index, entry model) follows the new documents.
      const refreshStarted = performance.now();
      await afterSmallChange(prepared.some((item) => item.document.kind === 'faq'));
      return {
        chunks,
        embedMs,
        insertMs,
        indexMs,
        analyzeMs,
        refreshMs: performance.now() - refreshStarted,
      };
    },

    /** Stores an uploaded file's documents; those the screen flags are held (listed in `held`). */
    async ingestUpload(
      name: string,
      bytes: Uint8Array,
    ): Promise<{ sourcePath: string; documents: number; chunks: number; held: HeldDocument[] }> {
      const sourcePath = `${UPLOAD_PREFIX}${name.replace(/[^\p{L}\p{N}._-]+/gu, '_')}`;
      const documents = await loadKnowledgeBytes(sourcePath, bytes, {
        maxBytes: options.maxFileBytes,
      });
      checkCategories(sourcePath, documents, options.categories);
      const screenedDocuments = screened(documents);
      const model = await currentEmbedder(activeTexts(screenedDocuments));
      const replacedKinds = await repository.fileKinds(db, UPLOAD_SOURCE, sourcePath);
      const { chunks, held } = await replaceFile(
        UPLOAD_SOURCE,
        sourcePath,
        screenedDocuments,
        model,
      );
      await repository.ensureVectorIndex(db, model.model, model.dimension);
      await afterSmallChange(
        replacedKinds.includes('faq') || documents.some((document) => document.kind === 'faq'),
      );
      return { sourcePath, documents: documents.length, chunks, held };
    },

    listDocuments: (filter: repository.DocumentFilter = {}) => repository.listDocuments(db, filter),

    /**
     * Approves a held document: it is chunked and embedded now, becomes searchable, and the
     * lexical index and entry model follow (as after an upload). One audit entry records who.
     */
    async approveDocument(id: string, reviewer: string): Promise<ReviewOutcome> {
      const row = await repository.documentById(db, id);
      if (!row) return { outcome: 'not_found' };
      if (row.status !== 'held') return { outcome: 'not_held' };
      const document = storedDocument(row);
      const chunks = await chunkDocument(document);
      const model = await currentEmbedder(documentTexts(document));
      const vectors = await embedChunks(chunks, model);
      const at = new Date();
      const approved = await db.transaction().execute(async (transaction) => {
        const updated = await repository.approveHeldDocument(transaction, id, {
          name: reviewer,
          at,
        });
        if (!updated) return undefined;
        // A console revision takes its entry's place; a file's version under a console one waits aside.
        if ((await consoleRepository.placeApproved(transaction, row)) === 'live')
          await repository.insertChunks(transaction, chunkRows(id, chunks, vectors, model));
        await appendAuditEntry(
          transaction,
          reviewAudit('kb.document.approve', updated, reviewer, at),
        );
        return updated;
      });
      // Another admin approved or rejected it between the read and the update.
      if (!approved) return { outcome: 'not_held' };
      await repository.ensureVectorIndex(db, model.model, model.dimension);
      await afterSmallChange(approved.kind === 'faq');
      return { outcome: 'approved', document: reviewedDocument(approved) };
    },

    /** Rejects a held document: it is deleted (an active one is removed with deleteDocument). */
    async rejectDocument(id: string, reviewer: string): Promise<ReviewOutcome> {
      const at = new Date();
      const rejected = await db.transaction().execute(async (transaction) => {
        const deleted = await repository.deleteHeldDocument(transaction, id);
        if (deleted)
          await appendAuditEntry(
            transaction,
            reviewAudit('kb.document.reject', deleted, reviewer, at),
          );
        return deleted;
      });
      if (rejected) return { outcome: 'rejected', document: reviewedDocument(rejected) };
      return { outcome: (await repository.documentById(db, id)) ? 'not_held' : 'not_found' };
    },

    async deleteDocument(id: string): Promise<boolean> {
      const deleted = await repository.deleteDocumentById(db, id);
      if (deleted) await afterSmallChange(deleted.kind === 'faq');
      return deleted !== undefined;
    },

    counts: () => repository.counts(db),

    /** Taxonomy keys FAQ entries may use; undefined: any key. */
    categories: options.categories,

    /**
     * Chunks and embeds one document exactly as ingestion would, for a console edit to store in
     * its own transaction: the chunk rows, once the document's id is known. Writes nothing.
     */
    async prepareChunks(document: LoadedDocument) {
      const chunks = await chunkDocument(document);
      const model = await currentEmbedder(documentTexts(document));
      const vectors = await embedChunks(chunks, model);
      return (documentId: string) => chunkRows(documentId, chunks, vectors, model);
    },

    /** After a console edit committed: as after an upload (indexes, models, other instances). */
    async afterEdit(faqChanged: boolean): Promise<void> {
      const model = embedder ?? (await currentEmbedder());
      await repository.ensureVectorIndex(db, model.model, model.dimension);
      await afterSmallChange(faqChanged);
    },

    /** Candidate entries with their raw signals (dense, keyword), before calibration. */
    async candidates(
      query: string,
      options: SearchOptions & { excludeText?: string; modelScores?: Map<string, number> } = {},
    ): Promise<EntryCandidate[]> {
      const model = embedder ?? (await currentEmbedder());
      const [vector] = await model.embed([query]);
      const tokens = queryTokens(query);
      const run = async (locale?: string) => {
        const dense = await repository.searchByVector(db, model.model, vector!, {
          locale,
          limit: 40,
        });
        const keyword = await keywordHits(tokens, locale);
        // Calibration asks with a paraphrase that is itself a chunk: leave that chunk out.
        const keep = (hit: repository.ChunkHit) => hit.text !== options.excludeText;
        return { dense: dense.filter(keep), keyword: keyword.filter(keep) };
      };
      let locale = options.locale;
      let hits = await run(locale);
      if (locale && hits.dense.length === 0 && hits.keyword.length === 0)
        hits = await run((locale = undefined));
      const modelScores =
        options.modelScores ?? entryModel?.scores(query) ?? new Map<string, number>();
      if (!lexicalIndex) await rebuildLexicalIndex();
      const lexical = lexicalIndex!.search(query, { locale, excludeText: options.excludeText });
      return rankEntries(hits.dense, hits.keyword, {
        queryTokens: tokens,
        modelScores,
        lexical,
        locale: options.locale,
      });
    },

    async search(query: string, options: SearchOptions = {}): Promise<KnowledgeMatch[]> {
      return matchesOf(await this.candidates(query, options), options);
    },

    /** An entry's text in the wanted locale, else in any locale it has. */
    entry: (id: string, locale: string) => entryOf(id, locale),

    /** Vectors from the embedder the chunks were written with (approved answers compare questions). */
    async embed(texts: string[]): Promise<number[][]> {
      const model = embedder ?? (await currentEmbedder());
      return model.embed(texts);
    },

    /** FAQ paraphrases (and titles) by entry, for calibrating scores without any eval data. */
    paraphrases: loadParaphrases,

    async outOfFoldScores(paraphrases: Paraphrase[], folds?: number) {
      return cachedOutOfFoldEntryScores(modelCache, paraphrases, await loadAnswerTexts(), folds);
    },

    /**
     * Another instance changed the documents (kb-sync.ts): reload what this one keeps in memory.
     * The embedder stays: the local one is fitted once and kept in the database.
     */
    async refresh(): Promise<void> {
      await retrainEntryModel();
      await rebuildLexicalIndex();
      if (scorer.load && !(await scorer.load())) await scorer.refit?.(this);
    },

    /** Loads the embedder and the fitted calibration, so the first request is not slow. */
    async ready(): Promise<void> {
      await currentEmbedder();
      if (!entryModel) await retrainEntryModel();
      if (!lexicalIndex) await rebuildLexicalIndex();
      // A fit stored by an older version (other features) is refitted, not misread.
      if (scorer.load && !(await scorer.load())) await scorer.refit?.(this);
    },

    embedderName: () => embedder?.model ?? 'not loaded',
  };
  return knowledgeBase;
}

export type KnowledgeBase = ReturnType<typeof createKnowledgeBase>;

function documentInsert(
  source: string,
  sourcePath: string,
  document: LoadedDocument,
): repository.DocumentInsert {
  return {
    source,
    sourcePath,
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
  };
}

/** A document to store with its chunks (the vectors follow in one array, in chunk order). */
interface DocumentWithChunks {
  sourcePath: string;
  document: LoadedDocument;
  reasons: ScreeningFinding[];
  /** Stored `superseded` (without chunks): a console version of its entry is live. */
  superseded?: boolean;
  chunks: Chunk[];
}

/**
 * Stores documents and their chunks inside the caller's transaction: one multi-row INSERT
 * per table rather than two statements per document (bulk loads ran at 126 chunks/s that way).
 */
async function storeDocuments(
  transaction: Transaction<Database>,
  source: string,
  items: DocumentWithChunks[],
  vectors: number[][],
  model: Embedder,
): Promise<string[]> {
  const ids = await repository.insertDocuments(
    transaction,
    items.map(({ sourcePath, document, reasons, superseded }) => ({
      ...documentInsert(source, sourcePath, document),
      status: superseded ? 'superseded' : reasons.length ? 'held' : 'active',
      heldReasons: reasons,
    })),
  );
  let offset = 0;
  const rows = items.flatMap((item, index) => {
    const end = offset + item.chunks.length;
    const itemRows = chunkRows(ids[index]!, item.chunks, vectors.slice(offset, end), model);
    offset = end;
    return itemRows;
  });
  await repository.insertChunks(transaction, rows);
  return ids;
}

/** Consecutive runs of documents holding about `size` chunks each (a document is never split). */
function* chunkBatches<T extends { chunks: unknown[] }>(items: T[], size: number): Generator<T[]> {
  let batch: T[] = [];
  let chunks = 0;
  for (const item of items) {
    batch.push(item);
    chunks += item.chunks.length;
    if (chunks >= size) {
      yield batch;
      batch = [];
      chunks = 0;
    }
  }
  if (batch.length) yield batch;
}

/**
 * Whether a load of `pending` new texts should drop the vector index and build it again at
 * the end. At 97k chunks, keeping the HNSW index up to date cost about 2 ms of CPU per
 * inserted row and building it about 0.8 ms per row of the whole table (bench/kb/scale.ts
 * prints both), so a rebuild pays once the load is over about half the table; meanwhile
 * vector search falls back to scanning, so small loads keep the index.
 */
function rebuildsVectorIndex(pending: number, existingChunks: number): boolean {
  return pending > BULK_THRESHOLD && pending * 2 > existingChunks;
}

/**
 * Whether a load changed enough rows for the planner's statistics to go stale (autovacuum's
 * own rule: 50 rows + 10 %). PGlite runs no autovacuum, and with stale statistics the keyword
 * search's planner chose a sequential scan at 100k chunks.
 */
function needsAnalyze(changedChunks: number, existingChunks: number): boolean {
  return changedChunks > 50 + 0.1 * existingChunks;
}

function chunkRows(
  documentId: string,
  chunks: Chunk[],
  vectors: number[][],
  model: Embedder,
): repository.ChunkInsert[] {
  return chunks.map((chunk, index) => ({
    document_id: documentId,
    entry_id: chunk.entryId,
    locale: chunk.locale,
    kind: chunk.kind,
    ordinal: chunk.ordinal,
    text: chunk.text,
    tokens: searchTokens(chunk.text).join(' '),
    embedding: vectors[index]!,
    embedding_model: model.model,
    embedding_dim: model.dimension,
  }));
}

function checkCategories(
  sourcePath: string,
  documents: LoadedDocument[],
  categories: string[] | undefined,
): void {
  if (!categories) return;
  for (const document of documents) {
    if (document.kind === 'faq' && !categories.includes(document.category)) {
      throw new DocumentError(
        'invalid_front_matter',
        sourcePath,
        `entry ${document.entryId} (${document.locale}): category "${document.category}" is not in the taxonomy; use one of ${categories.join(', ')}.`,
      );
    }
  }
}

function screened(documents: LoadedDocument[]): ScreenedDocument[] {
  return documents.map((document) => ({ document, reasons: screenDocument(document) }));
}

/** Texts a corpus-trained embedder may learn from: never those of a held document. */
function activeTexts(documents: ScreenedDocument[]): string[] {
  return documents
    .filter((item) => item.reasons.length === 0)
    .flatMap((item) => documentTexts(item.document));
}

/** A stored document's metadata (jsonb): the FAQ questions and tags the loaders wrote, parsed rather than cast. */
const storedMetadataSchema = z
  .object({ questions: z.array(z.string()).optional(), tags: z.array(z.string()).optional() })
  .passthrough();
const storedMetadata = (value: unknown) => storedMetadataSchema.parse(value ?? {});

/** A stored document back in the loaders' shape, so approval chunks it exactly as ingestion would. */
export function storedDocument(row: KnowledgeDocumentRow): LoadedDocument {
  const metadata = storedMetadata(row.metadata);
  const shared = {
    entryId: row.entry_id,
    locale: row.locale,
    title: row.title,
    sourcePath: row.source_path,
    contentHash: row.content_hash,
  };
  return loadedDocumentSchema.parse(
    row.kind === 'faq'
      ? {
          kind: 'faq',
          ...shared,
          category: row.category,
          autoReply: row.auto_reply,
          questions: metadata.questions,
          answer: row.body,
          tags: metadata.tags,
        }
      : { kind: 'policy', ...shared, text: row.body },
  );
}

type ReviewedRow = NonNullable<Awaited<ReturnType<typeof repository.approveHeldDocument>>>;

function reviewedDocument(row: ReviewedRow): ReviewedDocument {
  return {
    id: row.id,
    kind: row.kind,
    source: row.source,
    sourcePath: row.source_path,
    entryId: row.entry_id,
    locale: row.locale,
    title: row.title,
    reasons: screeningFindingSchema.array().catch([]).parse(row.held_reasons),
  };
}

function reviewAudit(action: string, row: ReviewedRow, reviewer: string, at: Date) {
  return {
    actorType: 'agent' as const,
    actorId: reviewer,
    action,
    subjectType: 'kb_document',
    subjectId: row.id,
    details: {
      source: row.source,
      sourcePath: row.source_path,
      entryId: row.entry_id,
      locale: row.locale,
      heldReasons: row.held_reasons,
    },
    at,
  };
}

function documentTexts(document: LoadedDocument): string[] {
  return document.kind === 'faq'
    ? [document.title, ...document.questions, document.answer]
    : [document.title, document.text];
}

function describeFailure(
  path: string,
  error: unknown,
): { path: string; code: string; message: string } {
  if (error instanceof DocumentError) return { path, code: error.code, message: error.message };
  return {
    path,
    code: 'ingest_failed',
    message: `${path}: ${error instanceof Error ? error.message : String(error)}`,
  };
}
