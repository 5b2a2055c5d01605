/**
 * A small but complete report for report tests: a triage suite with a confusion matrix,
 * an auto-reply sweep, three variants (one with changed cases) and an import warning.
 * The sweep is computed, not typed in, so the charts draw what a run would give.
 */
import type { CaseResult, EvalReport, SuiteResult, SweepPoint, VariantRun } from '../report.js';

const labels = ['logistics', 'refund', 'return_exchange', 'complaint', '(out of scope)'];
const matrix = [
  [18, 1, 0, 1, 0],
  [0, 14, 2, 0, 0],
  [1, 1, 15, 0, 1],
  [0, 0, 0, 12, 0],
  [0, 0, 1, 0, 5],
];

/** Precision rises and coverage falls as the threshold rises, shifted by `offset`. */
function sweep(offset: number): SweepPoint[] {
  return Array.from({ length: 17 }, (_, index) => {
    const threshold = Math.round((0.1 + index * 0.05) * 100) / 100;
    const coverage = Math.max(0, Math.min(1, 0.95 - threshold * 0.9 + offset));
    const precision = Math.min(1, 0.7 + threshold * 0.35 - offset / 2);
    return {
      threshold,
      autoReplyPrecision: coverage > 0 ? precision : null,
      autoReplyCoverage: coverage,
      autoReplies: Math.round(coverage * 40),
    };
  });
}

const triageCase = (
  id: string,
  text: string,
  pass: boolean,
  action: string,
  citations: string[],
): CaseResult => ({
  id,
  text,
  pass,
  expected: { action: 'auto_reply' },
  actual: { category: 'logistics', action, urgency: 'low', citations },
  failures: pass ? [] : [`${action} instead of auto_reply`],
});

const cases = [
  triageCase('t001', '亲 我昨天下的单 今天能发货吗', true, 'auto_reply', ['shipping_time']),
  triageCase('t002', 'where is my parcel <ZT1400> pls', true, 'auto_reply', ['tracking_howto']),
  triageCase('t003', '快递三天没动了 怎么回事', false, 'handoff', []),
];
const metrics = (precision: number, coverage: number) => ({
  categoryAccuracy: 0.85,
  autoReplyPrecision: precision,
  autoReplyCoverage: coverage,
  handoffRecall: 0.97,
  urgencyAccuracy: 0.9,
  criticalRecall: 1,
  latencyP50Ms: 21.4,
});

const run = (
  name: string,
  overrides: Record<string, unknown>,
  precision: number,
  coverage: number,
  extra: Partial<VariantRun> = {},
): VariantRun => ({
  name,
  overrides,
  pass: precision >= 0.86,
  metrics: metrics(precision, coverage),
  thresholds: [
    {
      metric: 'autoReplyPrecision',
      op: '>=',
      value: 0.86,
      actual: precision,
      pass: precision >= 0.86,
    },
  ],
  caseCount: 3,
  durationMs: 900,
  notes: [],
  sweep: { points: sweep(name === 'strict' ? -0.1 : 0), replayAgreement: 1 },
  deltas: {},
  newlyFailing: [],
  newlyPassing: [],
  changedCases: [],
  ...extra,
});

export function sampleSuite(): SuiteResult {
  const reference = run('configured', {}, 0.9, 0.6);
  const strict = run('strict', { retrievalThreshold: 0.7 }, 0.95, 0.45, {
    deltas: {
      autoReplyPrecision: 0.05,
      autoReplyCoverage: -0.15,
      categoryAccuracy: 0,
      latencyP50Ms: 0.4,
    },
    newlyFailing: ['t002'],
    changedCases: [
      {
        id: 't002',
        text: 'where is my parcel <ZT1400> pls',
        reference: { pass: true, outcome: 'logistics · auto_reply · low · cites tracking_howto' },
        variant: {
          pass: false,
          outcome: 'logistics · handoff · low · cites nothing',
          failures: ['handoff instead of auto_reply'],
        },
      },
    ],
    cases: [
      cases[0]!,
      {
        ...cases[1]!,
        pass: false,
        actual: { ...cases[1]!.actual, action: 'handoff', citations: [] },
      },
      cases[2]!,
    ],
  });
  const broken = run('gpt', { provider: 'openai' }, 0, 0, {
    error: 'MODEL_PROVIDER=openai needs OPENAI_API_KEY',
    metrics: {},
    thresholds: [],
    pass: false,
  });
  delete (broken as Partial<VariantRun>).sweep;
  return {
    name: 'triage',
    kind: 'triage',
    file: 'evals/triage.yaml',
    description: 'End to end on hand-written after-sales messages.',
    pass: true,
    metrics: {
      ...metrics(0.9, 0.6),
      confusion: { labels, matrix },
      perLabel: { logistics: { precision: 0.95, recall: 0.9, f1: 0.92, support: 20 } },
    },
    thresholds: reference.thresholds,
    cases,
    caseCount: 3,
    totalCases: 336,
    durationMs: 2700,
    notes: ['provider local'],
    sweep: reference.sweep!,
    warnings: [
      'promptfooconfig.yaml: 2 promptfoo assertions not imported (no equivalent here): llm-rubric ×2 (tests 3, 5)',
    ],
    variants: { reference: 'configured', runs: [reference, strict, broken] },
  };
}

export function sampleReport(): EvalReport {
  return {
    version: 1,
    provider: 'local',
    startedAt: '2026-03-01T00:00:00.000Z',
    finishedAt: '2026-03-01T00:00:03.000Z',
    durationMs: 3000,
    pass: true,
    concurrency: 1,
    environment: { node: 'v20', platform: 'linux-x64' },
    suites: [sampleSuite()],
  };
}
