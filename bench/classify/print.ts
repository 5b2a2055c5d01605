/** Prints benchmark figures in one layout, so runs can be compared by eye. */
import type { TrainingReport } from '../../src/models/local/text-classifier.js';
import type { Evaluation } from './evaluate.js';

export interface Run {
  evaluation: Evaluation;
  trainingSeconds: number;
  trainingCpuSeconds: number;
  report: TrainingReport;
}

export function percent(value: number): string {
  return Number.isNaN(value) ? '-' : `${(100 * value).toFixed(2)} %`;
}

function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(30)}${value}`);
}

export function printHoldOut(name: string, run: Run): void {
  const { evaluation, report } = run;
  console.log(`${name}: ${evaluation.examples} test messages`);
  line('accuracy (top label)', percent(evaluation.accuracy));
  if (!Number.isNaN(evaluation.outOfScopeRecall)) {
    line('in-scope accuracy', percent(evaluation.inScopeAccuracy));
    line('out-of-scope recall', percent(evaluation.outOfScopeRecall));
    // For reading only: the threshold in use was chosen on the training folds, not here.
    console.log('  at other thresholds (shown, not used to choose anything):');
    for (const point of evaluation.sweep) {
      line(
        `  ${point.threshold.toFixed(2)}`,
        `in-scope ${percent(point.inScopeAccuracy)}, ` +
          `out-of-scope recall ${percent(point.outOfScopeRecall)}`,
      );
    }
  }
  line('ECE (test)', evaluation.calibrationError.toFixed(4));
  printTraining(report);
  line(
    'training time',
    `${run.trainingSeconds.toFixed(1)} s wall, ${run.trainingCpuSeconds.toFixed(1)} s CPU ` +
      `(${report.examples} examples)`,
  );
  line('classification', `${Math.round(evaluation.messagesPerSecond)} messages/s`);
}

export function printCrossValidation(name: string, messages: number, runs: Run[]): void {
  const mean = (pick: (run: Run) => number) =>
    runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  const correct = runs.reduce(
    (sum, run) => sum + run.evaluation.accuracy * run.evaluation.examples,
    0,
  );
  console.log(`${name}: ${runs.length}-fold cross-validation over ${messages} messages`);
  line('accuracy', percent(correct / messages));
  line('ECE (held-out folds, mean)', mean((run) => run.evaluation.calibrationError).toFixed(4));
  line(
    'training time per fold',
    `${mean((run) => run.trainingSeconds).toFixed(1)} s wall, ` +
      `${mean((run) => run.trainingCpuSeconds).toFixed(1)} s CPU`,
  );
  line(
    'classification',
    `${Math.round(mean((run) => run.evaluation.messagesPerSecond))} messages/s`,
  );
}

export function printFold(fold: number, folds: number, run: Run): void {
  line(
    `fold ${fold + 1}/${folds}`,
    `accuracy ${percent(run.evaluation.accuracy)}, temperature ` +
      `${run.report.temperature.toFixed(3)}, ${headWeights(run.report)}`,
  );
}

function headWeights(report: TrainingReport): string {
  return (
    `weights: regression ${report.regressionWeight}, SVM ${report.svmWeight}, ` +
    `naive Bayes ${report.bayesWeight}`
  );
}

function printTraining(report: TrainingReport): void {
  line(
    'training folds (CV on train)',
    `${report.folds} folds, accuracy ${percent(report.crossValidatedAccuracy)}, ` +
      headWeights(report),
  );
  line(
    'calibration (on the folds)',
    `temperature ${report.temperature.toFixed(3)}, ECE ` +
      `${report.calibrationErrorBefore.toFixed(4)} -> ${report.calibrationErrorAfter.toFixed(4)}`,
  );
  line(
    'out-of-scope threshold',
    `${report.threshold.threshold.toFixed(4)} (on the folds: in-scope ` +
      `${percent(report.threshold.inScopeAccuracy)}, ` +
      `hand-off recall ${percent(report.threshold.handOffRecall)})`,
  );
}
