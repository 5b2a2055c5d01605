import { describe, expect, it } from 'vitest';
import { queryTokens, searchTokens, textRuns } from './tokenize.js';

describe('textRuns', () => {
  it('separates CJK runs from Latin words and numbers', () => {
    expect(textRuns('7天无理由退货')).toEqual(['7', '天无理由退货']);
    expect(textRuns('iPhone手机能快充吗')).toEqual(['iphone', '手机能快充吗']);
    expect(textRuns('65W充电器')).toEqual(['65w', '充电器']);
  });

  it('folds full-width characters and keeps apostrophes inside English words', () => {
    expect(textRuns('ＳＦ１２３ where’s my parcel')).toEqual(['sf123', 'where’s', 'my', 'parcel']);
  });
});

describe('searchTokens', () => {
  it('emits CJK unigrams and bigrams, and words as they are', () => {
    expect(searchTokens('快递没到 SF123')).toEqual([
      '快',
      '快递',
      '递',
      '递没',
      '没',
      '没到',
      '到',
      'sf123',
    ]);
  });

  it('returns nothing for emoji and punctuation only', () => {
    expect(searchTokens('😡😡！！')).toEqual([]);
  });
});

describe('queryTokens', () => {
  it('queries with bigrams only, and a lone character as itself', () => {
    expect(queryTokens('快递没到 单 SF123')).toEqual(['快递', '递没', '没到', '单', 'sf123']);
  });
});
