/**
 * Entry-labelled dev data for the decision policy without the eval: every FAQ paraphrase
 * asked with its own chunk left out (as the retrieval calibration does), with out-of-fold
 * entry-model scores, scored by the fitted calibration, plus the category classifier's
 * probabilities (it is trained on the taxonomy, which does not hold the paraphrases).
 * npx tsx bench/triage/dump-paraphrases.ts out.json
 */
import { writeFile } from 'node:fs/promises';
import { parseConfig } from '../../src/config/env.js';
import { selfCalibratingScorer } from '../../src/kb/calibration.js';
import { startService } from '../../src/service.js';
import { categoryExamples } from '../../src/triage/taxonomy.js';
import { trainTextClassifier } from '../../src/models/local/text-classifier.js';
import { categoryModelOptions } from '../../src/models/local/local-models.js';

const out = process.argv[2] ?? 'paraphrases.json';
const config = parseConfig({
  ...process.env,
  DATA_DIR: 'memory://',
  DATABASE_URL: '',
  LOG_LEVEL: 'warn',
  MODEL_PROVIDER: 'local',
});
const service = await startService(config);
const kb = service.knowledgeBase;
const scorer = selfCalibratingScorer({ db: service.database.db });
await scorer.load();
const taxonomyTexts = new Set(categoryExamples(service.taxonomy).map((example) => example.text));
const classifier = trainTextClassifier(categoryExamples(service.taxonomy), categoryModelOptions);
const paraphrases = await kb.paraphrases();
const outOfFold = await kb.outOfFoldScores(paraphrases);
const entries = new Map<string, { category: string | null; autoReply: boolean }>();
const rows = [];
for (const [index, { entryId, locale, question }] of paraphrases.entries()) {
  if (taxonomyTexts.has(question)) continue;
  const candidates = await kb.candidates(question, {
    locale,
    excludeText: question,
    modelScores: outOfFold.get(index),
  });
  const top = scorer.score(candidates).slice(0, 5);
  const matches = [];
  for (const candidate of top) {
    if (!entries.has(candidate.entryId)) {
      const entry = await kb.entry(candidate.entryId, locale);
      entries.set(candidate.entryId, {
        category: entry?.category ?? null,
        autoReply: entry?.autoReply ?? false,
      });
    }
    matches.push({
      id: candidate.entryId,
      score: candidate.score,
      ...entries.get(candidate.entryId)!,
    });
  }
  if (!entries.has(entryId)) {
    const entry = await kb.entry(entryId, locale);
    entries.set(entryId, {
      category: entry?.category ?? null,
      autoReply: entry?.autoReply ?? false,
    });
  }
  rows.push({
    text: question,
    locale,
    entry: entryId,
    label: entries.get(entryId)!.category,
    ranking: classifier.predict(question).slice(0, 5),
    matches,
  });
}
await writeFile(out, JSON.stringify(rows));
await service.close();
