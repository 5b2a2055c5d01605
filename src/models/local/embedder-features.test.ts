import { describe, expect, it } from 'vitest';
import { fnv1a, hashedFeatures } from './embedder-features.js';

const bits = 20;
const word = (feature: string): number => fnv1a(feature) & ((1 << bits) - 1);
const char = (feature: string): number => word(feature) | (1 << bits);

describe('hashedFeatures', () => {
  it('counts CJK characters and their bigrams as words, bigrams and trigrams as character n-grams', () => {
    const features = hashedFeatures('退款到账', bits);
    for (const feature of ['退', '款', '到', '账', '退 款', '款 到', '到 账'])
      expect(features.word.get(word(feature))).toBe(1);
    for (const feature of ['退款', '款到', '到账', '退款到', '款到账'])
      expect(features.char.get(char(feature))).toBe(1);
    expect(features.word.size).toBe(7);
    expect(features.char.size).toBe(5);
  });

  it('gives Latin words, word bigrams and boundary-marked 3-5-grams; digits only as words', () => {
    const features = hashedFeatures('Refund 12345', bits);
    expect(features.word.get(word('refund'))).toBe(1);
    expect(features.word.get(word('refund 12345'))).toBe(1);
    expect(features.word.get(word('12345'))).toBe(1);
    for (const feature of [' re', 'und ', ' refu', 'efund'])
      expect(features.char.get(char(feature))).toBe(1);
    expect(features.char.has(char(' 12'))).toBe(false);
  });

  it('normalises width and case first, and keeps the two groups apart', () => {
    expect(hashedFeatures('ＲＥＦＵＮＤ', bits)).toEqual(hashedFeatures('refund', bits));
    const features = hashedFeatures('abc', bits);
    for (const bucket of features.char.keys()) expect(features.word.has(bucket)).toBe(false);
  });
});
