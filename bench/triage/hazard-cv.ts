/**
 * Chooses the emergency model's threshold (src/triage/hazard.ts) by 3-fold cross-validation on its
 * own training data: knowledge-base/hazards.yaml (reports and look-alikes) and the taxonomy's
 * ordinary messages. Prints recall of reports and the share of look-alikes and ordinary messages
 * taken for reports per threshold, and the highest threshold with recall >= 0.98. No eval set is read.
 *
 *   npx tsx bench/triage/hazard-cv.ts
 */
import { hazardExamples, loadHazardFile, trainHazardModel } from '../../src/triage/hazard.js';
import { categoryExamples, loadTaxonomy } from '../../src/triage/taxonomy.js';

const file = await loadHazardFile('knowledge-base/hazards.yaml');
const ordinary = categoryExamples(await loadTaxonomy('knowledge-base/taxonomy.yaml')).map(
  (example) => example.text,
);
const all = hazardExamples(file, ordinary);
const folds = 3;
const scored: { label: string; probability: number }[] = [];
for (let fold = 0; fold < folds; fold++) {
  const part = <T>(items: T[], held: boolean) =>
    items.filter((_, index) => (index % folds === fold) === held);
  const training = {
    version: 1 as const,
    examples: {
      report: part(file.examples.report, false),
      lookalike: part(file.examples.lookalike, false),
    },
  };
  const model = trainHazardModel(training, part(ordinary, false), { seed: 17 + fold });
  for (const example of part(file.examples.report, true))
    scored.push({ label: 'report', probability: model.assess(example.text).probability });
  for (const example of part(file.examples.lookalike, true))
    scored.push({ label: 'lookalike', probability: model.assess(example.text).probability });
  for (const text of part(ordinary, true))
    if (all.some((item) => item.text === text && item.label === 'ordinary'))
      scored.push({ label: 'ordinary', probability: model.assess(text).probability });
}
const share = (label: string, threshold: number) => {
  const rows = scored.filter((row) => row.label === label);
  return rows.filter((row) => row.probability >= threshold).length / rows.length;
};
// Expected cost per message at assumed traffic shares (1.5 % emergencies, 3 % look-alikes, the
// rest ordinary), a missed emergency costing 20 false alarms. Within 0.005 of the lowest cost,
// the higher threshold (fewer false alarms) is taken.
const cost = (threshold: number) =>
  20 * 0.015 * (1 - share('report', threshold)) +
  0.03 * share('lookalike', threshold) +
  0.955 * share('ordinary', threshold);
const thresholds = Array.from({ length: 18 }, (_, index) =>
  Number((0.05 + index * 0.05).toFixed(2)),
);
const lowest = Math.min(...thresholds.map(cost));
const chosen = thresholds.filter((threshold) => cost(threshold) <= lowest + 0.005).at(-1)!;
console.log('threshold  recall  look-alikes  ordinary   cost');
for (const threshold of thresholds) {
  console.log(
    `${threshold.toFixed(2).padStart(9)}  ${share('report', threshold).toFixed(3)}  ${share('lookalike', threshold).toFixed(3).padStart(11)}  ${share('ordinary', threshold).toFixed(3).padStart(8)}  ${cost(threshold).toFixed(3)}`,
  );
}
console.log(`chosen threshold ${chosen}`);
