import { describe, expect, it } from 'vitest';
import { parseTaxonomy } from '../triage/taxonomy.js';
import type { TriageResult } from '../triage/triage.js';
import { recordedDecisionInput, type SweepCase, sweepAutoReplyThreshold } from './sweep.js';

const taxonomy = parseTaxonomy(`
version: 1
defaults: { thresholds: { classifier: 0.5, retrieval: 0.5 }, autoReplyMaxUrgency: low }
categories:
  - key: logistics
    name: { en: Logistics }
    description: { en: Where a parcel is }
    autoReply: always
    sla: { firstResponseMinutes: 10, resolutionHours: 24 }
    examples: { questions: [where is it, how long], requests: [] }
  - key: refund
    name: { en: Refund }
    description: { en: Money back }
    autoReply: questions
    sla: { firstResponseMinutes: 10, resolutionHours: 24 }
    examples: { questions: [how long do refunds take], requests: [refund me] }
`);

/** The fields of a triage result the sweep reads. */
function result(fields: {
  category: string | null;
  match?: { id: string; score: number };
  reasons?: string[];
  citations?: string[];
  urgency?: 'low' | 'normal';
}): TriageResult {
  return {
    category: fields.category,
    confidence: 0.9,
    urgency: { score: 10, level: fields.urgency ?? 'low', reasons: [] },
    decision: { action: 'handoff', reasons: fields.reasons ?? [] },
    reply: { text: '', language: 'en', citations: fields.citations ?? [], kind: 'handoff_draft' },
    matches: fields.match ? [{ ...fields.match, title: fields.match.id, locale: 'en' }] : [],
    flags: [],
  } as unknown as TriageResult;
}

describe('recordedDecisionInput', () => {
  it('rebuilds the decision input from the result, the taxonomy and the entry flags', () => {
    const input = recordedDecisionInput(
      result({
        category: 'refund',
        match: { id: 'refund_timeline', score: 0.7 },
        reasons: ['a request, not a policy question: refund requests need a person'],
      }),
      taxonomy,
      () => true,
    );
    expect(input).toMatchObject({
      category: 'refund',
      autoReplyMode: 'questions',
      intent: { label: 'request' },
      bestMatch: { id: 'refund_timeline', score: 0.7, autoReply: true },
      thresholds: { classifier: 0.5, retrieval: 0.5 },
      maxUrgency: 'low',
    });
  });

  it('grounds in the match the reply cites (an LLM answer) before the best one', () => {
    const recorded = result({ category: 'logistics', citations: ['lost_parcel'] });
    (recorded.matches as unknown[]).push(
      { id: 'delayed_parcel', score: 0.8, locale: 'en', title: '' },
      { id: 'lost_parcel', score: 0.6, locale: 'en', title: '' },
    );
    expect(recordedDecisionInput(recorded, taxonomy, () => false).bestMatch).toEqual({
      id: 'lost_parcel',
      score: 0.6,
      autoReply: false,
    });
  });
});

describe('sweepAutoReplyThreshold', () => {
  const make = (
    id: string,
    score: number,
    expected: SweepCase['expected'],
    recordedAction: 'auto_reply' | 'handoff',
  ): SweepCase => ({
    expected,
    input: recordedDecisionInput(
      result({ category: 'logistics', match: { id, score } }),
      taxonomy,
      () => true,
    ),
    recordedAction,
  });
  const cases = [
    make('e1', 0.8, { action: 'auto_reply', entry: 'e1' }, 'auto_reply'),
    make('e2', 0.6, { action: 'auto_reply', entry: 'e2' }, 'auto_reply'),
    make('e3', 0.3, { action: 'handoff', entry: null }, 'handoff'),
  ];

  it('re-decides each case at each threshold: precision rises, coverage falls', () => {
    const { points } = sweepAutoReplyThreshold(cases, [0.25, 0.5, 0.7, 0.9]);
    expect(points).toEqual([
      { threshold: 0.25, autoReplyPrecision: 2 / 3, autoReplyCoverage: 1, autoReplies: 3 },
      { threshold: 0.5, autoReplyPrecision: 1, autoReplyCoverage: 1, autoReplies: 2 },
      { threshold: 0.7, autoReplyPrecision: 1, autoReplyCoverage: 0.5, autoReplies: 1 },
      { threshold: 0.9, autoReplyPrecision: null, autoReplyCoverage: 0, autoReplies: 0 },
    ]);
  });

  it('says how often the re-decision reproduces the recorded decisions', () => {
    expect(sweepAutoReplyThreshold(cases).replayAgreement).toBe(1);
    const disagreeing = [
      ...cases.slice(0, 2),
      { ...cases[2]!, recordedAction: 'auto_reply' as const },
    ];
    expect(sweepAutoReplyThreshold(disagreeing).replayAgreement).toBeCloseTo(2 / 3, 10);
  });
});

describe('recorded decision input', () => {
  it('replays the decision from what the engine recorded, not from reason text', () => {
    const recorded = {
      ...result({ category: 'refund', match: { id: 'refund_timeline', score: 0.9 }, reasons: [] }),
      decisionInput: {
        category: 'refund',
        outOfScope: false,
        autoReplyMode: 'questions' as const,
        acknowledges: false,
        classifierConfidence: 0.9,
        intent: { label: 'request' as const, confidence: 0.8 },
        bestMatch: { id: 'refund_timeline', score: 0.9, autoReply: true },
        thresholds: { classifier: 0.5, retrieval: 0.5 },
        urgency: 'low' as const,
        maxUrgency: 'low' as const,
        flags: [],
      },
    };
    const input = recordedDecisionInput(recorded, taxonomy, () => true);
    expect(input.intent.label).toBe('request');
    const cases: SweepCase[] = [
      {
        expected: { category: 'refund', action: 'handoff', urgency: 'low', entry: null },
        input,
        recordedAction: 'handoff',
      },
    ];
    expect(sweepAutoReplyThreshold(cases).replayAgreement).toBe(1);
  });
});
