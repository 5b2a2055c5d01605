/**
 * Chooses ALWAYS_CATEGORY_REQUEST (decide.ts): how sure the intent model must be that a message
 * in an `always` category asks a person to act. Triages each case once, keeps the recorded
 * decision input, and replays decide() at each limit, printing precision and coverage of
 * automatic answers per file and language.
 *
 *   npx tsx bench/triage/request-limit.ts evals/data/blind-1/triage.jsonl evals/data/triage.jsonl
 *
 * Run it on development sets only (blind-1, the shipped suite), never on a held-out blind set.
 */
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/config/env.js';
import { startService } from '../../src/service.js';
import { silentLogger } from '../../src/testing/logger.js';
import { decide } from '../../src/triage/decide.js';
import type { DecisionInput } from '../../src/triage/decision-input.js';

const LIMITS = [2, 0.999, 0.995, 0.99, 0.98, 0.95, 0.9];
const service = await startService(parseConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }), {
  logger: silentLogger(),
});
for (const file of process.argv.slice(2)) {
  const cases: { language: string; action: string; entry: string | null; input: DecisionInput }[] =
    [];
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const item = JSON.parse(line) as {
      text: string;
      language: string;
      action: string;
      entry: string | null;
    };
    const result = await service.triage.triage({ text: item.text });
    if (result.decisionInput)
      cases.push({
        language: item.language,
        action: item.action,
        entry: item.entry,
        input: result.decisionInput,
      });
  }
  for (const language of ['zh', 'en']) {
    const part = cases.filter((item) => item.language === language);
    console.log(`${file} ${language} (limit 2 = never)`);
    for (const limit of LIMITS) {
      let answered = 0,
        right = 0,
        wanted = 0,
        covered = 0;
      for (const item of part) {
        const decision = decide({
          ...item.input,
          thresholds: { ...item.input.thresholds, request: limit },
        });
        const ok =
          decision.action === 'auto_reply' &&
          item.action === 'auto_reply' &&
          (item.entry === null || decision.groundedIn === item.entry);
        if (decision.action === 'auto_reply') (answered++, (right += ok ? 1 : 0));
        if (item.action === 'auto_reply') (wanted++, (covered += ok ? 1 : 0));
      }
      console.log(
        `  ${limit}: precision ${(right / answered).toFixed(3)} coverage ${(covered / wanted).toFixed(3)} answered ${answered}`,
      );
    }
  }
}
process.exit(0);
