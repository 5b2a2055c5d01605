import { describe, expect, it } from 'vitest';
import { detectSignals } from './signals.js';
import { type UrgencyInput, scoreUrgency } from './urgency.js';

const base: UrgencyInput = {
  category: 'logistics',
  autoReplyMode: 'always',
  intent: 'question',
  sentiment: { label: 'neutral', confidence: 0.8 },
  signals: [],
  waitDays: 0,
  amounts: [],
  flags: [],
};

describe('scoreUrgency', () => {
  it('a routine question is low', () => {
    const urgency = scoreUrgency(base);
    expect(urgency.level).toBe('low');
    expect(urgency.score).toBeLessThan(30);
  });

  it('a request in a questions-only category is normal', () => {
    expect(
      scoreUrgency({
        ...base,
        category: 'return_exchange',
        autoReplyMode: 'questions',
        intent: 'request',
      }).level,
    ).toBe('normal');
  });

  it('a complaint, a long wait, a big sum or anger is high, with the reason', () => {
    expect(scoreUrgency({ ...base, category: 'complaint', autoReplyMode: 'never' }).level).toBe(
      'high',
    );
    const wait = scoreUrgency({ ...base, waitDays: 9 });
    expect(wait.level).toBe('high');
    expect(wait.reasons.join()).toMatch(/9 days/);
    expect(scoreUrgency({ ...base, amounts: [{ value: 12999, currency: 'CNY' }] }).level).toBe(
      'high',
    );
    expect(scoreUrgency({ ...base, signals: detectSignals('你们这什么垃圾服务') }).level).toBe(
      'high',
    );
  });

  it('a threat or hazard is critical whatever the category, and outranks a plain complaint', () => {
    const threat = scoreUrgency({
      ...base,
      category: 'feedback',
      signals: detectSignals('不退款我就去12315投诉'),
    });
    expect(threat.level).toBe('critical');
    expect(threat.reasons[0]).toMatch(/regulator threat/);
    const complaint = scoreUrgency({ ...base, category: 'complaint', autoReplyMode: 'never' });
    expect(threat.score).toBeGreaterThan(complaint.score);
  });

  it('more signals in one tier rank higher, within the tier band', () => {
    const one = scoreUrgency({ ...base, category: 'complaint', autoReplyMode: 'never' });
    const three = scoreUrgency({
      ...base,
      category: 'complaint',
      autoReplyMode: 'never',
      waitDays: 10,
      signals: detectSignals('第三次问了'),
    });
    expect(three.score).toBeGreaterThan(one.score);
    expect(three.score).toBeLessThanOrEqual(84);
  });
});

describe('typed urgency reasons', () => {
  it('gives each reason as a code with parameters beside the same English sentence', () => {
    const urgency = scoreUrgency({ ...base, signals: detectSignals('你们这什么垃圾服务') });
    const anger = urgency.details.find(
      (detail) => detail.code === 'signal' && detail.params.kind === 'anger',
    );
    expect(anger?.params.evidence).toMatch(/垃圾/);
    expect(urgency.reasons[urgency.details.indexOf(anger!)]).toBe(
      `anger: "${anger!.params.evidence}"`,
    );
    expect(urgency.details).toHaveLength(urgency.reasons.length);
  });
});
