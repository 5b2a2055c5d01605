/**
 * Run history: each run's summary per suite is appended to `.eval-history/<suite>.jsonl`,
 * and a run is compared with the previous run of the same suite, provider and case
 * count: the difference per metric and the cases that started or stopped failing.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  type Comparison,
  type EvalReport,
  numericMetrics,
  type SuiteResult,
} from './report/report.js';

export const historyEntrySchema = z.object({
  startedAt: z.string(),
  provider: z.string(),
  caseCount: z.number(),
  metrics: z.record(z.string(), z.number()),
  /** Ids of the cases that failed. */
  failed: z.array(z.string()),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

const fileName = (suite: string) => `${suite.replace(/[^A-Za-z0-9._-]+/g, '_')}.jsonl`;

export function historyEntry(report: EvalReport, suite: SuiteResult): HistoryEntry {
  return {
    startedAt: report.startedAt,
    provider: report.provider,
    caseCount: suite.caseCount,
    metrics: numericMetrics(suite.metrics),
    failed: suite.cases.filter((c) => !c.pass).map((c) => c.id),
  };
}

/** The latest entry of a comparable run (same provider and number of cases), if any. */
export async function previousEntry(
  directory: string,
  suite: string,
  like: { provider: string; caseCount: number },
): Promise<HistoryEntry | undefined> {
  const path = join(directory, fileName(suite));
  if (!existsSync(path)) return undefined;
  const entries = (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        const parsed = historyEntrySchema.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return []; // a line cut short by an interrupted run
      }
    });
  return entries
    .filter((entry) => entry.provider === like.provider && entry.caseCount === like.caseCount)
    .at(-1);
}

export function compareEntries(current: HistoryEntry, previous: HistoryEntry): Comparison {
  const deltas: Record<string, number> = {};
  for (const [metric, value] of Object.entries(current.metrics)) {
    const before = previous.metrics[metric];
    if (before !== undefined) deltas[metric] = value - before;
  }
  const failedBefore = new Set(previous.failed);
  const failedNow = new Set(current.failed);
  return {
    previousStartedAt: previous.startedAt,
    deltas,
    newlyFailing: current.failed.filter((id) => !failedBefore.has(id)),
    newlyPassing: previous.failed.filter((id) => !failedNow.has(id)),
  };
}

/** Adds `comparison` to every suite that has a comparable previous run, then appends this run. */
export async function recordHistory(report: EvalReport, directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  for (const suite of report.suites) {
    if (suite.skipped || suite.error) continue;
    const entry = historyEntry(report, suite);
    const previous = await previousEntry(directory, suite.name, entry);
    if (previous) suite.comparison = compareEntries(entry, previous);
    await appendFile(join(directory, fileName(suite.name)), `${JSON.stringify(entry)}\n`);
  }
}
