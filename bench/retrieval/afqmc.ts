/**
 * AFQMC (Ant Financial question matching) as retrieval: the pool is every distinct question
 * of the sampled pairs; for each positive pair, text1 is the query and text2 must come back
 * (text1 itself is excluded). Keyword-only (BM25 over searchTokens) against the local
 * embedder and hybrids, recall@1 and MRR@10. The embedder is fitted on the pool (the
 * "knowledge base"). The learned fusion is a calibrator fitted on other positive pairs
 * (none touching an evaluated query), never on the evaluated ones.
 *
 *   npx tsx bench/retrieval/afqmc.ts [--pairs 10000] [--queries 2000] [--whiten 0]
 *   npx tsx bench/retrieval/afqmc.ts --pairs all --queries 2000     # full pool (67,785 texts)
 */
import {
  calibrationSamples,
  fitScoreCalibrator,
  matchFeatures,
  type CalibrationSample,
} from './score-calibrator.js';
import { fitLocalEmbedder } from '../../src/models/local/embedder.js';
import { afqmcSample, flag, readJsonLines } from './datasets.js';
import { buildInMemoryKb } from './in-memory-kb.js';
import { mean } from './metrics.js';

type Pair = { text1: string; text2: string; label: number };
const pairs = readJsonLines<Pair>('afqmc/train.jsonl');
if (!pairs) process.exit(0);
const pairCount = flag('pairs', '10000') === 'all' ? pairs.length : Number(flag('pairs', '10000'));
const queryCount = Number(flag('queries', '2000'));
const calibrationCount = Number(flag('calibration-pairs', '1500'));
const whiten = flag('whiten', '1') === '1';

// Supervision never touches an evaluated query: the same sample as every AFQMC script.
const { sample, pool, indexOf, positives, queries, evaluated } = afqmcSample(
  pairs,
  pairCount,
  queryCount,
);
const training = positives
  .slice(queryCount)
  .filter((pair) => !evaluated.has(pair.text1) && !evaluated.has(pair.text2));
console.log(
  `pool ${pool.length} questions, ${queries.length} evaluated pairs, ${training.length} training pairs`,
);

const groups = whiten ? paraphraseGroups(training) : undefined;
let cpu = process.cpuUsage();
const embedder = fitLocalEmbedder(pool, { groups });
console.log(
  `fitted ${embedder.model} in ${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s CPU${whiten ? ' (whitened on training pairs)' : ''}`,
);
cpu = process.cpuUsage();
const kb = buildInMemoryKb(
  pool.map((text, i) => ({ entryId: String(i), field: 'question', text })),
  embedder,
  { fields: ['question'] },
);
console.log(`indexed (embedding + BM25) in ${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s CPU`);

const search = (text: string) => kb.search(text, { excludeChunk: indexOf.get(text)! });
const samples: CalibrationSample[] = [];
for (const pair of training.slice(0, calibrationCount)) {
  samples.push(
    ...calibrationSamples(search(pair.text1), String(indexOf.get(pair.text2)), {
      outOfScopeShare: 0,
    }),
  );
}
const calibrator = fitScoreCalibrator(samples);

type Ranker = (candidates: ReturnType<typeof search>) => string[];
const bySignal =
  (weights: number[]): Ranker =>
  (candidates) =>
    [...candidates]
      .map(({ id, signals }) => ({
        id,
        score: signals.reduce((sum, value, s) => sum + (weights[s] ?? 0) * value, 0),
      }))
      .sort((a, b) => b.score - a.score || Number(a.id) - Number(b.id))
      .map(({ id }) => id);
const rankers: Array<[string, Ranker]> = [
  ['keyword only (BM25)', bySignal([0, 0, 1])],
  ['dense only', bySignal([1, 0, 0])],
  ['lexical only (sparse TF-IDF)', bySignal([0, 1, 0])],
  [
    'hybrid: RRF(dense, lexical, BM25)',
    (candidates) => matchFeatures(candidates).map(({ id }) => id),
  ],
  ['hybrid: dense + BM25 (sum)', bySignal([1, 0, 1])],
  [
    'hybrid: learned fusion (calibrator)',
    (candidates) =>
      matchFeatures(candidates)
        .map(({ id, features }) => ({ id, p: calibrator.probability(features) }))
        .sort((a, b) => b.p - a.p)
        .map(({ id }) => id),
  ],
];
const recall = rankers.map(() => [] as number[]);
const reciprocal = rankers.map(() => [] as number[]);
cpu = process.cpuUsage();
for (const pair of queries) {
  const candidates = search(pair.text1);
  const target = String(indexOf.get(pair.text2));
  rankers.forEach(([, rank], r) => {
    const position = rank(candidates).indexOf(target) + 1;
    recall[r]!.push(position === 1 ? 1 : 0);
    reciprocal[r]!.push(position >= 1 && position <= 10 ? 1 / position : 0);
  });
}
console.log(
  `searched ${queries.length} queries in ${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s CPU\n`,
);
console.log(`${'ranking'.padEnd(38)} recall@1  MRR@10`);
rankers.forEach(([name], r) => {
  console.log(
    `${name.padEnd(38)} ${(100 * mean(recall[r]!)).toFixed(1).padStart(7)}  ${(100 * mean(reciprocal[r]!)).toFixed(1).padStart(6)}`,
  );
});

/** Connected components of the training pairs, as a group per pool text. */
function paraphraseGroups(pairsForGroups: readonly Pair[]): Array<string | null> {
  const parent = pool.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (const pair of pairsForGroups)
    parent[find(indexOf.get(pair.text1)!)] = find(indexOf.get(pair.text2)!);
  const sizes = new Map<number, number>();
  pool.forEach((_, i) => sizes.set(find(i), (sizes.get(find(i)) ?? 0) + 1));
  return pool.map((_, i) => (sizes.get(find(i))! > 1 ? String(find(i)) : null));
}
