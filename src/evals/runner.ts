/**
 * Runs eval suites and builds the report: each suite's data loaded (or the suite skipped
 * when its public data set is absent), its cases run by its kind, metrics computed and
 * thresholds checked. The service is started once, on first need, for every suite.
 */
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { MissingDatasetError, displayPath } from './data-files.js';
import { runClassificationSuite } from './kinds/classification.js';
import type { KindContext, KindResult, ServiceSource } from './kinds/kind.js';
import { runRetrievalSuite } from './kinds/retrieval.js';
import { runSafetySuite } from './kinds/safety.js';
import { runTriageSuite } from './kinds/triage.js';
import type { EvalReport, SuiteResult } from './report/report.js';
import { runCases } from './run-cases.js';
import { loadSuite, type Suite, type SuiteKind } from './suite.js';
import { loadSuiteData } from './suite-data.js';
import { checkThresholds } from './thresholds.js';

export interface RunEvalOptions {
  /** Suite files; `listSuiteFiles()` gives every suite in evals/. */
  suiteFiles: string[];
  /** Provider name for the report (the service itself was configured with it). */
  provider: string;
  services: ServiceSource;
  datasetsDir: string;
  /** Overrides every suite's `limit`. */
  limit?: number;
  /** Cases in flight at once. Default 4. */
  concurrency?: number;
  /** Progress bars on stderr (only ever drawn on a terminal). Default true. */
  progress?: boolean;
  /** Called as each suite finishes (the CLI prints a line). */
  onSuite?: (result: SuiteResult) => void;
}

const kinds: { [K in SuiteKind]: (context: KindContext<K>) => Promise<KindResult> } = {
  classification: runClassificationSuite,
  retrieval: runRetrievalSuite,
  triage: runTriageSuite,
  safety: runSafetySuite,
};

/** Every `*.yaml` / `*.yml` directly in `directory`, sorted. */
export async function listSuiteFiles(directory: string): Promise<string[]> {
  const names = await readdir(directory);
  return names
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => resolve(join(directory, name)));
}

export async function runEval(options: RunEvalOptions): Promise<EvalReport> {
  const started = new Date();
  const concurrency = options.concurrency ?? 4;
  const suites: SuiteResult[] = [];
  for (const file of options.suiteFiles) {
    const wasStarted = options.services.started();
    const result = await runSuiteFile(file, { ...options, concurrency });
    const startupMs = options.services.startupMs();
    if (!wasStarted && startupMs !== undefined) result.notes.push(`includes starting the service: ${(startupMs / 1000).toFixed(1)} s`);
    suites.push(result);
    options.onSuite?.(result);
  }
  let environment: EvalReport['environment'] = { node: process.version, platform: `${process.platform}-${process.arch}` };
  const service = options.services.started() ? await options.services.get().catch(() => undefined) : undefined;
  if (service) {
    const described = service.triage.describe();
    const startupMs = options.services.startupMs();
    environment = { ...environment, classifier: described.classifier, embedder: described.embedder, ...(startupMs === undefined ? {} : { serviceStartMs: startupMs }) };
  }
  const finished = new Date();
  return {
    version: 1,
    provider: options.provider,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    pass: suites.every((suite) => suite.pass),
    concurrency,
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    environment,
    suites,
  };
}

async function runSuiteFile(file: string, options: RunEvalOptions & { concurrency: number }): Promise<SuiteResult> {
  const started = performance.now();
  const base = { file: displayPath(file), metrics: {}, thresholds: [], cases: [], caseCount: 0, totalCases: 0, notes: [] };
  let suite: Suite;
  try {
    suite = await loadSuite(file);
  } catch (error) {
    return { ...base, name: basename(file).replace(/\.ya?ml$/i, ''), kind: 'classification', pass: false, error: messageOf(error), durationMs: 0 };
  }
  const identity = { name: suite.name, kind: suite.kind, ...(suite.description ? { description: suite.description.trim() } : {}) };
  try {
    const data = await loadSuiteData(suite, { datasetsDir: options.datasetsDir, limit: options.limit });
    const context = {
      suite,
      data,
      services: options.services,
      runCases: <T, R>(items: readonly T[], work: (item: T, index: number) => Promise<R>) =>
        runCases(items, { concurrency: options.concurrency, label: suite.name, progress: options.progress ?? true }, work),
    };
    const outcome = await (kinds[suite.kind] as (context: unknown) => Promise<KindResult>)(context);
    const thresholds = checkThresholds(suite.thresholds, outcome.metrics);
    return {
      ...base,
      ...identity,
      ...outcome,
      thresholds,
      pass: thresholds.every((check) => check.pass),
      caseCount: data.cases.length,
      totalCases: data.totalCases,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (error instanceof MissingDatasetError) return { ...base, ...identity, pass: true, skipped: error.message, durationMs: 0 };
    return { ...base, ...identity, pass: false, error: messageOf(error), durationMs: Math.round(performance.now() - started) };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
