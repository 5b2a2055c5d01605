/**
 * TF-IDF vectoriser over a vocabulary learnt from the training texts: sublinear term
 * frequency, smoothed inverse document frequency, and an L2 norm per feature group so that
 * word and character features carry weights we choose rather than weights set by their counts.
 */
import { extractFeatures, type FeatureOptions, type TextFeatures } from './text-features.js';
import type { SparseVector } from './sparse-vector.js';

export interface VectorizerOptions extends FeatureOptions {
  /** Weight of the word group after its L2 norm. Default 1. */
  wordWeight?: number;
  /** Weight of the character group after its L2 norm. Default 1. */
  charWeight?: number;
  /** Features seen in fewer training texts are dropped. Default 1 (keep all). */
  minDocumentFrequency?: number;
  /**
   * Count features never seen in training in the norm (at the highest IDF), so a message
   * made mostly of unknown words gets a short vector and therefore a less confident score.
   * Default true.
   */
  unseenInNorm?: boolean;
}

export interface Vectorizer {
  readonly dimension: number;
  transform(text: string): SparseVector;
  transformFeatures(features: TextFeatures): SparseVector;
}

type Group = keyof TextFeatures;
const GROUPS: Group[] = ['words', 'chars'];

/** Learns the vocabulary and IDF from training texts already split into features. */
export function fitVectorizer(
  featureSets: TextFeatures[],
  options: VectorizerOptions = {},
): Vectorizer {
  const minDf = options.minDocumentFrequency ?? 1;
  const unseenInNorm = options.unseenInNorm ?? true;
  const weights: Record<Group, number> = {
    words: options.wordWeight ?? 1,
    chars: options.charWeight ?? 1,
  };
  const vocabulary: Record<Group, Map<string, number>> = { words: new Map(), chars: new Map() };
  const documentFrequency: number[] = [];
  let dimension = 0;
  for (const group of GROUPS) {
    const counts = new Map<string, number>();
    for (const features of featureSets) {
      for (const feature of new Set(features[group])) counts.set(feature, (counts.get(feature) ?? 0) + 1);
    }
    // Insertion order is the order of first appearance, so indices are deterministic.
    for (const [feature, count] of counts) {
      if (count < minDf) continue;
      vocabulary[group].set(feature, dimension++);
      documentFrequency.push(count);
    }
  }
  const documents = featureSets.length;
  const idf = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) idf[i] = Math.log((1 + documents) / (1 + documentFrequency[i]!)) + 1;
  const unseenIdf = Math.log(1 + documents) + 1;

  function transformFeatures(features: TextFeatures): SparseVector {
    const entries = new Map<number, number>();
    for (const group of GROUPS) {
      const counts = new Map<string, number>();
      for (const feature of features[group]) counts.set(feature, (counts.get(feature) ?? 0) + 1);
      const groupEntries: Array<[number, number]> = [];
      let squaredNorm = 0;
      for (const [feature, count] of counts) {
        const index = vocabulary[group].get(feature);
        const tf = 1 + Math.log(count);
        if (index === undefined) {
          if (unseenInNorm) squaredNorm += (tf * unseenIdf) ** 2;
          continue;
        }
        const value = tf * idf[index]!;
        squaredNorm += value * value;
        groupEntries.push([index, value]);
      }
      if (squaredNorm === 0) continue;
      const scale = weights[group] / Math.sqrt(squaredNorm);
      for (const [index, value] of groupEntries) entries.set(index, value * scale);
    }
    const indices = Int32Array.from(entries.keys()).sort();
    const values = new Float32Array(indices.length);
    for (let i = 0; i < indices.length; i++) values[i] = entries.get(indices[i]!)!;
    return { indices, values };
  }

  return {
    dimension,
    transform: (text) => transformFeatures(extractFeatures(text, options)),
    transformFeatures,
  };
}
