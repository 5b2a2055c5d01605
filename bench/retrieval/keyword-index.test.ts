import { describe, expect, it } from 'vitest';
import { bm25Score } from '../../src/kb/ranking.js';
import { buildKeywordIndex, reciprocalRankFusion } from './keyword-index.js';

const documents = [
  { id: 'a', tokens: ['退', '款', '退款', '到', '账', '到账'] },
  { id: 'b', tokens: ['快', '递', '快递', '到', '了'] },
  { id: 'c', tokens: ['退', '货', '退货', '运', '费', '运费', '退', '货', '退货'] },
];

describe('BM25', () => {
  const index = buildKeywordIndex(documents);

  it('agrees between the inverted index and scoring one document at a time', () => {
    const query = ['退', '款', '退款', '到'];
    const results = index.search(query);
    expect(results.map((result) => result.id)).toEqual(['a', 'c', 'b']);
    for (const { id, score } of results) {
      expect(score).toBeCloseTo(bm25Score(query, index.document(id)!, index.statistics), 12);
    }
    expect(index.search(['无关'])).toEqual([]);
    expect(index.search(query, 1)).toHaveLength(1);
  });
});

describe('reciprocalRankFusion', () => {
  it('rewards items ranked well in several lists', () => {
    const dense = [
      { id: 'x', score: 0.9 },
      { id: 'y', score: 0.8 },
      { id: 'z', score: 0.1 },
    ];
    const keyword = [
      { id: 'y', score: 12 },
      { id: 'z', score: 3 },
    ];
    const fused = reciprocalRankFusion([dense, keyword]);
    // z, third and second, beats x, first in one list only.
    expect(fused.map((item) => item.id)).toEqual(['y', 'z', 'x']);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    // Weights scale each list's contribution; a zero weight leaves the dense order.
    expect(reciprocalRankFusion([dense, keyword], 60, [1, 0]).map((item) => item.id)).toEqual([
      'x',
      'y',
      'z',
    ]);
    expect(reciprocalRankFusion([dense, keyword], 60, [1, 2])[0]!.score).toBeCloseTo(
      1 / 62 + 2 / 61,
      12,
    );
  });
});
