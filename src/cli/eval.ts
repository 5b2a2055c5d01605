/**
 * `triage eval [suite.yaml ...]`: runs eval suites (every evals/*.yaml by default) and
 * prints a table; writes JSON, HTML and Markdown reports on request; keeps run history;
 * exits 1 when a threshold fails and 2 when a suite cannot run (a CI gate).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { type ModelProvider, parseConfig } from '../config/env.js';
import { datasetsDirectory } from '../evals/data-files.js';
import { recordHistory } from '../evals/history.js';
import { type LlmCache, startLlmCache } from '../evals/llm-cache.js';
import { formatHtml } from '../evals/report/html.js';
import { formatMarkdown } from '../evals/report/markdown.js';
import type { EvalReport, SuiteResult } from '../evals/report/report.js';
import { formatReport } from '../evals/report/terminal.js';
import { listSuiteFiles, runEval } from '../evals/runner.js';
import type { ServiceSource } from '../evals/kinds/kind.js';
import { lazyService } from '../evals/service-source.js';
import { parseVariantArgument, type Variant } from '../evals/variants.js';
import { createLogger, startService } from '../service.js';
import { ingestProgressBar } from './progress.js';

export interface EvalCommandOptions {
  provider?: ModelProvider;
  json?: string;
  html?: string;
  markdown?: string;
  limit?: number;
  concurrency?: number;
  dataDir: string;
  history: boolean;
  historyDir: string;
  cache: boolean;
  cacheDir: string;
  progress: boolean;
  /** `name:key=value,...`, repeated: every suite that uses the service runs once per variant. */
  variant?: string[];
}

const positiveInteger = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('use a whole number of at least 1');
  return number;
};

/** Repeated --variant values, each checked as it is read so that a typo is named before anything starts. */
const collectVariant = (value: string, previous: string[] = []) => {
  try {
    parseVariantArgument(value, process.cwd());
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return [...previous, value];
};

const providerName = (value: string) => {
  if (value !== 'local' && value !== 'openai' && value !== 'cascade')
    throw new InvalidArgumentError('use local, openai or cascade');
  return value;
};

function suiteLine(suite: SuiteResult): string {
  if (suite.skipped) return `${suite.name}: skipped`;
  if (suite.error) return `${suite.name}: error`;
  return `${suite.name}: ${suite.caseCount} cases in ${(suite.durationMs / 1000).toFixed(1)} s, ${suite.pass ? 'pass' : 'FAIL'}`;
}

/** Exit code of a run: 0 pass, 1 a threshold failed, 2 a suite could not run. */
export function exitCodeOf(report: EvalReport): number {
  if (report.suites.some((suite) => suite.error)) return 2;
  return report.pass ? 0 : 1;
}

async function writeReport(path: string, content: string): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  await writeFile(path, content);
}

/** Runs the command; returns the report (the exit code is set on `process.exitCode`). */
export async function evalCommand(
  suiteArguments: string[],
  options: EvalCommandOptions,
  env: Record<string, string | undefined> = process.env,
): Promise<EvalReport> {
  const environment = {
    ...env,
    DATA_DIR: options.dataDir,
    // Evals ingest the knowledge base: never into the server DATABASE_URL points at.
    DATABASE_URL: '',
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    ...(options.provider ? { MODEL_PROVIDER: options.provider } : {}),
  };
  const variants: Variant[] | undefined = options.variant?.map((argument) =>
    parseVariantArgument(argument, process.cwd()),
  );
  if (variants && new Set(variants.map((variant) => variant.name)).size < variants.length)
    throw new InvalidArgumentError('--variant names must be unique');

  // LLM answers are cached by request (prompt, model and input) through a local proxy, one per upstream.
  const caches = new Map<string, Promise<LlmCache>>();
  const configWith = async (extra: Record<string, string>) => {
    const config = parseConfig({ ...environment, ...extra });
    if (config.provider === 'local' || !options.cache) return config;
    const upstream = config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
    if (!caches.has(upstream))
      caches.set(upstream, startLlmCache({ upstream, directory: options.cacheDir }));
    return parseConfig({
      ...environment,
      ...extra,
      OPENAI_BASE_URL: (await caches.get(upstream)!).baseURL,
    });
  };
  const config = await configWith({});

  const suiteFiles = suiteArguments.length
    ? suiteArguments.map((file) => resolve(file))
    : await listSuiteFiles(resolve('evals'));
  const logger = createLogger(config);
  const serviceWith = (extra: Record<string, string>, label: string): ServiceSource =>
    lazyService(async () => {
      const variantConfig = Object.keys(extra).length ? await configWith(extra) : config;
      // A variant's own service never shares the run's data folder: two databases cannot open one folder.
      const started =
        Object.keys(extra).length && !config.dataDir.startsWith('memory://')
          ? { ...variantConfig, dataDir: 'memory://' }
          : variantConfig;
      if (options.progress)
        console.error(`starting the service${label}: database, models, knowledge base…`);
      const progress = options.progress
        ? ingestProgressBar()
        : { update: () => {}, stop: () => {} };
      try {
        return await startService(started, { logger, onIngestProgress: progress.update });
      } finally {
        progress.stop();
      }
    });
  const services = serviceWith({}, '');
  try {
    const report = await runEval({
      suiteFiles,
      provider: config.provider,
      services,
      datasetsDir: datasetsDirectory(config.DATASETS_DIR),
      limit: options.limit,
      concurrency: options.concurrency ?? (config.provider === 'local' ? 1 : 8),
      progress: options.progress,
      // One line per suite on stderr, for logs where no progress bar is drawn (CI).
      onSuite: options.progress ? (suite) => console.error(suiteLine(suite)) : undefined,
      variants,
      servicesFor: (env) =>
        serviceWith(
          env,
          ` with ${Object.entries(env)
            .map(([key, value]) => `${key}=${value}`)
            .join(', ')}`,
        ),
    });
    if (options.history) await recordHistory(report, resolve(options.historyDir));
    if (caches.size) {
      const stats = await Promise.all(
        [...caches.values()].map(async (cache) => (await cache).stats()),
      );
      report.environment.llmCache = {
        hits: stats.reduce((sum, stat) => sum + stat.hits, 0),
        misses: stats.reduce((sum, stat) => sum + stat.misses, 0),
      };
    }
    console.log(formatReport(report));
    if (options.json) await writeReport(options.json, `${JSON.stringify(report, null, 2)}\n`);
    if (options.html) await writeReport(options.html, formatHtml(report));
    if (options.markdown) await writeReport(options.markdown, formatMarkdown(report));
    process.exitCode = exitCodeOf(report);
    return report;
  } finally {
    await services.close();
    for (const cache of caches.values()) await (await cache).close();
  }
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('run eval suites (default: every evals/*.yaml); exits 1 when a threshold fails')
    .argument('[suites...]', 'suite files')
    .option(
      '--provider <provider>',
      'local, openai or cascade (default: MODEL_PROVIDER)',
      providerName,
    )
    .option('--json <file>', 'write the JSON report')
    .option('--html <file>', 'write the HTML report')
    .option('--markdown <file>', 'write a Markdown summary')
    .option('--limit <n>', 'run at most n cases per suite, spread evenly', positiveInteger)
    .option(
      '--concurrency <n>',
      'cases in flight (default 1 local, 8 with an LLM)',
      positiveInteger,
    )
    .option(
      '--data-dir <dir>',
      'database folder for the service (a reused one starts faster)',
      'memory://',
    )
    .option('--no-history', 'do not compare with or append to the run history')
    .option('--history-dir <dir>', 'run history folder', '.eval-history')
    .option('--no-cache', 'do not use or fill the LLM response cache')
    .option('--cache-dir <dir>', 'LLM response cache folder', '.eval-cache/llm')
    .option('--no-progress', 'no progress bars')
    .option(
      '--variant <name:key=value,...>',
      'run suites once per variant, side by side (repeat; the first is the reference): provider, model, prompts, retrievalThreshold, classifierThreshold, categoryThresholds.<category>.retrieval, env.<SETTING>',
      collectVariant,
    )
    .action(async (suites: string[], options: EvalCommandOptions) => {
      await evalCommand(suites, options);
    });
}
