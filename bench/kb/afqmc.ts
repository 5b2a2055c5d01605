/**
 * Chinese retrieval benchmark from AFQMC's positive pairs: a pool of the distinct
 * questions of the sampled pairs is loaded into the knowledge base (embedded database,
 * the product's own bulk load); each pair's first question must retrieve its paraphrase
 * (the query itself left out). Keyword-only (BM25 over our CJK tokens) and hybrid
 * (vector + BM25, fused) are measured side by side: recall@1 and MRR@10.
 * Usage: npx tsx bench/kb/afqmc.ts [pairs=2000]
 */
import { z } from 'zod';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { selfCalibratingScorer } from '../../src/kb/calibration.js';
import type { LoadedDocument } from '../../src/kb/document.js';
import { createKnowledgeBase } from '../../src/kb/kb.service.js';
import type { EntryCandidate } from '../../src/kb/retrieval.js';
import { fixedEmbedderSource } from '../../src/models/embedder-source.js';
import { fitLocalEmbedder } from '../../src/models/local/embedder.js';
import { readDataset } from '../datasets.js';

const pairLimit = Number(process.argv[2] ?? 2000);

async function main() {
  const rows = readDataset(
    'afqmc/train.jsonl',
    z.object({ text1: z.string(), text2: z.string(), label: z.coerce.number() }),
  );
  if (!rows) return;
  const positives = rows.filter((row) => row.label === 1 && row.text1 !== row.text2);
  // Every k-th positive pair: a deterministic sample spread over the file.
  const step = Math.max(1, Math.floor(positives.length / pairLimit));
  const pairs = positives.filter((_, index) => index % step === 0).slice(0, pairLimit);
  const pool = [...new Set(pairs.flatMap((pair) => [pair.text1, pair.text2]))];
  const idOf = new Map(pool.map((text, index) => [text, `q${index}`]));

  const database = await openDatabase({ dataDir: 'memory://' });
  await migrateToLatest(database.db);
  const embedder = fitLocalEmbedder(pool, { dimension: 256 });
  const kb = createKnowledgeBase({
    db: database.db,
    embedders: fixedEmbedderSource(embedder),
    scorer: selfCalibratingScorer({ db: database.db }),
  });
  const documents: LoadedDocument[] = pool.map((text) => ({
    kind: 'policy',
    entryId: idOf.get(text)!,
    locale: 'zh',
    title: idOf.get(text)!,
    text,
    sourcePath: `afqmc/${idOf.get(text)}`,
    contentHash: '0'.repeat(64),
  }));
  await kb.bulkLoad(documents);

  const rankings: Record<'keyword' | 'vector' | 'hybrid', { recallAt1: number; mrrAt10: number }> =
    {
      keyword: { recallAt1: 0, mrrAt10: 0 },
      vector: { recallAt1: 0, mrrAt10: 0 },
      hybrid: { recallAt1: 0, mrrAt10: 0 },
    };
  const order = (candidates: EntryCandidate[], key: 'keyword' | 'dense' | 'fused') =>
    candidates
      .filter((candidate) => candidate[key] > 0)
      .sort((a, b) => b[key] - a[key])
      .map((candidate) => candidate.entryId);
  for (const pair of pairs) {
    const candidates = await kb.candidates(pair.text1, {
      locale: 'zh',
      excludeText: pair.text1,
      modelScores: new Map(),
    });
    const target = idOf.get(pair.text2)!;
    for (const [name, key] of [
      ['keyword', 'keyword'],
      ['vector', 'dense'],
      ['hybrid', 'fused'],
    ] as const) {
      const rank = order(candidates, key).slice(0, 10).indexOf(target);
      if (rank === 0) rankings[name].recallAt1++;
      if (rank >= 0) rankings[name].mrrAt10 += 1 / (rank + 1);
    }
  }
  console.log(
    `AFQMC positive pairs: ${pairs.length} queries, pool of ${pool.length} distinct questions`,
  );
  console.log('| ranking | recall@1 | MRR@10 |');
  console.log('|---|---|---|');
  for (const [name, value] of Object.entries(rankings)) {
    console.log(
      `| ${name} | ${(value.recallAt1 / pairs.length).toFixed(3)} | ${(value.mrrAt10 / pairs.length).toFixed(3)} |`,
    );
  }
  await database.close();
}

await main();
