/**
 * A sparse TF-IDF cosine over the knowledge base's chunks, kept in memory beside the entry
 * model: hashed words, word bigrams and character n-grams (the local embedder's features),
 * so it matches inflections and CJK without a dictionary. It is a ranking signal of its own,
 * measured stronger than BM25 on short FAQ questions, and works with any embedder.
 */
import { FEATURE_GROUPS, hashedFeatures } from '../models/local/embedder-features.js';
import {
  inverseDocumentFrequency,
  type TfidfSpace,
  tfidfVector,
} from '../models/local/embedder-tfidf.js';

const HASH_BITS = 20;

export interface LexicalChunk {
  entryId: string;
  locale: string;
  kind: string;
  text: string;
}

/** Best cosine of an entry's question chunks and of its answer chunks. */
export interface LexicalMatch {
  question: number;
  answer: number;
}

export interface LexicalIndex {
  /** Per entry, best first by question + `answerWeight` x answer; `excludeText` skips a chunk. */
  search(
    query: string,
    options?: { locale?: string; excludeText?: string; answerWeight?: number },
  ): Map<string, LexicalMatch>;
}

export function buildLexicalIndex(chunks: readonly LexicalChunk[]): LexicalIndex {
  const features = chunks.map((chunk) => hashedFeatures(chunk.text, HASH_BITS));
  const documentFrequency = new Map<number, number>();
  for (const feature of features) {
    for (const group of FEATURE_GROUPS)
      for (const bucket of feature[group].keys())
        documentFrequency.set(bucket, (documentFrequency.get(bucket) ?? 0) + 1);
  }
  const space: TfidfSpace = {
    wordWeight: 1,
    charWeight: 1,
    idf: new Map(
      [...documentFrequency].map(([bucket, df]) => [
        bucket,
        inverseDocumentFrequency('smooth', chunks.length, df),
      ]),
    ),
    unseenIdf: inverseDocumentFrequency('smooth', chunks.length, 0),
  };
  // Inverted lists: bucket -> (chunk, weight), so a query touches only chunks sharing a feature.
  const postings = new Map<number, { chunk: number; value: number }[]>();
  features.forEach((feature, chunk) => {
    const vector = tfidfVector(feature, space);
    vector.indices.forEach((bucket, k) => {
      let list = postings.get(bucket);
      if (!list) postings.set(bucket, (list = []));
      list.push({ chunk, value: vector.values[k]! });
    });
  });

  return {
    search(query, options = {}) {
      const vector = tfidfVector(hashedFeatures(query, HASH_BITS), space);
      const cosine = new Map<number, number>();
      vector.indices.forEach((bucket, k) => {
        for (const { chunk, value } of postings.get(bucket) ?? [])
          cosine.set(chunk, (cosine.get(chunk) ?? 0) + value * vector.values[k]!);
      });
      const matches = new Map<string, LexicalMatch>();
      for (const [index, score] of cosine) {
        const chunk = chunks[index]!;
        if (options.locale && chunk.locale !== options.locale) continue;
        if (chunk.text === options.excludeText) continue;
        const match = matches.get(chunk.entryId) ?? { question: 0, answer: 0 };
        if (chunk.kind === 'answer') match.answer = Math.max(match.answer, score);
        else match.question = Math.max(match.question, score);
        matches.set(chunk.entryId, match);
      }
      const weight = options.answerWeight ?? 0.3;
      return new Map(
        [...matches].sort(
          (a, b) => b[1].question + weight * b[1].answer - (a[1].question + weight * a[1].answer),
        ),
      );
    },
  };
}
