/**
 * Runs eval suites and builds the report: each suite's data loaded (or the suite skipped
 * when its public data set is absent), its cases run by its kind (once per variant when
 * there are variants), metrics computed and thresholds checked. The service is started
 * once, on first need, for every suite; a variant that changes its settings gets its own.
 */
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { MissingDatasetError, displayPath } from './data-files.js';
import { runClassificationSuite } from './kinds/classification.js';
import type { KindContext, KindResult, ServiceSource } from './kinds/kind.js';
import { runRetrievalSuite } from './kinds/retrieval.js';
import { runSafetySuite } from './kinds/safety.js';
import { runTriageSuite } from './kinds/triage.js';
import type { EvalReport, SuiteResult, VariantRun } from './report/report.js';
import { runCases } from './run-cases.js';
import { loadSuite, type Suite, SuiteError, type SuiteKind, usesService } from './suite.js';
import { loadSuiteData, type SuiteData } from './suite-data.js';
import { checkThresholds } from './thresholds.js';
import { compareWithReference } from './variant-comparison.js';
import {
  changesThresholds,
  overridesOf,
  type Variant,
  variantEnvironment,
  withThresholds,
} from './variants.js';

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
  /** Variants (`--variant`) every suite that uses the service runs under; a suite's own `variants:` win. */
  variants?: Variant[];
  /** A service started with these settings on top of the run's, for variants that change provider, model or prompts. */
  servicesFor?: (env: Record<string, string>) => ServiceSource;
}

/** The service a variant runs on: the run's, or one started with the variant's settings (once per distinct settings). */
type ServiceFor = (variant: Variant, baseDirectory: string) => ServiceSource;

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
  const variantServices = new Map<string, ServiceSource>();
  const serviceFor: ServiceFor = (variant, baseDirectory) => {
    const env = variantEnvironment(variant, baseDirectory);
    if (Object.keys(env).length === 0) return options.services;
    if (!options.servicesFor)
      throw new SuiteError(
        `variant ${variant.name} changes the service's settings; run it with triage eval`,
      );
    const key = JSON.stringify(Object.entries(env).sort());
    let services = variantServices.get(key);
    if (!services) variantServices.set(key, (services = options.servicesFor(env)));
    return services;
  };
  try {
    for (const file of options.suiteFiles) {
      const wasStarted = options.services.started();
      const result = await runSuiteFile(file, { ...options, concurrency }, serviceFor);
      const startupMs = options.services.startupMs();
      if (!wasStarted && startupMs !== undefined)
        result.notes.push(`includes starting the service: ${(startupMs / 1000).toFixed(1)} s`);
      suites.push(result);
      options.onSuite?.(result);
    }
  } finally {
    for (const services of variantServices.values()) await services.close();
  }
  let environment: EvalReport['environment'] = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  const service = options.services.started()
    ? await options.services.get().catch(() => undefined)
    : undefined;
  if (service) {
    const described = service.triage.describe();
    const startupMs = options.services.startupMs();
    environment = {
      ...environment,
      classifier: described.classifier,
      embedder: described.embedder,
      ...(startupMs === undefined ? {} : { serviceStartMs: startupMs }),
    };
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

async function runSuiteFile(
  file: string,
  options: RunEvalOptions & { concurrency: number },
  serviceFor: ServiceFor,
): Promise<SuiteResult> {
  const started = performance.now();
  const base = {
    file: displayPath(file),
    metrics: {},
    thresholds: [],
    cases: [],
    caseCount: 0,
    totalCases: 0,
    notes: [],
  };
  let suite: Suite;
  try {
    suite = await loadSuite(file);
  } catch (error) {
    return {
      ...base,
      name: basename(file).replace(/\.ya?ml$/i, ''),
      kind: 'classification',
      pass: false,
      error: messageOf(error),
      durationMs: 0,
    };
  }
  const identity = {
    name: suite.name,
    kind: suite.kind,
    ...(suite.description ? { description: suite.description.trim() } : {}),
  };
  try {
    const data = await loadSuiteData(suite, {
      datasetsDir: options.datasetsDir,
      limit: options.limit,
    });
    const imported = {
      notes: data.notes,
      ...(data.warnings.length ? { warnings: data.warnings } : {}),
    };
    const counts = { caseCount: data.cases.length, totalCases: data.totalCases };
    const variants = suite.variants ?? (usesService(suite) ? options.variants : undefined);
    if (!variants) {
      const outcome = await runKind(suite, data, options.services, suite.name, options);
      const thresholds = checkThresholds(suite.thresholds, outcome.metrics);
      return {
        ...base,
        ...identity,
        ...outcome,
        notes: [
          ...imported.notes,
          ...outcome.notes,
          ...(options.variants
            ? ['--variant does not apply: this suite does not run through the service']
            : []),
        ],
        ...(imported.warnings ? { warnings: imported.warnings } : {}),
        thresholds,
        pass: thresholds.every((check) => check.pass),
        ...counts,
        durationMs: Math.round(performance.now() - started),
      };
    }

    const runs: VariantRun[] = [];
    let reference: (KindResult & { thresholds: ReturnType<typeof checkThresholds> }) | undefined;
    for (const variant of variants) {
      const variantStarted = performance.now();
      const identityOfRun = {
        name: variant.name,
        ...(variant.description ? { description: variant.description } : {}),
        overrides: overridesOf(variant),
      };
      try {
        const services = serviceFor(variant, suite.directory);
        const wasStarted = services.started();
        const outcome = await runVariant(services, variant, () =>
          runKind(suite, data, services, `${suite.name}/${variant.name}`, options),
        );
        const startupMs = services.startupMs();
        if (!wasStarted && startupMs !== undefined && services !== options.services)
          outcome.notes.push(
            `includes starting this variant's service: ${(startupMs / 1000).toFixed(1)} s`,
          );
        const thresholds = checkThresholds(suite.thresholds, outcome.metrics);
        const comparison = reference
          ? compareWithReference(reference, outcome)
          : { deltas: {}, changedCases: [], newlyFailing: [], newlyPassing: [] };
        runs.push({
          ...identityOfRun,
          pass: thresholds.every((check) => check.pass),
          metrics: outcome.metrics,
          thresholds,
          caseCount: outcome.cases.length,
          durationMs: Math.round(performance.now() - variantStarted),
          notes: outcome.notes,
          ...(outcome.sweep ? { sweep: outcome.sweep } : {}),
          ...comparison,
          ...(reference ? { cases: outcome.cases } : {}),
        });
        reference ??= { ...outcome, thresholds };
      } catch (error) {
        // Without the reference there is nothing to compare with: the suite fails to run.
        if (!reference) throw error;
        runs.push({
          ...identityOfRun,
          pass: false,
          error: messageOf(error),
          metrics: {},
          thresholds: [],
          caseCount: 0,
          durationMs: Math.round(performance.now() - variantStarted),
          notes: [],
          deltas: {},
          newlyFailing: [],
          newlyPassing: [],
          changedCases: [],
        });
      }
    }
    const first = reference!;
    return {
      ...base,
      ...identity,
      metrics: first.metrics,
      cases: first.cases,
      ...(first.sweep ? { sweep: first.sweep } : {}),
      notes: [
        ...imported.notes,
        ...first.notes,
        `${variants.length} variants; the suite's metrics, cases and pass are those of ${variants[0]!.name}, the reference`,
      ],
      ...(imported.warnings ? { warnings: imported.warnings } : {}),
      thresholds: first.thresholds,
      pass: first.thresholds.every((check) => check.pass),
      ...counts,
      durationMs: Math.round(performance.now() - started),
      variants: { reference: variants[0]!.name, runs },
    };
  } catch (error) {
    if (error instanceof MissingDatasetError)
      return { ...base, ...identity, pass: true, skipped: error.message, durationMs: 0 };
    return {
      ...base,
      ...identity,
      pass: false,
      error: messageOf(error),
      durationMs: Math.round(performance.now() - started),
    };
  }
}

function runKind(
  suite: Suite,
  data: SuiteData,
  services: ServiceSource,
  label: string,
  options: RunEvalOptions & { concurrency: number },
): Promise<KindResult> {
  const context = {
    suite,
    data,
    services,
    runCases: <T, R>(items: readonly T[], work: (item: T, index: number) => Promise<R>) =>
      runCases(
        items,
        { concurrency: options.concurrency, label, progress: options.progress ?? true },
        work,
      ),
  };
  return (kinds[suite.kind] as (context: unknown) => Promise<KindResult>)(context);
}

async function runVariant(
  services: ServiceSource,
  variant: Variant,
  work: () => Promise<KindResult>,
): Promise<KindResult> {
  if (!changesThresholds(variant)) return work();
  const service = await services.get();
  return withThresholds(service.taxonomy, variant, work);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
