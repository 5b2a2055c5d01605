import { describe, expect, it } from 'vitest';
import { draftReply } from './draft.js';

const entities = {
  orderNumbers: ['2024112312345678'],
  trackingNumbers: [{ number: 'SF1234567890', carrier: 'sf-express' }],
  amounts: [],
};
const none = { orderNumbers: [], trackingNumbers: [], amounts: [] };
const grounding = {
  id: 'delayed_parcel',
  title: '快递延误怎么办',
  answer:
    '请在**订单详情**查看物流，或拨打 [客服热线](tel:400-000-1234)。\n\n- 第一步：刷新\n- 第二步：联系快递',
};

describe('draftReply', () => {
  it('answers in Chinese from the entry, naming the order and parcel, citing the entry, as plain text', () => {
    const draft = draftReply({
      language: 'zh',
      action: 'auto_reply',
      entities,
      grounding,
      apologise: false,
    });
    expect(draft.text).toContain('2024112312345678');
    expect(draft.text).toContain('SF1234567890');
    expect(draft.text).toContain('请在订单详情查看物流，或拨打 客服热线 (tel:400-000-1234)。');
    expect(draft.text).toContain('- 第一步：刷新\n- 第二步：联系快递');
    expect(draft.text).not.toContain('**');
    expect(draft.citations).toEqual(['delayed_parcel']);
    expect(draft.kind).toBe('answer');
  });

  it('drafts a hand-off as the answer an agent would send: the entry applied, no holding message, no heading, no promised time', () => {
    const draft = draftReply({
      language: 'zh',
      action: 'handoff',
      entities,
      grounding,
      apologise: true,
    });
    expect(draft.text).toMatch(/^您好，非常抱歉给您带来不便。关于您的订单 2024112312345678/);
    expect(draft.text).toContain('请在订单详情查看物流');
    expect(draft.text).toMatch(/如还有其他问题，随时告诉我们。$/);
    expect(draft.text).not.toMatch(/已收到您的消息|分钟|相关说明|快递延误怎么办|\*\*/);
    expect(draft.citations).toEqual(['delayed_parcel']);
    expect(draft.kind).toBe('handoff_draft');
  });

  it('writes an English hand-off draft without an entry that neither stalls with a time nor invents facts', () => {
    const draft = draftReply({
      language: 'en',
      action: 'handoff',
      entities: none,
      grounding: null,
      apologise: true,
    });
    expect(draft.text).toMatch(/sorry/);
    expect(draft.text).not.toMatch(/within|minutes|hour|[¥$]\s?\d|refund of|compensat/i);
    expect(draft.text).toMatch(/order number/);
    expect(draft.citations).toEqual([]);
    expect(draft.kind).toBe('handoff_draft');
  });

  it('gives an attack a polite refusal and an off-topic message a question, quoting no entry', () => {
    const attack = draftReply({
      language: 'zh',
      action: 'handoff',
      entities: none,
      grounding,
      neutral: 'prompt_injection',
      apologise: false,
    });
    expect(attack.text).toContain('无法处理');
    expect(attack.text).not.toContain('订单详情');
    expect(attack.citations).toEqual([]);
    const offTopic = draftReply({
      language: 'en',
      action: 'handoff',
      entities: none,
      grounding,
      neutral: 'out_of_scope',
      apologise: false,
    });
    expect(offTopic.text).toMatch(/How can we help/);
    expect(offTopic.citations).toEqual([]);
  });

  it('falls back to English for languages it has no template for', () => {
    expect(
      draftReply({ language: 'ja', action: 'handoff', entities, grounding: null, apologise: false })
        .language,
    ).toBe('en');
  });
});
