/**
 * A retrieval suite's own corpus, searched exactly as the product searches its knowledge
 * base: a throwaway in-memory embedded database, the local embedder fitted on the
 * corpus, hybrid (vector + keyword) search with the self-calibrated score.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { selfCalibratingScorer } from '../kb/calibration.js';
import type { LoadedDocument } from '../kb/document.js';
import { createKnowledgeBase, type SearchOptions } from '../kb/kb.service.js';
import type { KnowledgeMatch } from '../kb/knowledge-match.js';
import { localEmbedderSource } from '../models/embedder-source.js';
import type { CorpusRow } from './suite-data.js';

export interface CorpusIndex {
  search(query: string, options: SearchOptions): Promise<KnowledgeMatch[]>;
  embedder: string;
  chunks: number;
  close(): Promise<void>;
}

const HAN = /\p{Script=Han}/u;

export function corpusDocuments(rows: readonly CorpusRow[]): LoadedDocument[] {
  return rows.map((row): LoadedDocument => {
    const fields = row as Record<string, unknown>;
    const question = 'question' in row ? String(row.question) : undefined;
    const answer = 'answer' in row ? String(row.answer) : '';
    const body = question !== undefined ? `${question} ${answer}` : String(fields.text);
    const locale =
      fields.locale === 'zh' || fields.locale === 'en'
        ? fields.locale
        : HAN.test(body)
          ? 'zh'
          : 'en';
    const shared = {
      entryId: row.id,
      locale,
      sourcePath: `corpus/${row.id}`,
      contentHash: createHash('sha256').update(JSON.stringify(row)).digest('hex'),
    } as const;
    if (question !== undefined) {
      return {
        kind: 'faq',
        ...shared,
        title: question,
        category: 'corpus',
        autoReply: false,
        questions: [question],
        answer,
      };
    }
    const text = String(fields.text);
    const title =
      typeof fields.title === 'string' && fields.title ? fields.title : text.slice(0, 80);
    return { kind: 'policy', ...shared, title, text };
  });
}

export async function openCorpusIndex(
  rows: readonly CorpusRow[],
  options: { logger?: Logger } = {},
): Promise<CorpusIndex> {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrateToLatest(database.db);
    const scorer = selfCalibratingScorer({ db: database.db });
    const knowledgeBase = createKnowledgeBase({
      db: database.db,
      embedders: localEmbedderSource(),
      scorer,
      logger: options.logger,
    });
    const loaded = await knowledgeBase.bulkLoad(corpusDocuments(rows));
    // As ingestion does: fit the score calibration on the corpus's own questions.
    await scorer.refit?.(knowledgeBase);
    await knowledgeBase.ready();
    return {
      search: (query, searchOptions) => knowledgeBase.search(query, searchOptions),
      embedder: knowledgeBase.embedderName(),
      chunks: loaded.chunks,
      close: () => database.close(),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
