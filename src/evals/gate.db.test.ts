/**
 * The CI gate: evals/gate.yaml (60 triage messages end to end) must meet its thresholds.
 * Runs on the test snapshot database, so it takes seconds; once, on the embedded driver.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDriver } from '../testing/database.js';
import { startTestService } from '../testing/service.js';
import { datasetsDirectory, repositoryRoot } from './data-files.js';
import { runEval } from './runner.js';
import { runningService } from './service-source.js';

describe.skipIf(testDriver !== 'pglite')('eval gate', () => {
  it('evals/gate.yaml meets every threshold', async () => {
    const service = await startTestService();
    try {
      const report = await runEval({
        suiteFiles: [join(repositoryRoot, 'evals/gate.yaml')],
        provider: 'local',
        services: runningService(service),
        datasetsDir: datasetsDirectory(undefined),
        concurrency: 1,
        progress: false,
      });
      const suite = report.suites[0]!;
      expect(suite.error).toBeUndefined();
      expect(suite.caseCount).toBe(60);
      expect(suite.thresholds.length).toBeGreaterThan(0);
      expect(suite.thresholds.filter((check) => !check.pass)).toEqual([]);
    } finally {
      await service.close();
    }
  });
});
