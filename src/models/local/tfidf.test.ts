import { describe, expect, it } from 'vitest';
import { extractFeatures } from './text-features.js';
import { createFeatureDictionary, fitVectorizer, type VectorizerOptions } from './tfidf.js';
import type { SparseVector } from './sparse-vector.js';

const corpus = [
  'where is my parcel',
  'my refund is late',
  'parcel arrived broken',
  '退款 什么时候 到账',
];
const norm = (vector: SparseVector) => Math.hypot(...vector.values);

function fit(options: VectorizerOptions = {}) {
  const dictionary = createFeatureDictionary();
  const encoded = corpus.map((text) => dictionary.encode(extractFeatures(text), true));
  const vectorizer = fitVectorizer(dictionary, encoded, options);
  return {
    dimension: vectorizer.dimension,
    transform: (text: string) =>
      vectorizer.transform(dictionary.encode(extractFeatures(text), false)),
  };
}

describe('fitVectorizer', () => {
  const vectorizer = fit({ wordWeight: 1, charWeight: 1 });

  it('normalises each feature group to its weight', () => {
    // Two groups, each of norm 1: the whole vector has norm sqrt(2).
    expect(norm(vectorizer.transform('where is my parcel'))).toBeCloseTo(Math.SQRT2, 5);
  });

  it('keeps indices sorted and within the dimension', () => {
    const { indices } = vectorizer.transform('my parcel refund');
    for (let i = 1; i < indices.length; i++) expect(indices[i]!).toBeGreaterThan(indices[i - 1]!);
    expect(indices[indices.length - 1]!).toBeLessThan(vectorizer.dimension);
  });

  it('shortens the vector of text made mostly of words never seen in training', () => {
    const known = norm(vectorizer.transform('my parcel'));
    const mostlyUnknown = norm(vectorizer.transform('my parcel xylophone quantum zebra'));
    expect(mostlyUnknown).toBeLessThan(known * 0.8);
  });

  it('can ignore unseen features in the norm', () => {
    const plain = fit({ unseenInNorm: false });
    expect(norm(plain.transform('my parcel xylophone quantum zebra'))).toBeCloseTo(Math.SQRT2, 5);
  });

  it('weighs the two groups as asked', () => {
    const wordsOnly = fit({ wordWeight: 1, charWeight: 0 });
    expect(norm(wordsOnly.transform('where is my parcel'))).toBeCloseTo(1, 5);
  });

  it('only keeps features of the texts it was fitted on', () => {
    const dictionary = createFeatureDictionary();
    const encoded = corpus.map((text) => dictionary.encode(extractFeatures(text), true));
    const firstTwo = fitVectorizer(dictionary, encoded.slice(0, 2));
    // "broken" is only in the third text: unknown to a vectoriser fitted on the first two.
    const broken = dictionary.encode(extractFeatures('broken'), false);
    expect(firstTwo.transform(broken).indices).toHaveLength(0);
    expect(firstTwo.dimension).toBeLessThan(fitVectorizer(dictionary, encoded).dimension);
  });

  it('gives rarer features a higher weight', () => {
    const vector = vectorizer.transform('my broken');
    const byFeature = new Map<number, number>();
    vector.indices.forEach((index, k) => byFeature.set(index, vector.values[k]!));
    const words = vectorizer.transform('my');
    const broken = vectorizer.transform('broken');
    // "my" is in two texts, "broken" in one: in the combined text, "broken" weighs more.
    const myIndex = words.indices[0]!;
    const brokenIndex = broken.indices[0]!;
    expect(byFeature.get(brokenIndex)!).toBeGreaterThan(byFeature.get(myIndex)!);
  });
});
