import { describe, expect, it } from 'vitest';
import { draftReply } from './draft.js';

const entities = { orderNumbers: ['2024112312345678'], trackingNumbers: [{ number: 'SF1234567890', carrier: 'sf-express' }], amounts: [] };
const grounding = { id: 'delayed_parcel', title: '快递延误怎么办', answer: '请在订单详情查看物流。' };

describe('draftReply', () => {
  it('answers in Chinese from the entry, naming the order and parcel, citing the entry', () => {
    const draft = draftReply({ language: 'zh', action: 'auto_reply', entities, grounding, firstResponseMinutes: 5, apologise: false });
    expect(draft.text).toContain('2024112312345678');
    expect(draft.text).toContain('SF1234567890');
    expect(draft.text).toContain(grounding.answer);
    expect(draft.citations).toEqual(['delayed_parcel']);
    expect(draft.kind).toBe('answer');
  });

  it('writes an English hand-off draft an agent can send, with the SLA promise from the category', () => {
    const draft = draftReply({
      language: 'en',
      action: 'handoff',
      entities: { orderNumbers: [], trackingNumbers: [], amounts: [] },
      grounding: null,
      firstResponseMinutes: 60,
      apologise: true,
    });
    expect(draft.text).toMatch(/sorry/);
    expect(draft.text).toContain('within 1 hour');
    expect(draft.citations).toEqual([]);
    expect(draft.kind).toBe('handoff_draft');
  });

  it('promises no amount or date that is not in the entry', () => {
    const draft = draftReply({ language: 'en', action: 'handoff', entities, grounding: null, firstResponseMinutes: 5, apologise: true });
    expect(draft.text).not.toMatch(/[¥$]\s?\d|refund of|compensat/i);
  });

  it('falls back to English for languages it has no template for', () => {
    expect(draftReply({ language: 'ja', action: 'handoff', entities, grounding: null, firstResponseMinutes: 5, apologise: false }).language).toBe('en');
  });
});
