import { describe, expect, it } from 'vitest';
import { fitLocalEmbedder, loadLocalEmbedder, type SerializedLocalEmbedder } from './embedder.js';

// A small after-sales knowledge base: entries with paraphrased questions, both languages.
const entries: Record<string, string[]> = {
  refund_time: [
    '退款什么时候到账',
    '退款多久能到账',
    '钱什么时候退回来',
    '申请退款后几天到账',
    'when will I get my refund',
    'how long does a refund take',
  ],
  track_parcel: [
    '快递到哪里了',
    '我的包裹什么时候到',
    '物流信息怎么查',
    '快递三天了还没到',
    'where is my parcel',
    'track my package',
  ],
  invoice: [
    '怎么开发票',
    '可以开增值税发票吗',
    '发票怎么申请',
    '电子发票在哪里下载',
    'how do I get an invoice',
    'can I have a VAT invoice',
  ],
  change_address: [
    '地址写错了能改吗',
    '怎么修改收货地址',
    '下单后可以改地址吗',
    '收件地址填错了',
    'can I change my delivery address',
    'wrong shipping address on my order',
  ],
  warranty: [
    '耳机一边没声音了能保修吗',
    '保修期多长',
    '坏了可以免费维修吗',
    '怎么申请保修',
    'is this covered by warranty',
    'how long is the warranty',
  ],
};
const corpus = Object.values(entries).flat();
const groups = Object.entries(entries).flatMap(([entry, questions]) => questions.map(() => entry));

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Mean cosine between questions of the same entry minus mean cosine across entries. */
function separation(vectors: number[][]): number {
  let within = 0;
  let withinCount = 0;
  let across = 0;
  let acrossCount = 0;
  for (let a = 0; a < vectors.length; a++) {
    for (let b = a + 1; b < vectors.length; b++) {
      const value = cosine(vectors[a]!, vectors[b]!);
      if (groups[a] === groups[b]) ((within += value), withinCount++);
      else ((across += value), acrossCount++);
    }
  }
  return within / withinCount - across / acrossCount;
}

describe('fitLocalEmbedder', () => {
  const embedder = fitLocalEmbedder(corpus, { dimension: 16 });

  it('returns unit vectors of the asked dimension, padded when the corpus has lower rank', () => {
    const wide = fitLocalEmbedder(corpus.slice(0, 5), { dimension: 32 });
    for (const vector of [
      ...embedder.embedSync(['退款多久到账', 'where is my parcel']),
      ...wide.embedSync(['退款']),
    ]) {
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    }
    expect(wide.embedSync(['退款'])[0]).toHaveLength(32);
    expect(embedder.dimension).toBe(16);
    expect(embedder.model).toMatch(/^local-tfidf-svd-16@[0-9a-f]{12}$/);
  });

  it('puts a paraphrase nearer its own entry than other entries, in Chinese and English', () => {
    const [refund, parcel, invoice, english, englishOther] = embedder.embedSync([
      '退款几天能到账',
      '快递还没到',
      '发票怎么开',
      'when do I get the refund',
      'change the delivery address',
    ]);
    const refundQuestion = embedder.embedSync(['退款多久能到账'])[0]!;
    expect(cosine(refund!, refundQuestion)).toBeGreaterThan(cosine(parcel!, refundQuestion));
    expect(cosine(refund!, refundQuestion)).toBeGreaterThan(cosine(invoice!, refundQuestion));
    const englishRefund = embedder.embedSync(['how long does a refund take'])[0]!;
    expect(cosine(english!, englishRefund)).toBeGreaterThan(cosine(englishOther!, englishRefund));
  });

  it('is deterministic and names the model by its fitted state', () => {
    const again = fitLocalEmbedder(corpus, { dimension: 16 });
    expect(again.model).toBe(embedder.model);
    expect(again.embedSync(['发票'])).toEqual(embedder.embedSync(['发票']));
    expect(fitLocalEmbedder(corpus.slice(1), { dimension: 16 }).model).not.toBe(embedder.model);
  });

  it('survives a JSON round trip', async () => {
    const state = JSON.parse(JSON.stringify(embedder.toJSON())) as SerializedLocalEmbedder;
    const loaded = loadLocalEmbedder(state);
    expect(loaded.model).toBe(embedder.model);
    const texts = ['保修多久', 'track my parcel please'];
    expect(await loaded.embed(texts)).toEqual(embedder.embedSync(texts));
  });

  it('stores the projection as Int8 by default, 4x smaller and nearly identical to Float32', () => {
    const exact = fitLocalEmbedder(corpus, { dimension: 16, projectionEncoding: 'float32' });
    expect(embedder.toJSON().projectionEncoding).toBe('int8');
    expect(embedder.toJSON().projection.length).toBeLessThan(
      exact.toJSON().projection.length / 3.5,
    );
    const texts = ['退款多久到账', 'where is my parcel', '保修'];
    const quantised = embedder.embedSync(texts);
    exact
      .embedSync(texts)
      .forEach((vector, i) => expect(cosine(vector, quantised[i]!)).toBeGreaterThan(0.999));
  });

  it('loads a Float32 state stored before projectionEncoding existed, under the same model name', () => {
    const exact = fitLocalEmbedder(corpus, { dimension: 16, projectionEncoding: 'float32' });
    const { projectionEncoding, ...older } = exact.toJSON();
    expect(projectionEncoding).toBe('float32');
    const loaded = loadLocalEmbedder(older);
    expect(loaded.model).toBe(exact.model);
    expect(loaded.embedSync(['退款多久到账'])).toEqual(exact.embedSync(['退款多久到账']));
  });

  it('rejects a state whose arrays do not fit together', () => {
    const state = embedder.toJSON();
    expect(() => loadLocalEmbedder({ ...state, mean: state.idf })).toThrow(/inconsistent/);
    expect(() => loadLocalEmbedder({ ...state, projectionScales: state.mean })).toThrow(
      /inconsistent/,
    );
    expect(() =>
      loadLocalEmbedder({ ...state, kind: 'other' } as unknown as SerializedLocalEmbedder),
    ).toThrow();
  });

  it('gives a zero vector to text that shares nothing with the corpus', () => {
    expect(
      embedder
        .embedSync(['🙂🙂', ''])
        .flat()
        .every((value) => value === 0),
    ).toBe(true);
    expect(embedder.sparseVector('').indices).toHaveLength(0);
  });

  it('keeps a lexical vector whose dot product rewards shared n-grams', () => {
    const query = embedder.sparseVector('退款多久到账');
    const dot = (text: string): number => {
      const other = embedder.sparseVector(text);
      let sum = 0;
      other.indices.forEach((index, i) => {
        const j = query.indices.indexOf(index);
        if (j >= 0) sum += query.values[j]! * other.values[i]!;
      });
      return sum;
    };
    expect(dot('退款多久能到账')).toBeGreaterThan(dot('快递到哪里了'));
    // n-grams the corpus never saw (久到, 多久到) shorten the query's vector.
    expect(dot('退款多久到账')).toBeLessThan(0.95);
    const known = embedder.sparseVector('退款多久能到账');
    expect(Math.hypot(...known.values)).toBeCloseTo(1, 5);
  });

  it('separates entries better when told which questions are paraphrases', () => {
    const plain = fitLocalEmbedder(corpus, { dimension: 16 });
    const whitened = fitLocalEmbedder(corpus, { dimension: 16, groups });
    expect(separation(whitened.embedSync(corpus))).toBeGreaterThan(
      separation(plain.embedSync(corpus)),
    );
  });
});
