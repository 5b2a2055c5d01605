import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createModelCache } from '../models/cache/model-cache.js';
import {
  cachedEntryModel,
  cachedOutOfFoldEntryScores,
  outOfFoldEntryScores,
  type Paraphrase,
  trainEntryModel,
} from './entry-model.js';

// Three entries of our own, in two languages.
const paraphrases: Paraphrase[] = [
  ...[
    'how long does a refund take',
    'when will my refund arrive',
    '退款多久到账',
    '退款几天能到',
  ].map((question) => ({ entryId: 'refund', locale: 'en', question })),
  ...[
    'how do I track my parcel',
    'where is my tracking number',
    '怎么查物流',
    '快递单号在哪看',
  ].map((question) => ({ entryId: 'tracking', locale: 'en', question })),
  ...['can I get an invoice', 'how to request a VAT invoice', '怎么开发票', '发票抬头可以改吗'].map(
    (question) => ({ entryId: 'invoice', locale: 'en', question }),
  ),
];
const answers: Paraphrase[] = [
  { entryId: 'refund', locale: 'en', question: 'Refunds reach your card in 3-5 working days' },
  { entryId: 'invoice', locale: 'en', question: 'Invoices are issued from the order page' },
];
const queries = ['refund not arrived', '物流', 'invoice title', 'hello there', ''];

const folder = mkdtempSync(join(tmpdir(), 'entry-model-cache-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('entry model in the model cache', () => {
  const cache = createModelCache(folder);

  it('scores exactly as a freshly trained model', async () => {
    const trained = trainEntryModel(paraphrases, answers)!;
    await cachedEntryModel(cache, paraphrases, answers);
    const loaded = (await cachedEntryModel(cache, paraphrases, answers))!;
    for (const query of queries)
      expect([...loaded.scores(query)]).toEqual([...trained.scores(query)]);
  });

  it('trains again for other paraphrases', async () => {
    const more = [...paraphrases, { entryId: 'refund', locale: 'zh', question: '退款什么时候到' }];
    const fresh = trainEntryModel(more, answers)!;
    const cached = (await cachedEntryModel(cache, more, answers))!;
    for (const query of queries)
      expect([...cached.scores(query)]).toEqual([...fresh.scores(query)]);
  });

  it('keeps out-of-fold scores exactly, per paraphrase', async () => {
    const fresh = outOfFoldEntryScores(paraphrases, answers, 2);
    await cachedOutOfFoldEntryScores(cache, paraphrases, answers, 2);
    const loaded = await cachedOutOfFoldEntryScores(cache, paraphrases, answers, 2);
    expect([...loaded.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [index, scores] of fresh) expect([...loaded.get(index)!]).toEqual([...scores]);
  });
});
