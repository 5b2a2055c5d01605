/**
 * Benchmarks the local text classifier on public data sets and prints its figures.
 *
 *   npx tsx bench/classify/run.ts clinc150     train on train, measure on val (with `oos`)
 *   npx tsx bench/classify/run.ts banking77    5-fold cross-validation on train
 *   npx tsx bench/classify/run.ts smp2017      5-fold cross-validation on train (Chinese)
 *   npx tsx bench/classify/run.ts eprstmt      train_few_all -> dev_few_all (Chinese sentiment)
 *   npx tsx bench/classify/run.ts all
 *
 * Options: --folds N (outer cross-validation), --limit N (first N examples, for a quick run),
 * --seed N, --options '<JSON TextClassifierOptions>' (e.g. '{"features":{"wordWeight":1.5}}').
 */
import { stratifiedFolds } from '../../src/models/local/cross-validation.js';
import {
  trainTextClassifier,
  type TextClassifierOptions,
  type TrainingExample,
} from '../../src/models/local/text-classifier.js';
import { readLabelledTexts } from '../datasets.js';
import { evaluate, type Evaluation } from './evaluate.js';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const seed = flag('seed', 1);
const optionsIndex = process.argv.indexOf('--options');
const extraOptions = (optionsIndex >= 0 ? JSON.parse(process.argv[optionsIndex + 1]!) : {}) as TextClassifierOptions;
const limit = flag('limit', Infinity);

interface Run {
  evaluation: Evaluation;
  trainingSeconds: number;
  trainingCpuSeconds: number;
  report: ReturnType<typeof trainTextClassifier>['training'];
}

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
  const trainingCpuSeconds = (used.user + used.system) / 1e6;
  const evaluation = await evaluate(classifier, test);
  return { evaluation, trainingSeconds, trainingCpuSeconds, report: classifier.training };
}

function percent(value: number): string {
  return Number.isNaN(value) ? '-' : `${(100 * value).toFixed(2)} %`;
}

function printRun(name: string, run: Run): void {
  const { evaluation, report } = run;
  console.log(`${name}: ${evaluation.examples} test messages`);
  console.log(`  accuracy (top label)         ${percent(evaluation.accuracy)}`);
  if (!Number.isNaN(evaluation.outOfScopeRecall)) {
    console.log(`  in-scope accuracy            ${percent(evaluation.inScopeAccuracy)}`);
    console.log(`  out-of-scope recall          ${percent(evaluation.outOfScopeRecall)}`);
    // For reading only: the threshold above was chosen on the training folds, not here.
    console.log('  other thresholds (not used to choose anything):');
    for (const point of evaluation.sweep) {
      console.log(
        `    ${point.threshold.toFixed(2)}: in-scope ${percent(point.inScopeAccuracy)}, out-of-scope recall ${percent(point.outOfScopeRecall)}`,
      );
    }
  }
  console.log(`  ECE (test)                   ${evaluation.calibrationError.toFixed(4)}`);
  console.log(
    `  training CV: accuracy ${percent(report.crossValidatedAccuracy)}, temperature ${report.temperature.toFixed(3)}, ` +
      `ECE ${report.calibrationErrorBefore.toFixed(4)} -> ${report.calibrationErrorAfter.toFixed(4)}`,
  );
  console.log(
    `  threshold ${report.threshold.threshold.toFixed(4)} (on the folds: in-scope ${percent(report.threshold.inScopeAccuracy)}, ` +
      `hand-off recall ${percent(report.threshold.handOffRecall)})`,
  );
  console.log(
    `  training ${run.trainingSeconds.toFixed(1)} s wall, ${run.trainingCpuSeconds.toFixed(1)} s CPU (${report.examples} examples); ` +
      `classification ${Math.round(evaluation.messagesPerSecond)} messages/s`,
  );
}

async function holdOut(name: string, trainPath: string, testPath: string, options: TextClassifierOptions) {
  const train = readLabelledTexts(trainPath);
  const test = readLabelledTexts(testPath);
  if (!train || !test) return;
  printRun(name, await trainAndEvaluate(train.slice(0, limit), test.slice(0, limit), options));
}

async function crossValidate(name: string, path: string, options: TextClassifierOptions) {
  const data = readLabelledTexts(path)?.slice(0, limit);
  if (!data) return;
  const folds = flag('folds', 5);
  const labels = [...new Set(data.map((example) => example.label))];
  const targets = Int32Array.from(data, (example) => labels.indexOf(example.label));
  const assignment = stratifiedFolds(targets, folds, seed + 1000);
  const runs: Run[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const train = data.filter((_, index) => assignment[index] !== fold);
    const test = data.filter((_, index) => assignment[index] === fold);
    const run = await trainAndEvaluate(train, test, options);
    console.log(`  fold ${fold + 1}/${folds}: accuracy ${percent(run.evaluation.accuracy)}`);
    runs.push(run);
  }
  const mean = (pick: (run: Run) => number) => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  const correct = runs.reduce((sum, run) => sum + run.evaluation.accuracy * run.evaluation.examples, 0);
  console.log(`${name}: ${folds}-fold cross-validation over ${data.length} messages`);
  console.log(`  accuracy                     ${percent(correct / data.length)}`);
  console.log(`  ECE (held-out folds, mean)   ${mean((run) => run.evaluation.calibrationError).toFixed(4)}`);
  console.log(
    `  training ${mean((run) => run.trainingSeconds).toFixed(1)} s wall, ${mean((run) => run.trainingCpuSeconds).toFixed(1)} s CPU per fold; ` +
      `classification ${Math.round(mean((run) => run.evaluation.messagesPerSecond))} messages/s`,
  );
}

const benchmarks: Record<string, () => Promise<void>> = {
  clinc150: () =>
    holdOut('CLINC150 (train -> val)', 'clinc150/train.jsonl', 'clinc150/val.jsonl', {
      outOfScopeLabel: 'oos',
    }),
  banking77: () => crossValidate('BANKING77', 'banking77/train.jsonl', {}),
  smp2017: () => crossValidate('SMP2017', 'smp2017/train.jsonl', {}),
  eprstmt: () =>
    holdOut('EPRSTMT (train_few_all -> dev_few_all)', 'eprstmt/train_few_all.jsonl', 'eprstmt/dev_few_all.jsonl', {}),
};

const requested = process.argv[2] ?? 'all';
const names = requested === 'all' ? Object.keys(benchmarks) : [requested];
for (const name of names) {
  const benchmark = benchmarks[name];
  if (!benchmark) {
    console.error(`Unknown benchmark "${name}"; use one of: ${Object.keys(benchmarks).join(', ')}, all.`);
    process.exit(1);
  }
  await benchmark();
}
