import { describe, expect, it } from 'vitest';
import { checkThresholds, parseThreshold, thresholdsSchema } from './thresholds.js';

describe('parseThreshold', () => {
  it('reads an operator and a number', () => {
    expect(parseThreshold('accuracy', '>= 0.9')).toEqual({
      metric: 'accuracy',
      op: '>=',
      value: 0.9,
    });
    expect(parseThreshold('latencyP95Ms', '<250')).toEqual({
      metric: 'latencyP95Ms',
      op: '<',
      value: 250,
    });
    expect(parseThreshold('leakRate', '= 0')).toEqual({ metric: 'leakRate', op: '==', value: 0 });
    expect(parseThreshold('recall', '> .5')).toEqual({ metric: 'recall', op: '>', value: 0.5 });
  });

  it('takes a bare number or a percentage as a minimum', () => {
    expect(parseThreshold('accuracy', 0.8)).toEqual({ metric: 'accuracy', op: '>=', value: 0.8 });
    expect(parseThreshold('accuracy', '85%')).toEqual({
      metric: 'accuracy',
      op: '>=',
      value: 0.85,
    });
  });

  it('refuses anything else, saying what to write', () => {
    expect(() => parseThreshold('accuracy', 'at least 0.9')).toThrow(
      /operator .* and a number, like ">= 0.9"/,
    );
    expect(() => parseThreshold('accuracy', '>= ')).toThrow();
  });

  it('names the metric of a bad threshold in a suite file', () => {
    const parsed = thresholdsSchema.safeParse({ accuracy: '>= 0.9', macroF1: 'high' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['macroF1']);
  });
});

describe('checkThresholds', () => {
  it('passes and fails by operator, tolerating float noise at the boundary', () => {
    const checks = checkThresholds(
      [
        parseThreshold('accuracy', '>= 0.9'),
        parseThreshold('leakRate', '== 0'),
        parseThreshold('map', '> 0.5'),
      ],
      { accuracy: 0.1 + 0.8, leakRate: 0.02, map: 0.5 },
    );
    expect(checks.map((check) => check.pass)).toEqual([true, false, false]);
    expect(checks[1]!.actual).toBe(0.02);
  });

  it('fails a threshold on a metric the run did not measure', () => {
    const [check] = checkThresholds([parseThreshold('oosRecall', '>= 0.5')], { accuracy: 1 });
    expect(check).toMatchObject({ actual: null, pass: false });
  });
});
