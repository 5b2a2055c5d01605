/**
 * Cross-validation of the category classifier on the taxonomy's own labelled examples:
 * the way to choose classifier settings for triage without touching the triage eval.
 * npx tsx bench/classify/taxonomy-cv.ts [--options '{"classBalance":0.5}'] [--folds 5]
 */
import { parseArgs } from 'node:util';
import { loadTaxonomy, categoryExamples } from '../../src/triage/taxonomy.js';
import { stratifiedFolds } from '../../src/models/local/cross-validation.js';
import {
  trainTextClassifier,
  type TextClassifierOptions,
} from '../../src/models/local/text-classifier.js';

const { values } = parseArgs({
  options: {
    options: { type: 'string', default: '{}' },
    folds: { type: 'string', default: '5' },
    taxonomy: { type: 'string', default: 'knowledge-base/taxonomy.yaml' },
    confusion: { type: 'boolean', default: false },
  },
});
const taxonomy = await loadTaxonomy(values.taxonomy!);
const examples = categoryExamples(taxonomy);
const extra = JSON.parse(values.options!) as TextClassifierOptions;
const labels = [...new Set(examples.map((example) => example.label))];
const targets = Int32Array.from(examples, (example) => labels.indexOf(example.label));
const folds = Number(values.folds);
const assignment = stratifiedFolds(targets, folds, 101);
const started = performance.now();
let correct = 0;
let logLoss = 0;
const perLabel = new Map(labels.map((label) => [label, { right: 0, total: 0 }]));
const confusion = new Map<string, number>();
// Precision at confidence thresholds: how often a confident answer is right.
const confident: { confidence: number; right: boolean }[] = [];
for (let fold = 0; fold < folds; fold++) {
  const train = examples.filter((_, index) => assignment[index] !== fold);
  const test = examples.filter((_, index) => assignment[index] === fold);
  const model = trainTextClassifier(train, { seed: 7, folds: 3, ...extra });
  for (const example of test) {
    const ranking = model.predict(example.text);
    const right = ranking[0]!.label === example.label;
    if (right) correct++;
    else
      confusion.set(
        `${example.label} -> ${ranking[0]!.label}`,
        (confusion.get(`${example.label} -> ${ranking[0]!.label}`) ?? 0) + 1,
      );
    const p = ranking.find((score) => score.label === example.label)?.probability ?? 1e-9;
    logLoss -= Math.log(Math.max(p, 1e-9));
    const entry = perLabel.get(example.label)!;
    entry.total++;
    if (right) entry.right++;
    confident.push({ confidence: ranking[0]!.probability, right });
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `options ${values.options} accuracy ${(correct / examples.length).toFixed(4)} logloss ${(logLoss / examples.length).toFixed(4)} (${examples.length} examples, ${folds} folds, ${seconds.toFixed(1)} s)`,
);
for (const t of [0.5, 0.7, 0.8, 0.9]) {
  const kept = confident.filter((c) => c.confidence >= t);
  console.log(
    `  conf>=${t}: coverage ${(kept.length / confident.length).toFixed(3)} precision ${(kept.filter((c) => c.right).length / Math.max(1, kept.length)).toFixed(4)}`,
  );
}
if (values.confusion) {
  for (const [label, { right, total }] of perLabel)
    console.log(`  ${label.padEnd(18)} ${(right / total).toFixed(3)} (${total})`);
  for (const [pair, count] of [...confusion].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`  ${pair}: ${count}`);
}
