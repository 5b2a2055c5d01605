/**
 * Knowledge-base scale benchmark on the embedded database: bulk-loads real customer
 * texts from the public data sets as one-chunk documents up to each size (default 1k,
 * 10k, 100k chunks), rebuilds the HNSW index, then times hybrid searches and reports
 * memory. Usage: npx tsx bench/kb/scale.ts [sizes=1000,10000,100000] [queries=200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { selfCalibratingScorer } from '../../src/kb/calibration.js';
import type { LoadedDocument } from '../../src/kb/document.js';
import { createKnowledgeBase } from '../../src/kb/kb.service.js';
import { fixedEmbedderSource } from '../../src/models/embedder-source.js';
import { fitLocalEmbedder } from '../../src/models/local/embedder.js';
import { readDataset, readLabelledTexts } from '../datasets.js';

const sizes = (process.argv[2] ?? '1000,10000,100000').split(',').map(Number);
const queryCount = Number(process.argv[3] ?? 200);

function corpus(): { text: string; locale: 'zh' | 'en' }[] | null {
  const afqmc = readDataset(
    'afqmc/train.jsonl',
    z.object({ text1: z.string(), text2: z.string() }),
  );
  const banking = readLabelledTexts('banking77/train.jsonl');
  const clinc = readLabelledTexts('clinc150/train.jsonl');
  const bitext = readLabelledTexts('bitext/customer_support.jsonl');
  if (!afqmc || !banking || !clinc || !bitext) return null;
  const seen = new Set<string>();
  const texts: { text: string; locale: 'zh' | 'en' }[] = [];
  const add = (text: string, locale: 'zh' | 'en') => {
    if (!seen.has(text)) {
      seen.add(text);
      texts.push({ text, locale });
    }
  };
  // Interleave languages so every prefix of the corpus is mixed.
  const english = [...banking, ...clinc, ...bitext].map((row) => row.text);
  const chinese = afqmc.flatMap((row) => [row.text1, row.text2]);
  for (let i = 0; i < Math.max(english.length, chinese.length); i++) {
    if (i < chinese.length) add(chinese[i]!, 'zh');
    if (i < english.length) add(english[i]!, 'en');
  }
  return texts;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const texts = corpus();
  if (!texts) return;
  const largest = Math.max(...sizes);
  if (texts.length < largest)
    console.log(`note: the data sets give ${texts.length} distinct texts; largest size capped`);
  const dataDir = mkdtempSync(join(tmpdir(), 'kb-scale-'));
  const database = await openDatabase({ dataDir });
  await migrateToLatest(database.db);
  const fitStarted = performance.now();
  const sample = texts
    .filter((_, index) => index % Math.max(1, Math.floor(texts.length / 20000)) === 0)
    .map((t) => t.text);
  const embedder = fitLocalEmbedder(sample, { dimension: 256 });
  const fitMs = performance.now() - fitStarted;
  const kb = createKnowledgeBase({
    db: database.db,
    embedders: fixedEmbedderSource(embedder),
    scorer: selfCalibratingScorer({ db: database.db }),
  });
  console.log(
    `embedder ${embedder.model} fitted on ${sample.length} texts in ${(fitMs / 1000).toFixed(1)} s`,
  );
  console.log(
    '| chunks | embed chunks/s | insert chunks/s | index build s | search p50 ms | search p99 ms | RSS MB |',
  );
  console.log('|---|---|---|---|---|---|---|');

  let loaded = 0;
  for (const size of sizes) {
    const target = Math.min(size, texts.length);
    const documents: LoadedDocument[] = texts.slice(loaded, target).map((row, index) => ({
      kind: 'policy',
      entryId: `doc-${loaded + index}`,
      locale: row.locale,
      title: `doc ${loaded + index}`,
      text: row.text,
      sourcePath: `bench/${loaded + index}`,
      contentHash: '0'.repeat(64),
    }));
    const result = await kb.bulkLoad(documents);
    loaded = target;
    const queries = Array.from({ length: queryCount }, (_, i) => texts[(i * 7919) % target]!);
    const timings: number[] = [];
    for (const query of queries) {
      const started = performance.now();
      await kb.search(query.text, { locale: query.locale, limit: 5 });
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    const rate = (ms: number) => Math.round(result.chunks / (ms / 1000));
    console.log(
      `| ${loaded} | ${rate(result.embedMs)} | ${rate(result.insertMs)} | ${(result.indexMs / 1000).toFixed(1)} | ${percentile(timings, 50).toFixed(1)} | ${percentile(timings, 99).toFixed(1)} | ${Math.round(process.memoryUsage().rss / 1e6)} |`,
    );
  }
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
