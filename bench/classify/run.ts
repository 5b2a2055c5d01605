/**
 * Benchmarks the local text classifier on public data sets and prints its figures.
 *
 *   npx tsx bench/classify/run.ts clinc150     train on train, measure on val (label `oos`)
 *   npx tsx bench/classify/run.ts banking77    5-fold cross-validation on train
 *   npx tsx bench/classify/run.ts smp2017      5-fold cross-validation on train (Chinese)
 *   npx tsx bench/classify/run.ts eprstmt      train_few_all -> dev_few_all (Chinese sentiment)
 *   npx tsx bench/classify/run.ts all
 *
 * Options: --folds N (outer cross-validation, default 5), --limit N (first N examples, for a
 * quick run), --seed N, --options '<JSON TextClassifierOptions>', e.g. '{"bayesWeight":0}'.
 */
import { stratifiedFolds } from '../../src/models/local/cross-validation.js';
import {
  trainTextClassifier,
  type TextClassifierOptions,
  type TrainingExample,
} from '../../src/models/local/text-classifier.js';
import { readLabelledTexts } from '../datasets.js';
import { evaluate } from './evaluate.js';
import { printCrossValidation, printFold, printHoldOut, type Run } from './print.js';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const seed = Number(argument('seed') ?? 1);
const limit = Number(argument('limit') ?? Infinity);
const outerFolds = Number(argument('folds') ?? 5);
const extraOptions = JSON.parse(argument('options') ?? '{}') as TextClassifierOptions;

async function trainAndEvaluate(
  train: TrainingExample[],
  test: TrainingExample[],
  options: TextClassifierOptions,
): Promise<Run> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const classifier = trainTextClassifier(train, { seed, ...options, ...extraOptions });
  const trainingSeconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const evaluation = await evaluate(classifier, test);
  return {
    evaluation,
    trainingSeconds,
    trainingCpuSeconds: (used.user + used.system) / 1e6,
    report: classifier.training,
  };
}

async function holdOut(
  name: string,
  paths: { train: string; test: string },
  options: TextClassifierOptions = {},
): Promise<void> {
  const train = readLabelledTexts(paths.train);
  const test = readLabelledTexts(paths.test);
  if (!train || !test) return;
  printHoldOut(name, await trainAndEvaluate(train.slice(0, limit), test.slice(0, limit), options));
}

async function crossValidate(name: string, path: string): Promise<void> {
  const data = readLabelledTexts(path)?.slice(0, limit);
  if (!data) return;
  const labels = [...new Set(data.map((example) => example.label))];
  const targets = Int32Array.from(data, (example) => labels.indexOf(example.label));
  // A different seed from the classifier's own inner folds.
  const assignment = stratifiedFolds(targets, outerFolds, seed + 1000);
  const runs: Run[] = [];
  for (let fold = 0; fold < outerFolds; fold++) {
    const train = data.filter((_, index) => assignment[index] !== fold);
    const test = data.filter((_, index) => assignment[index] === fold);
    const run = await trainAndEvaluate(train, test, {});
    printFold(fold, outerFolds, run);
    runs.push(run);
  }
  printCrossValidation(name, data.length, runs);
}

const benchmarks: Record<string, () => Promise<void>> = {
  clinc150: () =>
    holdOut(
      'CLINC150 (train -> val)',
      { train: 'clinc150/train.jsonl', test: 'clinc150/val.jsonl' },
      { outOfScopeLabel: 'oos' },
    ),
  banking77: () => crossValidate('BANKING77', 'banking77/train.jsonl'),
  smp2017: () => crossValidate('SMP2017', 'smp2017/train.jsonl'),
  eprstmt: () =>
    holdOut('EPRSTMT (train_few_all -> dev_few_all)', {
      train: 'eprstmt/train_few_all.jsonl',
      test: 'eprstmt/dev_few_all.jsonl',
    }),
};

const requested = process.argv[2] ?? 'all';
const names = requested === 'all' ? Object.keys(benchmarks) : [requested];
for (const name of names) {
  const benchmark = benchmarks[name];
  if (!benchmark) {
    const known = Object.keys(benchmarks).join(', ');
    console.error(`Unknown benchmark "${name}": use one of ${known}, all.`);
    process.exit(1);
  }
  await benchmark();
}
