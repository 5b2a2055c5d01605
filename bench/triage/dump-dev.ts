/**
 * Dev data for the decision policy, from the taxonomy's own labelled examples (never the
 * eval): each example's out-of-fold category probabilities (5-fold, the category model's
 * settings) and its knowledge-base matches. Writes JSON for offline policy analysis.
 * npx tsx bench/triage/dump-dev.ts out.json
 */
import { writeFile } from 'node:fs/promises';
import { parseConfig } from '../../src/config/env.js';
import { startService } from '../../src/service.js';
import { categoryExamples } from '../../src/triage/taxonomy.js';
import { stratifiedFolds } from '../../src/models/local/cross-validation.js';
import { trainTextClassifier } from '../../src/models/local/text-classifier.js';
import { categoryModelOptions } from '../../src/models/local/local-models.js';
import { redactPersonalData } from '../../src/triage/pii.js';
import { normaliseText } from '../../src/text/normalise.js';
import { detectLanguage } from '../../src/triage/language.js';

const out = process.argv[2] ?? 'dev.json';
const config = parseConfig({
  ...process.env,
  DATA_DIR: 'memory://',
  DATABASE_URL: '',
  LOG_LEVEL: 'warn',
  MODEL_PROVIDER: 'local',
});
const service = await startService(config);
const examples = categoryExamples(service.taxonomy);
const labels = [...new Set(examples.map((example) => example.label))];
const targets = Int32Array.from(examples, (example) => labels.indexOf(example.label));
const assignment = stratifiedFolds(targets, 5, 101);
const rows: unknown[] = new Array(examples.length);
for (let fold = 0; fold < 5; fold++) {
  const model = trainTextClassifier(
    examples.filter((_, i) => assignment[i] !== fold),
    categoryModelOptions,
  );
  for (let i = 0; i < examples.length; i++) {
    if (assignment[i] !== fold) continue;
    const text = redactPersonalData(normaliseText(examples[i]!.text)).text;
    const language = detectLanguage(text).language;
    const matches = await service.knowledgeBase.search(text, {
      locale: language === 'zh' || language === 'en' ? language : undefined,
      limit: 5,
    });
    rows[i] = {
      text,
      label: examples[i]!.label,
      ranking: model.predict(text).slice(0, 5),
      matches: matches.map((m) => ({
        id: m.id,
        score: m.score,
        category: m.category,
        autoReply: m.autoReply,
      })),
    };
  }
}
await writeFile(out, JSON.stringify(rows));
await service.close();
