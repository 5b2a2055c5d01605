/**
 * StackFAQ has no training split, and its entries have one question each, too few for the
 * self-calibration to fit the ranker. This chooses the ranker's fixed weights for such
 * corpora by 5-fold cross-validation grouped by thread: each fold's weights are picked on
 * the queries of the other folds' threads (grid search on MAP) and scored on its own, so
 * the printed MAP is measured on threads the choice never saw.
 * Usage: npx tsx bench/kb/stackfaq-dump.ts /tmp/sf.json && npx tsx bench/kb/stackfaq-ranker-cv.ts /tmp/sf.json
 */
import { readFileSync } from 'node:fs';
import { candidateFeatures, type EntryCandidate } from '../../src/kb/retrieval.js';

interface DumpedQuery {
  group: string;
  relevant: string[];
  candidates: EntryCandidate[];
}

const { queries } = JSON.parse(
  readFileSync(process.argv[2] ?? '/tmp/stackfaq-dump.json', 'utf8'),
) as { queries: DumpedQuery[] };
const featured = queries.map((query) => ({
  ...query,
  features: query.candidates.map(candidateFeatures),
}));

function averagePrecision(ranked: string[], relevant: Set<string>): number {
  let hits = 0;
  let sum = 0;
  ranked.forEach((id, index) => relevant.has(id) && (hits++, (sum += hits / (index + 1))));
  return relevant.size ? sum / relevant.size : 0;
}

function meanAveragePrecision(weights: number[], set: typeof featured): number {
  let total = 0;
  for (const query of set) {
    const scores = query.features.map((row) =>
      row.reduce((sum, value, j) => sum + value * weights[j]!, 0),
    );
    const order = scores
      .map((_, i) => i)
      .sort((a, b) => scores[b]! - scores[a]! || a - b)
      .slice(0, 100);
    total += averagePrecision(
      order.map((i) => query.candidates[i]!.entryId),
      new Set(query.relevant),
    );
  }
  return set.length ? total / set.length : 0;
}

// [log entry-model probability, lexical question, lexical answer, dense, 1/model rank, 1/lexical rank]
const grid: number[][] = [];
for (const model of [0, 0.5, 1])
  for (const question of [2, 3, 4])
    for (const answer of [0.5, 1, 2])
      for (const dense of [2, 3, 4])
        for (const rank of [0, 0.5]) grid.push([model, question, answer, dense, rank, rank]);

const threads = [...new Set(featured.map((query) => query.group))].sort();
const folds = 5;
let total = 0;
for (let fold = 0; fold < folds; fold++) {
  const held = new Set(threads.filter((_, index) => index % folds === fold));
  const train = featured.filter((query) => !held.has(query.group));
  const test = featured.filter((query) => held.has(query.group));
  let best = grid[0]!;
  let bestScore = -1;
  for (const weights of grid) {
    const score = meanAveragePrecision(weights, train);
    if (score > bestScore) ((best = weights), (bestScore = score));
  }
  const heldOut = meanAveragePrecision(best, test);
  total += heldOut * test.length;
  console.log(
    `fold ${fold}: weights [${best.join(', ')}], train MAP ${bestScore.toFixed(4)}, held-out MAP ${heldOut.toFixed(4)} (${test.length} queries)`,
  );
}
console.log(
  `MAP on held-out threads: ${(total / featured.length).toFixed(4)} (${featured.length} queries, ${folds} folds by thread)`,
);
