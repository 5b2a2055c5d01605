/**
 * Suite thresholds: `accuracy: ">= 0.9"` parsed into an operator and a number, and
 * checked against a run's metrics. A failed threshold makes `triage eval` exit non-zero.
 */
import { z } from 'zod';

export const thresholdOperators = ['>=', '>', '<=', '<', '=='] as const;
export type ThresholdOperator = (typeof thresholdOperators)[number];

export const thresholdSchema = z.object({
  metric: z.string(),
  op: z.enum(thresholdOperators),
  value: z.number(),
});
export type Threshold = z.infer<typeof thresholdSchema>;

export const thresholdCheckSchema = thresholdSchema.extend({
  /** The measured value; null when the run did not measure this metric. */
  actual: z.number().nullable(),
  pass: z.boolean(),
});
export type ThresholdCheck = z.infer<typeof thresholdCheckSchema>;

const PATTERN = /^\s*(>=|<=|==|=|>|<)?\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*(%?)\s*$/;

/** `">= 0.9"`, `"> 0.5"`, `"<= 250"`, `"== 1"`, `"90%"` or a bare number (meaning >=). */
export function parseThreshold(metric: string, expression: string | number): Threshold {
  if (typeof expression === 'number') return { metric, op: '>=', value: expression };
  const match = PATTERN.exec(expression);
  if (!match) {
    throw new Error(
      `"${expression}" is not a threshold; write an operator (>=, >, <=, <, ==) and a number, like ">= 0.9"`,
    );
  }
  const op = (match[1] === '=' ? '==' : (match[1] ?? '>=')) as ThresholdOperator;
  const value = Number(match[2]) / (match[3] === '%' ? 100 : 1);
  return { metric, op, value };
}

/** zod field for a suite's `thresholds:` map; errors name the metric. */
export const thresholdsSchema = z
  .record(z.string().min(1), z.union([z.string(), z.number()]), {
    error: 'must be a map of metric: ">= 0.9"',
  })
  .transform((entries, context) => {
    const thresholds: Threshold[] = [];
    for (const [metric, expression] of Object.entries(entries)) {
      try {
        thresholds.push(parseThreshold(metric, expression));
      } catch (error) {
        context.addIssue({ code: 'custom', path: [metric], message: (error as Error).message });
      }
    }
    return thresholds;
  });

/** Small tolerance so that a metric printed as 0.9 passes ">= 0.9" despite float noise. */
const EPSILON = 1e-9;

export function compare(actual: number, op: ThresholdOperator, value: number): boolean {
  switch (op) {
    case '>=':
      return actual >= value - EPSILON;
    case '>':
      return actual > value;
    case '<=':
      return actual <= value + EPSILON;
    case '<':
      return actual < value;
    case '==':
      return Math.abs(actual - value) <= EPSILON;
  }
}

/** Each threshold with the measured value; an unmeasured metric fails (a gate must not pass silently). */
export function checkThresholds(
  thresholds: Threshold[],
  metrics: Record<string, unknown>,
): ThresholdCheck[] {
  return thresholds.map((threshold) => {
    const measured = metrics[threshold.metric];
    const actual = typeof measured === 'number' && Number.isFinite(measured) ? measured : null;
    return {
      ...threshold,
      actual,
      pass: actual !== null && compare(actual, threshold.op, threshold.value),
    };
  });
}
