/**
 * Dumps the raw candidate signals of every StackFAQ query, searched through the product's
 * own knowledge-base code (bulk load, local embedder fitted on the corpus, hybrid
 * candidates), for offline ranking experiments such as thread-grouped cross-validation of
 * the ranker's weights (bench/kb/ranker-cv.ts).
 * Usage: npx tsx bench/kb/stackfaq-dump.ts [out.json]
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { selfCalibratingScorer } from '../../src/kb/calibration.js';
import { createKnowledgeBase } from '../../src/kb/kb.service.js';
import { corpusDocuments } from '../../src/evals/corpus-index.js';
import { localEmbedderSource } from '../../src/models/embedder-source.js';
import { readDataset } from '../datasets.js';

const out = process.argv[2] ?? '/tmp/stackfaq-dump.json';
const faqs = readDataset(
  'stackfaq/faqs.jsonl',
  z.object({ id: z.string(), thread: z.string(), question: z.string(), answer: z.string() }),
);
const queries = readDataset(
  'stackfaq/queries.jsonl',
  z.object({ text: z.string(), thread: z.string() }),
);
if (faqs && queries) {
  const threadOf = new Map(faqs.map((faq) => [faq.id, faq.thread]));
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrateToLatest(database.db);
  const scorer = selfCalibratingScorer({ db: database.db });
  const kb = createKnowledgeBase({ db: database.db, embedders: localEmbedderSource(), scorer });
  await kb.bulkLoad(corpusDocuments(faqs));
  await scorer.refit?.(kb);
  await kb.ready();
  const dumped = [];
  for (const query of queries) {
    const candidates = await kb.candidates(query.text, { locale: 'en' });
    dumped.push({
      set: 'stackfaq',
      text: query.text,
      group: query.thread,
      relevant: faqs.filter((faq) => faq.thread === query.thread).map((faq) => faq.id),
      candidates: candidates.map((candidate) => ({
        ...candidate,
        group: threadOf.get(candidate.entryId),
      })),
    });
  }
  writeFileSync(out, JSON.stringify({ queries: dumped }));
  console.log(`${dumped.length} queries -> ${out}`);
  await database.close();
}
