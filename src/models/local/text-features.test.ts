import { describe, expect, it } from 'vitest';
import { extractFeatures } from './text-features.js';

describe('extractFeatures', () => {
  it('gives English words, word bigrams and character n-grams inside word boundaries', () => {
    const { words, chars } = extractFeatures('Where is my parcel?');
    expect(words).toEqual(
      expect.arrayContaining(['where', 'parcel', 'my parcel', '<s> where', 'parcel </s>']),
    );
    expect(chars).toEqual(expect.arrayContaining([' pa', 'parc', 'rcel ', 'el ']));
    // Character n-grams never cross a word boundary.
    expect(chars.some((gram) => gram.trim().includes(' '))).toBe(false);
  });

  it('gives CJK characters, their bigrams and trigrams, with the run edges marked', () => {
    const { words, chars } = extractFeatures('快递没到');
    expect(words).toEqual(expect.arrayContaining(['快', '递', '没', '到', '快 递', '<s> 快']));
    expect(chars).toEqual(
      expect.arrayContaining(['<快', '快递', '递没', '没到', '到>', '快递没', '没到>']),
    );
  });

  it('handles mixed Chinese and English and folds digits', () => {
    const { words } = extractFeatures('订单 SF12345 还没到');
    expect(words).toEqual(expect.arrayContaining(['sf00000', '订', '到', '单 sf00000']));
  });

  it('returns no n-grams for empty or punctuation-only text', () => {
    expect(extractFeatures('！！？').chars).toEqual([]);
  });
});
