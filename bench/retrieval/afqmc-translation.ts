/**
 * AFQMC as retrieval (the pool and queries of bench/retrieval/afqmc.ts: same seed, same
 * --pairs / --queries) with supervised lexical-semantic signals learned from other pairs:
 *   - tm:   translation language model (IBM Model 1 on positive pairs, both directions,
 *           src/kb/translation-model.ts), scored over the whole pool;
 *   - pair: learned term-pair weights (logistic regression on positive AND negative pairs:
 *           shared token, one-side token, optionally cross pairs), re-scoring candidates;
 *   - expanded: BM25 with each query token's top translations added;
 *   - bank (--bank 1): BM25 of the partners of the query's nearest training questions;
 * alone and fused with BM25 (and the local dense embedder with --dense 1). Candidates for the
 * fusions are the top --candidates of every full-pool signal.
 *
 * Honesty: three disjoint sets of pairs.
 *   evaluated: the first --queries positives of the sample (text1 -> text2);
 *   dev:       the next --dev-pairs positives of the sample touching no evaluated text; fit
 *              the fusions (calibrator, linear-weight grid) and pick lambda/beta (--tune 1);
 *   training:  pairs of the whole AFQMC file (--train file, default) or of the rest of the
 *              sample (--train sample) touching no evaluated and no dev text; the translation
 *              table, pair model, bank and dense whitening groups learn from these only.
 * With --pairs 2000 the sample has ~660 positives: use --queries 400 to leave dev pairs.
 *
 *   npx tsx bench/retrieval/afqmc-translation.ts [--pairs 10000] [--queries 2000] [--dense 0|1]
 *     [--train file|sample] [--lambda 0.2] [--beta 0.5] [--iterations 5] [--tune 0|1]
 *     [--tm-tokens search|query] [--pair-cross 0|1] [--bank 0|1] [--candidates 100]
 */
import { bm25Ceiling, bm25Idf } from '../../src/kb/ranking.js';
import { buildKeywordIndex } from './keyword-index.js';
import {
  calibrationSamples,
  fitScoreCalibrator,
  matchFeatures,
  type CalibrationSample,
  type MatchSignals,
} from './score-calibrator.js';
import {
  buildTranslationLmIndex,
  topTranslations,
  trainTranslationTable,
  type TokenPair,
  type TranslationLmIndex,
} from './translation-model.js';
import { fitLocalEmbedder } from '../../src/models/local/embedder.js';
import { createRandom, shuffleInPlace } from '../../src/models/local/random.js';
import { queryTokens, searchTokens } from '../../src/text/tokenize.js';
import { afqmcSample, flag, readJsonLines } from './datasets.js';
import { topIndices } from './in-memory-kb.js';
import { mean } from './metrics.js';

type Pair = { text1: string; text2: string; label: number };
const pairs = readJsonLines<Pair>('afqmc/train.jsonl');
if (!pairs) process.exit(0);
const pairCount = flag('pairs', '10000') === 'all' ? pairs.length : Number(flag('pairs', '10000'));
const queryCount = Number(flag('queries', '2000'));
const devCount = Number(flag('dev-pairs', '1500'));
const trainSource = flag('train', 'file');
const useDense = flag('dense', '0') === '1';
const tmTokens = flag('tm-tokens', 'search') === 'query' ? queryTokens : searchTokens;
const candidateCount = Number(flag('candidates', '100'));
let lambda = Number(flag('lambda', '0.2'));
let beta = Number(flag('beta', '0.5'));
const maxSources = Number(flag('max-sources', 'Infinity'));
const pairCross = flag('pair-cross', '0') === '1';

// Supervision never touches an evaluated query: the same sample as every AFQMC script.
const { sample, pool, indexOf, positives, queries, evaluated } = afqmcSample(
  pairs,
  pairCount,
  queryCount,
);
const clean = (pair: Pair, held: Set<string>) => !held.has(pair.text1) && !held.has(pair.text2);
const dev = positives
  .slice(queryCount)
  .filter((pair) => clean(pair, evaluated))
  .slice(0, devCount);
const held = new Set([...evaluated, ...dev.flatMap((pair) => [pair.text1, pair.text2])]);
const trainingCandidates =
  trainSource === 'file'
    ? pairs.filter((pair) => pair.label === 1 && pair.text1 !== pair.text2)
    : positives.slice(queryCount);
const seenPairs = new Set<string>();
const training = trainingCandidates.filter((pair) => {
  const key = `${pair.text1}\u0000${pair.text2}`;
  if (!clean(pair, held) || seenPairs.has(key)) return false;
  seenPairs.add(key);
  return true;
});
console.log(
  `pool ${pool.length} questions; ${queries.length} evaluated, ${dev.length} dev, ${training.length} training pairs (${trainSource})`,
);

let cpu = process.cpuUsage();
const table = trainTranslationTable(
  training.map((pair): TokenPair => [tmTokens(pair.text1), tmTokens(pair.text2)]),
  {
    iterations: Number(flag('iterations', '5')),
    minSourceCount: Number(flag('min-source', '1')),
    minProbability: Number(flag('min-probability', '0.001')),
  },
);
const entries = [...table.bySource.values()].reduce((sum, targets) => sum + targets.size, 0);
console.log(`translation table: ${entries} entries, trained in ${seconds(cpu)} s CPU`);
for (const word of ['还款', '开通', '用不', '额度', '为什', '怎么']) {
  console.log(
    `  ${word}: ${topTranslations(table, word, 6)
      .map(([t, p]) => `${t} ${p.toFixed(2)}`)
      .join(', ')}`,
  );
}

// Learned term-pair weights: logistic regression on AFQMC pairs (both labels) touching no
// evaluated and no dev text. Features: each shared token, each token on one side only, and
// each (one-side token, other-side token) pair, hashed. Its label-0 pairs are hard negatives
// (花呗 vs 借呗 ...), exactly the confusions of retrieval.
cpu = process.cpuUsage();
const pairTokens = (text: string) => [...new Set(searchTokens(text))];
const pairTraining = pairs.filter((pair) => clean(pair, held) && pair.text1 !== pair.text2);
const pairModel = trainPairModel(
  pairTraining.map(
    (pair) => [pairTokens(pair.text1), pairTokens(pair.text2), pair.label === 1] as const,
  ),
);
console.log(
  `pair model: ${pairTraining.length} labelled pairs (${pairTraining.filter((pair) => pair.label === 1).length} positive), trained in ${seconds(cpu)} s CPU`,
);

cpu = process.cpuUsage();
const poolSearchTokens = pool.map(searchTokens);
const keyword = buildKeywordIndex(poolSearchTokens.map((tokens, i) => ({ id: String(i), tokens })));
// Per token: the documents holding it and their BM25 contribution (what keyword.search sums).
const postings = new Map<string, { docs: Int32Array; contributions: Float64Array }>();
{
  const lists = new Map<string, Array<[number, number]>>();
  poolSearchTokens.forEach((tokens, d) => {
    const document = keyword.document(String(d))!;
    const lengthFactor =
      1.2 * (1 - 0.75 + (0.75 * document.length) / keyword.statistics.averageLength);
    for (const [token, tf] of document.counts) {
      const idf = bm25Idf(
        keyword.statistics.documentFrequency(token),
        keyword.statistics.documentCount,
      );
      if (!lists.has(token)) lists.set(token, []);
      lists.get(token)!.push([d, (idf * tf * 2.2) / (tf + lengthFactor)]);
    }
  });
  for (const [token, list] of lists) {
    postings.set(token, {
      docs: Int32Array.from(list, ([d]) => d),
      contributions: Float64Array.from(list, ([, c]) => c),
    });
  }
  // Same scores as the product's index (checked on one query).
  const probe = poolSearchTokens[0]!;
  const mine = weightedBm25(new Map(probe.map((token) => [token, 1])));
  const ceiling = bm25Ceiling(probe, keyword.statistics);
  for (const { id, score } of keyword.search(probe)) {
    if (Math.abs(mine[Number(id)]! - score / ceiling) > 1e-9) throw new Error('BM25 mismatch');
  }
}
const poolPairTokens = pool.map(pairTokens);
const poolTmTokens = tmTokens === searchTokens ? poolSearchTokens : pool.map(tmTokens);
let translation: TranslationLmIndex = buildTranslationLmIndex(poolTmTokens, table, {
  lambda,
  beta,
  maxSources,
});
console.log(`indexed BM25 + translation LM in ${seconds(cpu)} s CPU`);

let denseOf: ((text: string) => Float64Array) | undefined;
if (useDense) {
  cpu = process.cpuUsage();
  const embedder = fitLocalEmbedder(pool, { groups: paraphraseGroups(training) });
  const dimension = embedder.dimension;
  const vectors = new Float32Array(pool.length * dimension);
  pool.forEach((text, i) => vectors.set(embedder.embedOne(text), i * dimension));
  denseOf = (text) => {
    const query = embedder.embedOne(text);
    const scores = new Float64Array(pool.length);
    for (let i = 0; i < pool.length; i++) {
      let sum = 0;
      for (let j = 0; j < dimension; j++) sum += query[j]! * vectors[i * dimension + j]!;
      scores[i] = sum;
    }
    return scores;
  };
  console.log(
    `dense: fitted ${embedder.model} (whitened on training pairs) and embedded the pool in ${seconds(cpu)} s CPU`,
  );
}

// Ablation: the same language model with no learned translations (query likelihood, JM).
const plainLm = buildTranslationLmIndex(
  poolTmTokens,
  { bySource: new Map(), byTarget: new Map() },
  { lambda, beta },
);

// Paraphrase bank: the training pairs as a lookup. A query's nearest bank questions (BM25)
// lend their partners' wording: bank(d) = sum over the top hits h of sim(q, h) * BM25(partner(h), d).
const bankTexts = [...new Set(training.flatMap((pair) => [pair.text1, pair.text2]))];
const partners = new Map<string, string[]>();
for (const { text1, text2 } of training) {
  partners.set(text1, [...(partners.get(text1) ?? []), text2]);
  partners.set(text2, [...(partners.get(text2) ?? []), text1]);
}
const bankIndex = buildKeywordIndex(
  bankTexts.map((text, i) => ({ id: String(i), tokens: searchTokens(text) })),
);
const bankHits = Number(flag('bank-hits', '5'));
function bankScores(tokens: readonly string[]): Float64Array {
  const scores = new Float64Array(pool.length);
  const ceiling = bm25Ceiling(tokens, bankIndex.statistics) || 1;
  let total = 0;
  for (const { id, score } of bankIndex.search(tokens, bankHits)) {
    const similarity = score / ceiling;
    for (const partner of partners.get(bankTexts[Number(id)]!)!) {
      const partnerScores = weightedBm25(new Map(searchTokens(partner).map((token) => [token, 1])));
      for (let i = 0; i < scores.length; i++)
        scores[i] = scores[i]! + similarity * partnerScores[i]!;
      total += similarity;
    }
  }
  if (total > 0) for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! / total;
  return scores;
}

/** Every signal over the whole pool for one query, the query itself excluded (-Infinity). */
type Scores = Record<string, Float64Array>;
const useBank = flag('bank', '0') === '1';
const fused = ['bm25', 'tm', 'pair', ...(useBank ? ['bank'] : []), ...(useDense ? ['dense'] : [])];
function scoreQuery(text: string): Scores {
  const self = indexOf.get(text)!;
  const tokens = searchTokens(text);
  const tmQuery = tmTokens(text);
  const perToken = (scores: Float64Array) =>
    scores.map((value) => value / Math.max(tmQuery.length, 1));
  const scores: Scores = {
    bm25: weightedBm25(new Map(tokens.map((token) => [token, 1]))),
    tm: perToken(translation.scoreAll(tmQuery)),
    lm: perToken(plainLm.scoreAll(tmQuery)),
    expanded: expandedBm25(tokens),
  };
  if (useBank) scores.bank = bankScores(tokens);
  if (denseOf) scores.dense = denseOf(text);
  for (const array of Object.values(scores)) array[self] = -Infinity;
  return scores;
}

/** BM25 with the query's top translations added (weight = probability * 0.5), normalised like bm25. */
function expandedBm25(tokens: readonly string[]): Float64Array {
  const weights = new Map<string, number>();
  for (const w of new Set(tokens)) {
    weights.set(w, Math.max(weights.get(w) ?? 0, 1));
    for (const [t, p] of topTranslations(table, w, 3)) {
      if (t !== w && p >= 0.05) weights.set(t, Math.max(weights.get(t) ?? 0, 0.5 * p));
    }
  }
  return weightedBm25(weights);
}

/**
 * BM25 (ranking.ts's formula, k1 1.2, b 0.75, each distinct token once) with a weight per
 * query token, over the whole pool, divided by the weighted ceiling (bm25Ceiling).
 */
function weightedBm25(weights: ReadonlyMap<string, number>): Float64Array {
  const scores = new Float64Array(pool.length);
  let ceiling = 0;
  for (const [token, weight] of weights) {
    ceiling += weight * bm25Ceiling([token], keyword.statistics);
    const list = postings.get(token);
    if (list)
      for (let k = 0; k < list.docs.length; k++)
        scores[list.docs[k]!] = scores[list.docs[k]!]! + weight * list.contributions[k]!;
  }
  for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! / (ceiling || 1);
  return scores;
}

/** 1-based rank of `target` when the pool is sorted by score, ties by index (as afqmc.ts). */
function rankOf(scores: ArrayLike<number>, target: number): number {
  const value = scores[target]!;
  let rank = 1;
  for (let i = 0; i < scores.length; i++)
    if (scores[i]! > value || (scores[i] === value && i < target)) rank++;
  return rank;
}

/**
 * Candidates (the top --candidates of each full-pool signal) with their signals in `fused`
 * order; the pair model only re-scores candidates (its entry in `scores` is filled here).
 */
function candidatesOf(scores: Scores, query: string): MatchSignals[] {
  const ids = new Set<number>();
  for (const name of fused) {
    if (name === 'pair') continue;
    for (const i of topIndices(scores[name]!, candidateCount))
      if (scores[name]![i]! > 0) ids.add(i);
  }
  const pair = new Float64Array(pool.length).fill(-Infinity);
  const queryFeatures = pairTokens(query);
  for (const i of ids) pair[i] = pairModel.score(queryFeatures, poolPairTokens[i]!);
  scores.pair = pair;
  return [...ids].map((i) => ({ id: String(i), signals: fused.map((name) => scores[name]![i]!) }));
}

// --- Dev: tune lambda/beta (optional), then fit the fusions. ---
if (flag('tune', '0') === '1') {
  cpu = process.cpuUsage();
  const devQueries = dev.slice(0, 500);
  let best = { lambda, beta, mrr: -1 };
  for (const l of [0.05, 0.2, 0.5]) {
    for (const b of [0.2, 0.5, 0.8]) {
      const index = buildTranslationLmIndex(poolTmTokens, table, {
        lambda: l,
        beta: b,
        maxSources,
      });
      const mrr = mean(
        devQueries.map((pair) => {
          const scores = index.scoreAll(tmTokens(pair.text1));
          scores[indexOf.get(pair.text1)!] = -Infinity;
          const rank = rankOf(scores, indexOf.get(pair.text2)!);
          return rank <= 10 ? 1 / rank : 0;
        }),
      );
      console.log(`  dev TM lambda ${l} beta ${b}: MRR@10 ${(100 * mrr).toFixed(1)}`);
      if (mrr > best.mrr) best = { lambda: l, beta: b, mrr };
    }
  }
  ({ lambda, beta } = best);
  if (flag('tune-only', '0') === '1') process.exit(0);
  translation = buildTranslationLmIndex(poolTmTokens, table, { lambda, beta, maxSources });
  console.log(
    `tuned on ${devQueries.length} dev pairs in ${seconds(cpu)} s CPU: lambda ${lambda}, beta ${beta}`,
  );
}

cpu = process.cpuUsage();
type Run = { candidates: MatchSignals[]; target: string };
const devRuns: Run[] = dev.map((pair) => ({
  candidates: candidatesOf(scoreQuery(pair.text1), pair.text1),
  target: String(indexOf.get(pair.text2)),
}));
/** Keeps the named signals only (a sub-fusion). */
const pick =
  (names: readonly string[]) =>
  (candidates: readonly MatchSignals[]): MatchSignals[] =>
    candidates.map(({ id, signals }) => ({
      id,
      signals: names.map((name) => signals[fused.indexOf(name)]!),
    }));
type Ordering = (candidates: readonly MatchSignals[]) => string[];
/** Logistic calibrator (score-calibrator.ts) on matchFeatures of the named signals, fitted on the dev runs. */
function calibrated(names: readonly string[]): Ordering {
  const keep = pick(names);
  const calibrator = fitScoreCalibrator(
    devRuns.flatMap(({ candidates, target }): CalibrationSample[] =>
      calibrationSamples(keep(candidates), target, { outOfScopeShare: 0 }),
    ),
  );
  return (candidates) =>
    matchFeatures(keep(candidates))
      .map(({ id, features }) => ({ id, p: calibrator.probability(features) }))
      .sort((a, b) => b.p - a.p || Number(a.id) - Number(b.id))
      .map(({ id }) => id);
}
/** Listwise: the weighted sum (bm25 weight 1) with the best dev MRR@10 over a small grid. */
function linear(names: readonly string[]): Ordering {
  const keep = pick(names);
  const order =
    (weights: readonly number[]): Ordering =>
    (candidates) =>
      keep(candidates)
        .map(({ id, signals }) => ({
          id,
          score: signals.reduce((sum, value, s) => sum + weights[s]! * value, 0),
        }))
        .sort((a, b) => b.score - a.score || Number(a.id) - Number(b.id))
        .map(({ id }) => id);
  const grid = [0, 0.25, 0.5, 1, 2, 4];
  let settings: number[][] = [[1]];
  for (let s = 1; s < names.length; s++)
    settings = settings.flatMap((weights) => grid.map((w) => [...weights, w]));
  let best = { mrr: -1, weights: settings[0]! };
  for (const weights of settings) {
    const mrr = mean(
      devRuns.map(({ candidates, target }) => {
        const position = order(weights)(candidates).indexOf(target) + 1;
        return position >= 1 && position <= 10 ? 1 / position : 0;
      }),
    );
    if (mrr > best.mrr) best = { mrr, weights };
  }
  console.log(
    `  linear ${names.join(' + ')}: weights ${best.weights.join(' / ')} (dev MRR@10 ${(100 * best.mrr).toFixed(1)})`,
  );
  return order(best.weights);
}
const fusions: Array<[string, Ordering]> = [
  ['hybrid: BM25 + TM, linear', linear(['bm25', 'tm'])],
  ['hybrid: BM25 + TM, calibrator', calibrated(['bm25', 'tm'])],
  ['hybrid: BM25 + pair model, linear', linear(['bm25', 'pair'])],
  ['hybrid: BM25 + TM + pair, linear', linear(['bm25', 'tm', 'pair'])],
  ['hybrid: BM25 + TM + pair, calibrator', calibrated(['bm25', 'tm', 'pair'])],
];
if (useBank) {
  fusions.push(['hybrid: BM25 + bank, linear', linear(['bm25', 'bank'])]);
  fusions.push(['hybrid: BM25 + TM + bank, linear', linear(['bm25', 'tm', 'bank'])]);
}
if (useDense) {
  fusions.push(['hybrid: BM25 + dense, calibrator', calibrated(['bm25', 'dense'])]);
  fusions.push(['hybrid: BM25 + TM + dense, linear', linear(['bm25', 'tm', 'dense'])]);
  fusions.push(['hybrid: BM25 + TM + dense, calibrator', calibrated(['bm25', 'tm', 'dense'])]);
  fusions.push(['hybrid: all signals, calibrator', calibrated(fused)]);
}
console.log(`fusions fitted on ${dev.length} dev pairs in ${seconds(cpu)} s CPU`);

// --- Evaluation. ---
/** A ranking: the target's 1-based rank (Infinity when missing) and the pool index it puts first. */
type Ranker = [
  string,
  (scores: Scores, candidates: MatchSignals[], target: number) => { position: number; top: number },
];
const fullRank = (key: string) => (scores: Scores, _: MatchSignals[], target: number) => ({
  position: rankOf(scores[key]!, target),
  top: topIndices(scores[key]!, 1)[0] ?? -1,
});
const listRank = (rank: Ordering) => (_: Scores, candidates: MatchSignals[], target: number) => {
  const order = rank(candidates);
  const position = order.indexOf(String(target)) + 1;
  return {
    position: position === 0 ? Infinity : position,
    top: order.length > 0 ? Number(order[0]) : -1,
  };
};
const rankers: Ranker[] = [
  ['keyword only (BM25)', fullRank('bm25')],
  ['query-likelihood LM, no translations', fullRank('lm')],
  ['translation LM alone', fullRank('tm')],
  ['BM25 + translation expansion', fullRank('expanded')],
  ['pair model alone (reranks candidates)', fullRank('pair')],
  ...(useBank ? [['paraphrase bank alone', fullRank('bank')] as Ranker] : []),
  ...(useDense ? [['dense only', fullRank('dense')] as Ranker] : []),
  ...fusions.map(([name, order]): Ranker => [name, listRank(order)]),
];
const recall = rankers.map(() => [] as number[]);
const reciprocal = rankers.map(() => [] as number[]);
// Diagnostic only (never used for fitting): the top hit counts as a paraphrase when it is
// in the query's connected component of ALL the file's positive pairs.
const component = components(pairs.filter((pair) => pair.label === 1));
const paraphraseAt1 = rankers.map(() => [] as number[]);
cpu = process.cpuUsage();
for (const pair of queries) {
  const scores = scoreQuery(pair.text1);
  const candidates = candidatesOf(scores, pair.text1);
  const target = indexOf.get(pair.text2)!;
  rankers.forEach(([, rank], r) => {
    const { position, top } = rank(scores, candidates, target);
    recall[r]!.push(position === 1 ? 1 : 0);
    reciprocal[r]!.push(position <= 10 ? 1 / position : 0);
    paraphraseAt1[r]!.push(
      top >= 0 && component.get(pool[top]!) === component.get(pair.text1) ? 1 : 0,
    );
  });
}
console.log(
  `searched ${queries.length} queries in ${seconds(cpu)} s CPU (lambda ${lambda}, beta ${beta})\n`,
);
// Paired against BM25 at recall@1: queries won / lost, and McNemar's chi-squared (> 3.84: p < 0.05).
console.log(
  `${'ranking'.padEnd(40)} recall@1  MRR@10  top-1 in labelled group  R@1 won/lost vs BM25 (McNemar)`,
);
rankers.forEach(([name], r) => {
  const won = recall[r]!.filter((hit, q) => hit > recall[0]![q]!).length;
  const lost = recall[r]!.filter((hit, q) => hit < recall[0]![q]!).length;
  const chi = won + lost > 0 ? (Math.abs(won - lost) - 1) ** 2 / (won + lost) : 0;
  console.log(
    `${name.padEnd(40)} ${(100 * mean(recall[r]!)).toFixed(1).padStart(7)}  ${(100 * mean(reciprocal[r]!)).toFixed(1).padStart(6)}  ${(100 * mean(paraphraseAt1[r]!)).toFixed(1).padStart(22)}  ${`${won}/${lost}`.padStart(10)} (${chi.toFixed(1)})`,
  );
});

/** Text -> component id over the given pairs. */
function components(edges: readonly Pair[]): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const { text1, text2 } of edges) {
    if (!parent.has(text1)) parent.set(text1, text1);
    if (!parent.has(text2)) parent.set(text2, text2);
    parent.set(find(text1), find(text2));
  }
  const result = new Map<string, string>();
  for (const text of parent.keys()) result.set(text, find(text));
  return result;
}

/** Logistic regression over hashed pair features, AdaGrad, a few epochs (symmetric: both orders). */
function trainPairModel(examples: ReadonlyArray<readonly [string[], string[], boolean]>) {
  const size = 1 << 20;
  const hash = (text: string): number => {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return (h >>> 0) & (size - 1);
  };
  const features = (a: readonly string[], b: readonly string[]): number[] => {
    const inB = new Set(b);
    const inA = new Set(a);
    const onlyA = a.filter((t) => !inB.has(t));
    const onlyB = b.filter((t) => !inA.has(t));
    const result = a.filter((t) => inB.has(t)).map((t) => hash(`=${t}`));
    for (const t of [...onlyA, ...onlyB]) result.push(hash(`-${t}`));
    if (pairCross)
      for (const s of onlyA)
        for (const t of onlyB) result.push(hash(s < t ? `${s}|${t}` : `${t}|${s}`));
    return result;
  };
  const weights = new Float64Array(size);
  const squares = new Float64Array(size).fill(1e-8);
  let bias = 0;
  const rate = 0.1;
  const l2 = 1e-6;
  const order = Int32Array.from(examples.keys());
  const random = createRandom(11);
  const encoded = examples.map(([a, b]) => features(a, b));
  for (let epoch = 0; epoch < 5; epoch++) {
    shuffleInPlace(order, random);
    for (const e of order) {
      const x = encoded[e]!;
      let z = bias;
      for (const f of x) z += weights[f]!;
      const gradient = 1 / (1 + Math.exp(-z)) - (examples[e]![2] ? 1 : 0);
      bias -= 0.01 * gradient;
      for (const f of x) {
        const g = gradient + l2 * weights[f]!;
        squares[f] = squares[f]! + g * g;
        weights[f] = weights[f]! - (rate * g) / Math.sqrt(squares[f]!);
      }
    }
  }
  return {
    /** Log-odds that a and b are paraphrases (uncentred; only its order matters for fusion). */
    score(a: readonly string[], b: readonly string[]): number {
      let z = bias;
      for (const f of features(a, b)) z += weights[f]!;
      return z;
    },
  };
}

function seconds(start: NodeJS.CpuUsage): string {
  return (process.cpuUsage(start).user / 1e6).toFixed(1);
}

/** Connected components of the training pairs within the pool, as a group per pool text. */
function paraphraseGroups(pairsForGroups: readonly Pair[]): Array<string | null> {
  const parent = pool.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (const pair of pairsForGroups) {
    const a = indexOf.get(pair.text1);
    const b = indexOf.get(pair.text2);
    if (a !== undefined && b !== undefined) parent[find(a)] = find(b);
  }
  const sizes = new Map<number, number>();
  pool.forEach((_, i) => sizes.set(find(i), (sizes.get(find(i)) ?? 0) + 1));
  return pool.map((_, i) => (sizes.get(find(i))! > 1 ? String(find(i)) : null));
}
