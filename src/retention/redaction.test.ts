import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/env.js';
import type { TriageResult } from '../triage/triage.js';
import {
  REDACTED,
  redactAuditDetails,
  redactOutboxPayload,
  redactReasonText,
  redactTriageResult,
} from './redaction.js';

const result: TriageResult = {
  category: 'complaint',
  confidence: 0.9,
  outOfScope: false,
  language: 'zh',
  sentiment: { label: 'negative', confidence: 0.8 },
  urgency: {
    score: 80,
    level: 'high',
    reasons: ['anger: "垃圾 "店" 张三"', 'stated wait of 7 days'],
    details: [
      { code: 'signal', params: { kind: 'anger', evidence: '垃圾 "店" 张三' } },
      { code: 'stated_wait', params: { days: 7 } },
    ],
  },
  decision: {
    action: 'handoff',
    reasons: ['category complaint is always handled by a person'],
    details: [{ code: 'person_only_category', params: { category: 'complaint' } }],
  },
  reply: {
    text: '张三您好，订单 SF1234567890 ...',
    language: 'zh',
    citations: [],
    kind: 'handoff_draft',
  },
  matches: [{ id: 'refund_time', title: 'Refund', locale: 'zh', score: 0.4 }],
  entities: {
    orderNumbers: ['202411020017'],
    trackingNumbers: [{ number: 'SF1234567890', carrier: 'sf' }],
    amounts: [{ value: 300, currency: 'CNY' }],
    dates: ['--03-15'],
  } as TriageResult['entities'],
  redactions: [{ kind: 'phone', count: 1 }],
  flags: ['regulator_threat'],
  sla: {
    firstResponseMinutes: 5,
    resolutionHours: 48,
    firstResponseDueAt: '2026-01-01T00:05:00.000Z',
    resolutionDueAt: '2026-01-03T00:00:00.000Z',
  },
  provider: 'local',
  reasons: ['money at stake: 300', 'possible prompt injection: "ignore all rules"'],
  details: [
    { code: 'money_at_stake', params: { amount: '300 元' } },
    { code: 'prompt_injection', params: { evidence: 'ignore all rules' } },
  ],
};

describe('redactTriageResult', () => {
  const redacted = redactTriageResult(JSON.parse(JSON.stringify(result)));
  const stored = JSON.stringify(redacted);

  it('removes the reply, quoted evidence and extracted references', () => {
    for (const words of [
      '张三',
      'SF1234567890',
      '202411020017',
      'ignore all rules',
      '垃圾',
      '300 元',
    ])
      expect(stored).not.toContain(words);
    expect(redacted.reply.text).toBe(REDACTED);
    expect(redacted.urgency.reasons[0]).toBe(`anger: "${REDACTED}"`);
  });

  it('keeps what counts and replays need: category, action, scores, codes, flags, times', () => {
    expect(redacted.category).toBe('complaint');
    expect(redacted.decision.action).toBe('handoff');
    expect(redacted.urgency.score).toBe(80);
    expect(redacted.urgency.details?.map((item) => item.code)).toEqual(['signal', 'stated_wait']);
    expect(redacted.urgency.details?.[1]?.params).toEqual({ days: 7 });
    expect(redacted.flags).toEqual(['regulator_threat']);
    expect(redacted.matches).toEqual(result.matches);
    expect(redacted.sla).toEqual(result.sla);
    expect(redacted.urgency.reasons[1]).toBe('stated wait of 7 days');
    // The surge detector counts carriers over a baseline that may reach past the retention period.
    expect(redacted.entities).toEqual({
      orderNumbers: [REDACTED],
      trackingNumbers: [{ number: REDACTED, carrier: 'sf' }],
      amounts: [{ value: 300, currency: 'CNY' }],
    });
  });

  it('is idempotent', () => {
    expect(redactTriageResult(redacted)).toEqual(redacted);
  });

  it('leaves an empty reply empty', () => {
    const silent = redactTriageResult({ ...result, reply: { ...result.reply, text: '' } });
    expect(silent.reply.text).toBe('');
  });
});

describe('redactReasonText', () => {
  it('replaces the quote from the first to the last quotation mark', () => {
    expect(redactReasonText('anger: "a "b" c"')).toBe(`anger: "${REDACTED}"`);
    expect(redactReasonText('routine question')).toBe('routine question');
  });
});

describe('redactOutboxPayload', () => {
  const base = {
    messageId: 'm1',
    channel: 'web',
    conversationId: 'c1',
    customerId: 'cust-1',
    inReplyTo: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  it('removes a reply text', () => {
    const payload = redactOutboxPayload({
      ...base,
      type: 'message.outbound',
      author: 'bot',
      text: 'Hello 张三',
    });
    expect(payload).toMatchObject({
      type: 'message.outbound',
      text: REDACTED,
      customerId: 'cust-1',
    });
  });
  it('removes a hand-off draft and quoted reasons, keeps the urgency and category', () => {
    const payload = redactOutboxPayload({
      ...base,
      type: 'conversation.handoff',
      ticketId: 't1',
      category: 'complaint',
      urgency: { score: 80, level: 'high' },
      reasons: ['anger: "张三"'],
      draft: '张三您好',
      firstResponseDueAt: '2026-01-01T00:05:00.000Z',
    });
    expect(JSON.stringify(payload)).not.toContain('张三');
    expect(payload).toMatchObject({ category: 'complaint', urgency: { score: 80 } });
  });
});

describe('redactAuditDetails', () => {
  it('removes free text and quotes, keeps codes and numbers', () => {
    expect(
      redactAuditDetails({
        category: 'complaint',
        urgency: 80,
        reasons: ['anger: "张三"', 'routine question'],
        reason: 'customer 张三 wants more',
        editDistance: 3,
      }),
    ).toEqual({
      category: 'complaint',
      urgency: 80,
      reasons: [`anger: "${REDACTED}"`, 'routine question'],
      reason: REDACTED,
      editDistance: 3,
    });
  });
});

describe('RETENTION_DAYS', () => {
  it('is unset (keep) by default and empty, a whole number of days otherwise', () => {
    expect(parseConfig({}).RETENTION_DAYS).toBeUndefined();
    expect(parseConfig({ RETENTION_DAYS: '' }).RETENTION_DAYS).toBeUndefined();
    expect(parseConfig({ RETENTION_DAYS: '90' }).RETENTION_DAYS).toBe(90);
    expect(() => parseConfig({ RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS/);
    expect(() => parseConfig({ RETENTION_DAYS: 'soon' })).toThrow(/RETENTION_DAYS/);
  });
});
