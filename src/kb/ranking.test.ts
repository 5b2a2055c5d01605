import { describe, expect, it } from 'vitest';
import {
  bm25Idf,
  bm25Score,
  keywordDocument,
  keywordDocumentFor,
  normalisedBm25,
  type TermStatistics,
} from './ranking.js';

const documents = [
  { id: 'a', tokens: ['退', '款', '退款', '到', '账', '到账'] },
  { id: 'b', tokens: ['快', '递', '快递', '到', '了'] },
  { id: 'c', tokens: ['退', '货', '退货', '运', '费', '运费', '退', '货', '退货'] },
];

describe('BM25', () => {
  // The corpus statistics of the three documents, counted here (bench/retrieval/keyword-index.ts keeps them in an index).
  const parsed = new Map(
    documents.map((document) => [document.id, keywordDocument(document.tokens)]),
  );
  const index = {
    statistics: {
      documentCount: documents.length,
      averageLength:
        documents.reduce((sum, document) => sum + document.tokens.length, 0) / documents.length,
      documentFrequency: (token: string) =>
        documents.filter((document) => document.tokens.includes(token)).length,
    } satisfies TermStatistics,
    document: (id: string) => parsed.get(id),
  };

  it('matches the formula computed by hand', () => {
    // "退款" occurs in 1 of 3 documents; a has 6 tokens, average length 20/3.
    const idf = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5));
    expect(bm25Idf(1, 3)).toBeCloseTo(idf, 12);
    const lengthFactor = 1.2 * (1 - 0.75 + (0.75 * 6) / (20 / 3));
    const expected = (idf * 1 * 2.2) / (1 + lengthFactor);
    expect(
      bm25Score(['退款'], keywordDocument(documents[0]!.tokens), index.statistics),
    ).toBeCloseTo(expected, 12);
  });

  it('normalises by the query ceiling into [0, 1)', () => {
    const value = normalisedBm25(['退款', '到账'], index.document('a')!, index.statistics);
    expect(value).toBeGreaterThan(0.3);
    expect(value).toBeLessThan(1);
    expect(normalisedBm25(['退款'], index.document('b')!, index.statistics)).toBe(0);
  });

  it('scores a document read for the query terms only as the full document', () => {
    const query = ['退货', '运费', '快递'];
    const partial = keywordDocumentFor(documents[2]!.tokens.join(' '), new Set(query));
    expect(partial.length).toBe(documents[2]!.tokens.length);
    expect(partial.counts.get('退货')).toBe(2);
    expect(partial.counts.has('退')).toBe(false);
    expect(bm25Score(query, partial, index.statistics)).toBe(
      bm25Score(query, keywordDocument(documents[2]!.tokens), index.statistics),
    );
  });

  it('counts whole tokens only, as splitting the string would', () => {
    const tokens = 'aa aaa a aa b aab aa';
    const split = keywordDocument(tokens.split(' '));
    const found = keywordDocumentFor(tokens, ['aa', 'a', 'aaa', 'ab', 'b', 'c']);
    expect(found.length).toBe(split.length);
    for (const term of ['aa', 'a', 'aaa', 'ab', 'b', 'c'])
      expect(found.counts.get(term)).toBe(split.counts.get(term));
  });
});
