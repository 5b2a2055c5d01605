/**
 * Can the knowledge base calibrate its own match scores? A KB is built from an intent data
 * set (each intent = one entry with N question paraphrases); a logistic calibrator is
 * fitted by leaving each KB question out in turn (no evaluation data involved); then real
 * held-back queries are scored, including out-of-scope ones (CLINC150's `oos`, and the
 * queries of entries kept out of the KB), and we measure ranking, calibration and the
 * answer/hand-off decision.
 *
 *   npx tsx bench/retrieval/calibration.ts --dataset clinc150 [--per-entry 10] [--held-out 15]
 *     [--whiten 1] [--shrinkage 0.3] [--out-of-scope-share 0.3] [--folds 5 (1: plain leave-one-out)]
 *   npx tsx bench/retrieval/calibration.ts --dataset bitext      (e-commerce customer support, English)
 *   npx tsx bench/retrieval/calibration.ts --dataset smp2017     (Chinese; chit-chat is out of scope)
 */
import {
  calibrationSamples,
  fitScoreCalibrator,
  matchFeatures,
  type CalibrationSample,
  type MatchSignals,
} from './score-calibrator.js';
import { fitLocalEmbedder } from '../../src/models/local/embedder.js';
import { createRandom, shuffleInPlace } from '../../src/models/local/random.js';
import { flag, readJsonLines } from './datasets.js';
import { buildInMemoryKb, type KbChunk } from './in-memory-kb.js';
import { areaUnderRoc, expectedCalibrationError, mean } from './metrics.js';

type Example = { text: string; label: string };
const dataset = flag('dataset', 'clinc150');
const perEntry = Number(flag('per-entry', '10'));
const heldOutEntries = Number(
  flag('held-out', { clinc150: '15', bitext: '4', smp2017: '3' }[dataset] ?? '0'),
);
const maxQueries = Number(flag('queries', '4000'));
const whiten = flag('whiten', '1') === '1';
const outOfScopeShare = Number(flag('out-of-scope-share', '0.3'));

const files: Record<string, [string, string]> = {
  clinc150: ['clinc150/train.jsonl', 'clinc150/val.jsonl'],
  bitext: ['bitext/customer_support.jsonl', 'bitext/customer_support.jsonl'],
  // Chinese: SMP2017 domains as entries; its chit-chat (`chat`) plays out-of-scope.
  smp2017: ['smp2017/train.jsonl', 'smp2017/train.jsonl'],
};
if (!files[dataset])
  throw new Error(`Unknown --dataset ${dataset}: use ${Object.keys(files).join(', ')}.`);
const kbSource = readJsonLines<Example>(files[dataset][0]);
const querySource = readJsonLines<Example>(files[dataset][1]);
const OUT_OF_SCOPE = new Set(['oos', 'chat']);
if (!kbSource || !querySource) process.exit(0);

// Entries: the intents, minus a seeded few kept out of the KB to play out-of-scope topics.
const labels = [...new Set(kbSource.map((example) => example.label))]
  .filter((label) => !OUT_OF_SCOPE.has(label))
  .sort();
shuffleInPlace(labels, createRandom(11));
const missing = new Set(labels.slice(0, heldOutEntries));
const chunks: KbChunk[] = [];
const used = new Set<Example>();
for (const label of labels.slice(heldOutEntries)) {
  for (const example of kbSource.filter((e) => e.label === label).slice(0, perEntry)) {
    chunks.push({ entryId: label, field: 'question', text: example.text });
    used.add(example);
  }
}
const queries = querySource.filter((example) => !used.has(example));
shuffleInPlace(queries, createRandom(5));
queries.length = Math.min(queries.length, maxQueries);
const inScope = (example: Example): boolean =>
  !OUT_OF_SCOPE.has(example.label) && !missing.has(example.label);
console.log(
  `${dataset}: KB ${labels.length - heldOutEntries} entries x ${perEntry} questions; ` +
    `${queries.length} queries (${queries.filter((q) => !inScope(q)).length} out of scope)`,
);

const folds = Number(flag('folds', '5'));
const fitOn = (subset: readonly KbChunk[]) =>
  fitLocalEmbedder(
    subset.map((chunk) => chunk.text),
    whiten
      ? {
          groups: subset.map((chunk) => chunk.entryId),
          whiteningShrinkage: Number(flag('shrinkage', '0.3')),
        }
      : {},
  );
let started = performance.now();
const embedder = fitOn(chunks);
const kb = buildInMemoryKb(chunks, embedder, { fields: ['question'] });
console.log(
  `fit + index ${((performance.now() - started) / 1000).toFixed(1)} s (${embedder.model})`,
);

// Leave-one-question-out on the KB itself: the only training data the calibrator sees.
// Cross-fitted: a question's features come from an embedder fitted without its fold, so
// the calibrator sees the embedder as a new customer question will (plain leave-one-out
// lets the embedder, its IDF and its whitening, see the held-out question).
started = performance.now();
const samples: CalibrationSample[] = [];
const foldOf = chunks.map((_, i) => (folds > 1 ? i % folds : 0));
for (let fold = 0; fold < Math.max(folds, 1); fold++) {
  const foldKb =
    folds > 1
      ? buildInMemoryKb(chunks, fitOn(chunks.filter((_, i) => foldOf[i] !== fold)), {
          fields: ['question'],
        })
      : kb;
  chunks.forEach((chunk, i) => {
    if (foldOf[i] !== fold) return;
    samples.push(
      ...calibrationSamples(foldKb.search(chunk.text, { excludeChunk: i }), chunk.entryId, {
        outOfScopeShare,
      }),
    );
  });
}
const calibrator = fitScoreCalibrator(samples);
console.log(
  `calibrator (${folds > 1 ? `${folds}-fold cross-fitted` : 'plain'} leave-one-out): ${samples.length} samples, fitted in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
console.log(
  `  weights ${calibrator
    .toJSON()
    .weights.map((w) => w.toFixed(2))
    .join(' ')}  (dense lexical keyword, their margins, 1/rank)`,
);

interface Outcome {
  inScope: boolean;
  correct: Record<string, boolean>;
  probability: number;
  rawDense: number;
  rawMargin: number;
}
const outcomes: Outcome[] = queries.map((query) => {
  const candidates: MatchSignals[] = kb.search(query.text);
  const features = matchFeatures(candidates);
  const byDense = [...candidates].sort((a, b) => b.signals[0]! - a.signals[0]!);
  const scored = features
    .map((f) => ({ id: f.id, p: calibrator.probability(f.features) }))
    .sort((a, b) => b.p - a.p);
  const top = scored[0];
  return {
    inScope: inScope(query),
    correct: {
      dense: byDense[0]?.id === query.label,
      rrf: features[0]?.id === query.label,
      calibrated: top?.id === query.label,
    },
    probability: top?.p ?? 0,
    rawDense: byDense[0]?.signals[0] ?? 0,
    rawMargin: (byDense[0]?.signals[0] ?? 0) - (byDense[1]?.signals[0] ?? 0),
  };
});

const inScopeOutcomes = outcomes.filter((o) => o.inScope);
console.log('\ntop-1 accuracy on in-scope queries:');
for (const method of ['dense', 'rrf', 'calibrated']) {
  console.log(
    `  ${method.padEnd(11)} ${(100 * mean(inScopeOutcomes.map((o) => (o.correct[method] ? 1 : 0)))).toFixed(1)} %`,
  );
}
const right = outcomes.map((o) => o.inScope && o.correct.calibrated!);
console.log('\n"top-1 answers the query" (out-of-scope counts as no), all queries:');
console.log(
  `  AUROC  calibrated p ${areaUnderRoc(
    outcomes.map((o) => o.probability),
    right,
  ).toFixed(3)}` +
    `  raw dense cosine ${areaUnderRoc(
      outcomes.map((o) => o.rawDense),
      right,
    ).toFixed(3)}` +
    `  dense margin ${areaUnderRoc(
      outcomes.map((o) => o.rawMargin),
      right,
    ).toFixed(3)}`,
);
console.log(
  `  ECE ${expectedCalibrationError(
    outcomes.map((o) => o.probability),
    right,
  ).toFixed(3)}` +
    `  mean p ${mean(outcomes.map((o) => o.probability)).toFixed(3)} vs actual ${mean(right.map(Number)).toFixed(3)}`,
);
console.log('\nthreshold  answered  precision  in-scope answered right  out-of-scope answered');
for (const threshold of [0.3, 0.5, 0.7, 0.9]) {
  const answered = outcomes.filter((o) => o.probability >= threshold);
  const good = answered.filter((o) => o.inScope && o.correct.calibrated);
  const outOfScope = outcomes.filter((o) => !o.inScope);
  console.log(
    `  ${threshold.toFixed(1)}      ${(100 * (answered.length / outcomes.length)).toFixed(1).padStart(5)} %` +
      `   ${(100 * (good.length / Math.max(answered.length, 1))).toFixed(1).padStart(5)} %` +
      `   ${(100 * (good.length / inScopeOutcomes.length)).toFixed(1).padStart(5)} %` +
      `                 ${(100 * (outOfScope.filter((o) => o.probability >= threshold).length / Math.max(outOfScope.length, 1))).toFixed(1).padStart(5)} %`,
  );
}
