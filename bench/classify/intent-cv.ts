/**
 * Cross-validation of the question-or-request decision on the taxonomy's own examples:
 * the trained intent model alone, and combined with the surface-form rules of
 * src/triage/intent.ts, so the combination is chosen without touching the triage eval.
 * npx tsx bench/classify/intent-cv.ts [--folds 5]
 */
import { parseArgs } from 'node:util';
import { stratifiedFolds } from '../../src/models/local/cross-validation.js';
import { trainTextClassifier } from '../../src/models/local/text-classifier.js';
import { resolveIntent } from '../../src/triage/intent.js';
import { intentExamples, loadTaxonomy } from '../../src/triage/taxonomy.js';

const { values } = parseArgs({
  options: {
    folds: { type: 'string', default: '5' },
    taxonomy: { type: 'string', default: 'knowledge-base/taxonomy.yaml' },
  },
});
const examples = intentExamples(await loadTaxonomy(values.taxonomy!));
const folds = Number(values.folds);
const assignment = stratifiedFolds(
  Int32Array.from(examples, (example) => (example.label === 'request' ? 1 : 0)),
  folds,
  101,
);
const tally = {
  modelRequests: 0,
  model: 0,
  combined: 0,
  requestsCaught: 0,
  requests: 0,
  questionsKept: 0,
  questions: 0,
};
for (let fold = 0; fold < folds; fold++) {
  const model = trainTextClassifier(
    examples.filter((_, index) => assignment[index] !== fold),
    { seed: 11, folds: 3 },
  );
  for (const [index, example] of examples.entries()) {
    if (assignment[index] !== fold) continue;
    const top = model.predict(example.text)[0]!;
    const combined = resolveIntent(example.text, {
      label: top.label,
      confidence: top.probability,
      outOfScope: false,
      scores: [],
    } as never);
    if (top.label === example.label) tally.model++;
    if (example.label === 'request' && top.label === 'request') tally.modelRequests++;
    if (combined.label === example.label) tally.combined++;
    if (example.label === 'request')
      (tally.requests++, combined.label === 'request' && tally.requestsCaught++);
    else (tally.questions++, combined.label === 'question' && tally.questionsKept++);
  }
}
const share = (part: number, whole: number) => (part / Math.max(whole, 1)).toFixed(4);
console.log(
  `${examples.length} examples, ${folds} folds: model ${share(tally.model, examples.length)} (requests caught ${share(tally.modelRequests, tally.requests)}), with surface rules ${share(tally.combined, examples.length)}; requests caught ${share(tally.requestsCaught, tally.requests)}, questions kept ${share(tally.questionsKept, tally.questions)}`,
);
