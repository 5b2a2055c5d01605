/**
 * Chooses the answerability threshold (src/triage/answerability.ts) by 3-fold cross-validation on
 * its own training data: the shipped FAQ paraphrases (positives, each scored for its own entry)
 * and knowledge-base/answerability.yaml (negatives). Prints, per limit on P(none), the share of
 * answerable questions kept and of unanswerable ones vetoed, and the chosen limit. No eval set is read.
 *
 *   npx tsx bench/triage/answerability-cv.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import matter from 'gray-matter';
import {
  type EntryQuestion,
  loadAnswerabilityFile,
  NONE,
  trainAnswerabilityModel,
} from '../../src/triage/answerability.js';
import { trainTextClassifier } from '../../src/models/local/text-classifier.js';

const folder = 'knowledge-base/faq';
const questions: EntryQuestion[] = readdirSync(folder).flatMap((file) => {
  const { data } = matter(readFileSync(`${folder}/${file}`, 'utf8'));
  return [data.title as string, ...((data.questions as string[]) ?? [])].map((question) => ({
    entryId: data.id as string,
    question,
  }));
});
const file = await loadAnswerabilityFile('knowledge-base/answerability.yaml');
const negatives = [
  ...Object.entries(file.unanswered).flatMap(([entryId, group]) =>
    [...group.zh, ...group.en].map((text) => ({ text, entryId: entryId as string | null })),
  ),
  ...[
    ...file.person_action.zh,
    ...file.person_action.en,
    ...file.money_dispute.zh,
    ...file.money_dispute.en,
  ].map((text) => ({ text, entryId: null as string | null })),
];

const folds = 3;
const scored: { positive: boolean; probability: number; none: number }[] = [];
for (let fold = 0; fold < folds; fold++) {
  const trainQuestions = questions.filter((_, index) => index % folds !== fold);
  const trainNegatives = negatives.filter((_, index) => index % folds !== fold);
  // The same model as the product, built from this fold's training part.
  const subset = {
    version: 1 as const,
    unanswered: { held: { zh: trainNegatives.map((n) => n.text), en: [] } },
    person_action: { zh: [], en: [] },
    money_dispute: { zh: [], en: [] },
  };
  const model = trainAnswerabilityModel(trainQuestions, subset, { seed: 23 + fold });
  const ranker = trainTextClassifier(
    [
      ...trainQuestions.map((q) => ({ text: q.question, label: q.entryId })),
      ...subset.unanswered.held.zh.map((text) => ({ text, label: NONE })),
    ],
    { seed: 23 + fold, folds: 2, bayesWeight: 0.1, svmWeight: 0 },
  );
  questions.forEach((item, index) => {
    if (index % folds === fold)
      scored.push({ positive: true, ...model.assess(item.question, item.entryId) });
  });
  negatives.forEach((item, index) => {
    if (index % folds !== fold) return;
    const entryId =
      item.entryId ?? ranker.predict(item.text).find((score) => score.label !== NONE)!.label;
    scored.push({ positive: false, ...model.assess(item.text, entryId) });
  });
}

// The veto: P(none) at or above the limit. Chosen limit: the best Youden J (recall of answerable
// questions + share of unanswerable ones vetoed - 1) on the folds; within 0.01 of the best, the
// higher limit (more answers kept).
const rows: { limit: number; recall: number; vetoed: number; j: number }[] = [];
const positives = scored.filter((row) => row.positive);
const negativesScored = scored.filter((row) => !row.positive);
for (let limit = 0.1; limit <= 0.9001; limit += 0.05) {
  const recall = positives.filter((row) => row.none < limit).length / positives.length;
  const vetoed = negativesScored.filter((row) => row.none >= limit).length / negativesScored.length;
  rows.push({ limit: Number(limit.toFixed(2)), recall, vetoed, j: recall + vetoed - 1 });
}
const best = Math.max(...rows.map((row) => row.j));
const chosen = rows.filter((row) => row.j >= best - 0.01).at(-1)!;
console.log('limit  recall  vetoed  J');
for (const row of rows)
  console.log(
    `${row.limit.toFixed(2)}  ${row.recall.toFixed(3)}  ${row.vetoed.toFixed(3)}  ${row.j.toFixed(3)}`,
  );
console.log(
  `positives ${positives.length}, negatives ${negativesScored.length}; chosen limit ${chosen.limit} (recall ${chosen.recall.toFixed(3)}, vetoed ${chosen.vetoed.toFixed(3)})`,
);
