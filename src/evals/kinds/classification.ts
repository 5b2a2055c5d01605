/**
 * Classification suites: a classifier trained on the suite's `train` file (any public
 * intent set), or without `train` the product's own category classifier through the
 * triage pipeline. With `outOfScopeLabel`, abstaining counts as predicting that label.
 */
import { trainTextClassifier } from '../../models/local/text-classifier.js';
import type { Classifier } from '../../models/ports.js';
import { classificationMetrics, costMetrics, measured, outOfScopeMetrics } from '../metrics.js';
import type { Metrics } from '../report/report.js';
import { timed } from '../run-cases.js';
import { NO_CATEGORY } from '../triage-metrics.js';
import type { KindContext, KindResult } from './kind.js';

export async function runClassificationSuite(
  context: KindContext<'classification'>,
): Promise<KindResult> {
  const { suite, data } = context;
  const notes: string[] = [];
  const abstain = suite.outOfScopeLabel ?? NO_CATEGORY;
  let predict: (text: string) => Promise<{ label: string; confidence: number; tokens?: number }>;

  if (data.train) {
    const training = await timed(() =>
      trainTextClassifier(data.train!, { outOfScopeLabel: suite.outOfScopeLabel, seed: 1 }),
    );
    const classifier = training.value;
    // Without an out-of-scope label every case has a label: never abstain.
    if (!suite.outOfScopeLabel) classifier.outOfScopeThreshold = 0;
    notes.push(
      `${classifier.name} trained on ${data.train.length} examples, ${classifier.labels.length} labels in ${(training.ms / 1000).toFixed(1)} s` +
        (suite.outOfScopeLabel
          ? `; out-of-scope threshold ${classifier.outOfScopeThreshold.toFixed(3)} (chosen on training folds)`
          : ''),
    );
    predict = labelOf(classifier, abstain);
  } else {
    const service = await context.services.get();
    notes.push(
      `the product's category classifier (${service.triage.describe().name}) through the triage pipeline`,
    );
    predict = async (text) => {
      const result = await service.triage.triage({ text });
      return { label: result.category ?? abstain, confidence: result.confidence };
    };
  }

  const cases = await context.runCases(data.cases, async (item) => {
    const { value, ms } = await timed(() => predict(item.text));
    const pass = value.label === item.label;
    return {
      id: item.id,
      text: item.text,
      pass,
      expected: { label: item.label },
      actual: { label: value.label, confidence: Math.round(value.confidence * 1000) / 1000 },
      failures: pass ? [] : [`${value.label} instead of ${item.label}`],
      latencyMs: ms,
    };
  });
  const predictions = cases.map((c) => ({
    expected: c.expected.label as string,
    predicted: c.actual.label as string,
  }));
  const metrics: Metrics = {
    ...classificationMetrics(predictions),
    ...(suite.outOfScopeLabel
      ? measured(outOfScopeMetrics(predictions, suite.outOfScopeLabel))
      : {}),
    ...measured(costMetrics(cases)),
  };
  return { metrics, cases, notes };
}

function labelOf(classifier: Classifier, abstain: string) {
  return async (text: string) => {
    const result = await classifier.classify(text);
    return { label: result.outOfScope ? abstain : result.label!, confidence: result.confidence };
  };
}
