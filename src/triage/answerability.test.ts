import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModelCache } from '../models/cache/model-cache.js';
import {
  type AnswerabilityFile,
  cachedAnswerabilityModel,
  trainAnswerabilityModel,
} from './answerability.js';

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

describe('cachedAnswerabilityModel', () => {
  it('loads a model that assesses exactly as the trained one, and retrains when the file changes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'answerability-cache-'));
    try {
      const cache = createModelCache(folder);
      const trained = await cachedAnswerabilityModel(cache, questions, file);
      const loaded = await cachedAnswerabilityModel(cache, questions, file);
      expect([trained.source, loaded.source]).toEqual(['trained', 'cache']);
      expect(loaded.model.limit).toBe(trained.model.limit);
      for (const text of [
        '退款几天到',
        'chase order 12345678 please',
        'hello',
        'refund to another card',
      ])
        for (const entryId of ['refund_timeline', 'tracking_howto', 'unknown_entry'])
          expect(loaded.model.assess(text, entryId)).toEqual(trained.model.assess(text, entryId));

      const changed = {
        ...file,
        money_dispute: { zh: ['多扣了我一笔钱'], en: file.money_dispute.en },
      };
      expect((await cachedAnswerabilityModel(cache, questions, changed)).source).toBe('trained');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
