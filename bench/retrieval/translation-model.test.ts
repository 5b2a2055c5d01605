import { describe, expect, it } from 'vitest';
import {
  buildTranslationLmIndex,
  collectionModel,
  loadTranslationTable,
  serializeTranslationTable,
  topTranslations,
  trainTranslationTable,
  translationLmScore,
  translationProbability,
  type TokenPair,
} from './translation-model.js';

// Paraphrase pairs in which 还钱 and 还款 stand for each other, always next to 花呗 (kept on
// both sides): counting co-occurrences alone cannot tell 还款 from 花呗 as the translation
// of 还钱; EM can, because 花呗 is better explained by 花呗 itself.
const pairs: TokenPair[] = [
  [
    ['花呗', '怎么', '还钱'],
    ['花呗', '如何', '还款'],
  ],
  [
    ['花呗', '还钱'],
    ['花呗', '还款', '方式'],
  ],
  [
    ['花呗', '还钱', '晚了'],
    ['花呗', '逾期', '还款'],
  ],
  [
    ['花呗', '额度'],
    ['花呗', '额度', '多少'],
  ],
  [
    ['借呗', '怎么', '开通'],
    ['借呗', '如何', '开通'],
  ],
  [
    ['花呗', '逾期'],
    ['花呗', '晚了', '还'],
  ],
];

describe('trainTranslationTable (IBM Model 1)', () => {
  const table = trainTranslationTable(pairs, { iterations: 10 });

  it('learns a synonym that is never written the same way on both sides', () => {
    const synonym = translationProbability(table, '还款', '还钱');
    expect(synonym).toBeGreaterThan(0.3);
    // 花呗 co-occurs with 还钱 just as often, but is explained by itself instead.
    expect(synonym).toBeGreaterThan(3 * translationProbability(table, '花呗', '还钱'));
    expect(topTranslations(table, '还钱', 1)[0]![0]).toBe('还款');
  });

  it('learns both directions by default, and only one when asked', () => {
    expect(translationProbability(table, '还钱', '还款')).toBeGreaterThan(0.3);
    const oneWay = trainTranslationTable(pairs, { iterations: 10, bothDirections: false });
    expect(translationProbability(oneWay, '还款', '还钱')).toBeGreaterThan(0.3);
    expect(translationProbability(oneWay, '还钱', '还款')).toBe(0);
  });

  it('keeps words that always match themselves as self-translations', () => {
    expect(translationProbability(table, '花呗', '花呗')).toBeGreaterThan(0.5);
  });

  it('gives each source a distribution (probabilities sum to at most 1)', () => {
    for (const targets of table.bySource.values()) {
      const total = [...targets.values()].reduce((sum, value) => sum + value, 0);
      expect(total).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it('round-trips through its serialized form', () => {
    const loaded = loadTranslationTable(
      JSON.parse(JSON.stringify(serializeTranslationTable(table))),
    );
    expect(translationProbability(loaded, '还款', '还钱')).toBe(
      translationProbability(table, '还款', '还钱'),
    );
    expect(loaded.bySource.size).toBe(table.bySource.size);
  });
});

describe('translation language model scoring', () => {
  const table = trainTranslationTable(pairs, { iterations: 10 });
  const empty = loadTranslationTable({ entries: [] });
  const documents = [
    ['借呗', '还款'], // the paraphrase, through the synonym
    ['借呗', '开通'], // same product, other question
    ['信用卡', '额度'], // unrelated
  ];
  const query = ['借呗', '还钱'];
  const collection = collectionModel(documents);

  it('ranks a paraphrase that uses a synonym above a text sharing only the product', () => {
    const paraphrase = translationLmScore(query, documents[0]!, table, collection);
    const other = translationLmScore(query, documents[1]!, table, collection);
    expect(paraphrase).toBeGreaterThan(other);
    // Without learned translations the two are tied: the table is what separates them.
    expect(translationLmScore(query, documents[0]!, empty, collection)).toBeCloseTo(
      translationLmScore(query, documents[1]!, empty, collection),
      12,
    );
  });

  it('scores a document that matches nothing at 0 and never below', () => {
    expect(translationLmScore(['网商贷'], documents[2]!, table, collection)).toBe(0);
    for (const document of documents)
      expect(translationLmScore(query, document, table, collection)).toBeGreaterThanOrEqual(0);
  });

  it('index scores every document as the single-document formula does', () => {
    for (const parameters of [{}, { lambda: 0.5, beta: 0.2 }]) {
      const index = buildTranslationLmIndex(documents, table, parameters);
      const scores = index.scoreAll([...query, '借呗']);
      documents.forEach((document, d) =>
        expect(scores[d]).toBeCloseTo(
          translationLmScore([...query, '借呗'], document, table, collection, parameters),
          10,
        ),
      );
    }
  });

  it('lets beta trade exact matches against translations', () => {
    // beta = 1 is plain query likelihood: the synonym earns nothing.
    const exactOnly = translationLmScore(query, documents[0]!, table, collection, { beta: 1 });
    const mixed = translationLmScore(query, documents[0]!, table, collection, { beta: 0.5 });
    expect(mixed).toBeGreaterThan(exactOnly);
  });
});
