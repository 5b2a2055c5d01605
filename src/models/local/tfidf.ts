/**
 * TF-IDF vectoriser: sublinear term frequency, smoothed inverse document frequency, and an
 * L2 norm per feature group, so word and character features carry weights we choose rather
 * than weights set by how many of each a text has.
 *
 * Feature strings are interned once into integer ids (a `FeatureDictionary`); a vectoriser
 * fitted on any subset of the examples (one per cross-validation fold) then works on ids
 * only, which keeps refitting per fold cheap.
 */
import type { TextFeatures } from './text-features.js';
import type { SparseVector } from './sparse-vector.js';

export interface VectorizerOptions {
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

/** A text's features as dictionary ids; -1 marks a feature the dictionary does not know. */
export interface EncodedFeatures {
  words: Int32Array;
  chars: Int32Array;
}

type Group = keyof TextFeatures;
const GROUPS: Group[] = ['words', 'chars'];

export interface FeatureDictionary {
  /** Ids of the features; `grow` adds unknown ones instead of marking them -1. */
  encode(features: TextFeatures, grow: boolean): EncodedFeatures;
  size(group: Group): number;
  /** The group's feature strings in id order (what `createFeatureDictionary` restores). */
  strings(group: Group): string[];
}

/** `saved`: feature strings in id order, from `strings()` of a dictionary stored earlier. */
export function createFeatureDictionary(
  saved?: Record<Group, readonly string[]>,
): FeatureDictionary {
  const ids: Record<Group, Map<string, number>> = {
    words: new Map(saved?.words.map((feature, id) => [feature, id])),
    chars: new Map(saved?.chars.map((feature, id) => [feature, id])),
  };
  function encodeGroup(strings: string[], group: Group, grow: boolean): Int32Array {
    const map = ids[group];
    const out = new Int32Array(strings.length);
    for (let i = 0; i < strings.length; i++) {
      let id = map.get(strings[i]!);
      if (id === undefined) {
        if (grow) map.set(strings[i]!, (id = map.size));
        else id = -1;
      }
      out[i] = id;
    }
    return out;
  }
  return {
    encode: (features, grow) => ({
      words: encodeGroup(features.words, 'words', grow),
      chars: encodeGroup(features.chars, 'chars', grow),
    }),
    size: (group) => ids[group].size,
    // Maps iterate in insertion order, which is id order.
    strings: (group) => [...ids[group].keys()],
  };
}

export interface Vectorizer {
  /** Number of columns: the features kept from the fitting texts. */
  readonly dimension: number;
  transform(encoded: EncodedFeatures): SparseVector;
  /** What was fitted, to store and restore with `createVectorizer`. */
  readonly state: VectorizerState;
}

export interface VectorizerState {
  dimension: number;
  /** Per group: dictionary id -> column, or -1 for a feature this fit dropped. */
  columns: Record<Group, Int32Array>;
  /** IDF per column. */
  idf: Float32Array;
  /** Per group: its weight after its L2 norm. */
  weights: Record<Group, number>;
  unseenIdf: number;
  unseenInNorm: boolean;
}

/** Learns which features to keep and their IDF from the given (encoded) training texts. */
export function fitVectorizer(
  dictionary: FeatureDictionary,
  texts: EncodedFeatures[],
  options: VectorizerOptions = {},
): Vectorizer {
  const minDf = options.minDocumentFrequency ?? 1;
  const unseenInNorm = options.unseenInNorm ?? true;
  const weights: Record<Group, number> = {
    words: options.wordWeight ?? 1,
    chars: options.charWeight ?? 1,
  };
  const documents = texts.length;
  const unseenIdf = Math.log(1 + documents) + 1;
  // Per group: dictionary id -> column (or -1), and the column's IDF.
  const columns = {} as Record<Group, Int32Array>;
  const idfValues: number[] = [];
  let dimension = 0;
  for (const group of GROUPS) {
    const size = dictionary.size(group);
    const frequency = new Int32Array(size);
    const lastSeen = new Int32Array(size).fill(-1);
    texts.forEach((text, document) => {
      for (const id of text[group]) {
        if (id < 0 || lastSeen[id] === document) continue;
        lastSeen[id] = document;
        frequency[id] = frequency[id]! + 1;
      }
    });
    const column = new Int32Array(size).fill(-1);
    // Columns follow dictionary ids, so sorting by id also sorts by column.
    for (let id = 0; id < size; id++) {
      if (frequency[id]! < minDf || frequency[id] === 0) continue;
      column[id] = dimension++;
      idfValues.push(Math.log((1 + documents) / (1 + frequency[id]!)) + 1);
    }
    columns[group] = column;
  }
  return createVectorizer({
    dimension,
    columns,
    idf: Float32Array.from(idfValues),
    weights,
    unseenIdf,
    unseenInNorm,
  });
}

/** A vectoriser from its fitted state (`fitVectorizer`, or one stored earlier). */
export function createVectorizer(state: VectorizerState): Vectorizer {
  const { columns, idf, weights, unseenIdf, unseenInNorm } = state;

  function transform(encoded: EncodedFeatures): SparseVector {
    const indices: number[] = [];
    const values: number[] = [];
    for (const group of GROUPS) {
      const ids = Int32Array.from(encoded[group]).sort();
      const column = columns[group];
      const start = indices.length;
      let squaredNorm = 0;
      for (let i = 0; i < ids.length;) {
        const id = ids[i]!;
        let count = 0;
        while (i < ids.length && ids[i] === id) {
          count++;
          i++;
        }
        const tf = 1 + Math.log(count);
        const at = id < 0 || id >= column.length ? -1 : column[id]!;
        if (at < 0) {
          // Unknown to the dictionary (-1 ids, one per occurrence) or to this fit.
          if (unseenInNorm) squaredNorm += id < 0 ? count * unseenIdf ** 2 : (tf * unseenIdf) ** 2;
          continue;
        }
        const value = tf * idf[at]!;
        squaredNorm += value * value;
        indices.push(at);
        values.push(value);
      }
      if (squaredNorm === 0) continue;
      const scale = weights[group] / Math.sqrt(squaredNorm);
      for (let k = start; k < values.length; k++) values[k] = values[k]! * scale;
    }
    return { indices: Int32Array.from(indices), values: Float32Array.from(values) };
  }

  return { dimension: state.dimension, transform, state };
}
