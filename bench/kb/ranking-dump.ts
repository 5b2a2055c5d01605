/**
 * Dumps the raw candidate signals of the shipped knowledge base (product path: PGlite,
 * local embedder, entry model) for offline ranking experiments: every KB paraphrase as a
 * query (its own chunk left out, entry-model scores cross-fitted) and, with --eval, the
 * eval cases (only to report a chosen setting, never to choose it).
 * Usage: npx tsx bench/kb/ranking-dump.ts out.json [--eval evals/data/kb-retrieval.jsonl] [--folds 5]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { selfCalibratingScorer } from '../../src/kb/calibration.js';
import { createKnowledgeBase } from '../../src/kb/kb.service.js';
import { localEmbedderSource } from '../../src/models/embedder-source.js';

const [out = '/tmp/kb-dump.json'] = process.argv
  .slice(2)
  .filter((arg, i, all) => !arg.startsWith('--') && !all[i - 1]?.startsWith('--'));
const flag = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
};

const database = await openDatabase({ dataDir: 'memory://' });
await migrateToLatest(database.db);
const scorer = selfCalibratingScorer({ db: database.db });
const kb = createKnowledgeBase({ db: database.db, embedders: localEmbedderSource(), scorer });
await kb.ingestDirectory(flag('kb') ?? 'knowledge-base');
await kb.ready();
const chunks = await database.db
  .selectFrom('knowledge_chunks')
  .select(['id', 'entry_id', 'locale', 'kind', 'text'])
  .orderBy('id')
  .execute();
const paraphrases = await kb.paraphrases();
const outOfFold = await kb.outOfFoldScores(paraphrases, Number(flag('folds') ?? 5));
const queries = [];
for (const [index, paraphrase] of paraphrases.entries()) {
  const candidates = await kb.candidates(paraphrase.question, {
    locale: paraphrase.locale,
    excludeText: paraphrase.question,
    modelScores: outOfFold.get(index),
  });
  queries.push({
    set: 'kb',
    text: paraphrase.question,
    locale: paraphrase.locale,
    relevant: [paraphrase.entryId],
    candidates,
  });
}
const evalFile = flag('eval');
if (evalFile) {
  for (const line of readFileSync(evalFile, 'utf8').split('\n').filter(Boolean)) {
    const item = JSON.parse(line) as { text: string; locale?: string; relevant: string[] };
    const candidates = await kb.candidates(item.text, { locale: item.locale });
    queries.push({
      set: 'eval',
      text: item.text,
      locale: item.locale,
      relevant: item.relevant,
      candidates,
    });
  }
}
writeFileSync(out, JSON.stringify({ chunks, queries }));
console.log(`${queries.length} queries, ${chunks.length} chunks -> ${out}`);
await database.close();
