import { describe, expect, it } from 'vitest';
import { type AnswerabilityFile, trainAnswerabilityModel } from './answerability.js';

// A small knowledge base of our own: two entries and what neither answers.
const questions = [
  ...[
    'how long does a refund take',
    'when will my refund arrive',
    'refund still not in my account, how many days',
    '退款多久到账',
    '退款几天能到',
  ].map((question) => ({ entryId: 'refund_timeline', question })),
  ...[
    'how do I track my parcel',
    'where can I see the tracking number',
    'how to check delivery status',
    '怎么查物流',
    '快递单号在哪看',
  ].map((question) => ({ entryId: 'tracking_howto', question })),
];
const file: AnswerabilityFile = {
  version: 1,
  unanswered: {
    refund_timeline: {
      zh: ['退款能不能退到别的卡上', '退款金额少了二十块'],
      en: ['can the refund go to a different card', 'my refund is 20 short'],
    },
  },
  person_action: {
    zh: ['帮我催一下订单 2025010112345678 发货', '订单 88776655 的物流三天没动了 帮我查查'],
    en: [
      'please chase order 55443322, it has not shipped',
      'look into tracking SF1234567890 for me, stuck for days',
    ],
  },
  money_dispute: {
    zh: ['同一笔订单扣了我两次钱'],
    en: ['you charged my card twice for one order'],
  },
};

describe('answerability model', () => {
  const model = trainAnswerabilityModel(questions, file, { seed: 3 });

  it('finds "none" likelier for near-topic questions the entry does not answer than for ones it does', () => {
    const answered = model.assess('how many days until my refund arrives', 'refund_timeline');
    const unanswered = model.assess(
      'can you chase order 99887766, it still has not shipped',
      'tracking_howto',
    );
    expect(answered.known).toBe(true);
    expect(unanswered.none).toBeGreaterThan(answered.none);
  });

  it('does not judge an entry it never saw (an upload after start)', () => {
    expect(model.assess('anything', 'new_entry')).toEqual({
      probability: 1,
      none: 0,
      known: false,
    });
  });
});
