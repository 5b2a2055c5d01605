/**
 * An in-memory hybrid knowledge-base search: the reference for what the database version
 * should compute. Candidates are the top chunks by dense cosine (what pgvector's HNSW index
 * returns) and by BM25 over search tokens; each candidate entry then gets, per field, the
 * best dense cosine, lexical (sparse TF-IDF) cosine and normalised BM25 over its chunks.
 */
import { bm25Ceiling, bm25Score } from '../../src/kb/ranking.js';
import { buildKeywordIndex } from './keyword-index.js';
import type { MatchSignals } from './score-calibrator.js';
import type { LocalEmbedder } from '../../src/models/local/embedder.js';
import type { SparseVector } from '../../src/models/local/sparse-vector.js';
import { sparseDot } from './sparse-dot.js';
import { searchTokens } from '../../src/text/tokenize.js';

export interface KbChunk {
  entryId: string;
  /** e.g. 'question' or 'answer'; signals are kept per field. */
  field: string;
  text: string;
}

export const SIGNALS_PER_FIELD = ['dense', 'lexical', 'keyword'] as const;

export interface InMemoryKb {
  fields: readonly string[];
  /** Candidate entries with signals [field0 dense, field0 lexical, field0 keyword, field1 ...]. */
  search(query: string, options?: { excludeChunk?: number }): MatchSignals[];
}

export interface InMemoryKbOptions {
  fields: readonly string[];
  /** Chunks taken from each of the dense and the keyword lists. Default 50. */
  candidateChunks?: number;
}

export function buildInMemoryKb(
  chunks: readonly KbChunk[],
  embedder: LocalEmbedder,
  options: InMemoryKbOptions,
): InMemoryKb {
  const { fields } = options;
  const candidateChunks = options.candidateChunks ?? 50;
  const dimension = embedder.dimension;
  const vectors = new Float32Array(chunks.length * dimension);
  chunks.forEach((chunk, i) => vectors.set(embedder.embedOne(chunk.text), i * dimension));
  const sparse: SparseVector[] = chunks.map((chunk) => embedder.sparseVector(chunk.text));
  const keyword = buildKeywordIndex(
    chunks.map((chunk, i) => ({ id: String(i), tokens: searchTokens(chunk.text) })),
  );
  const chunksOfEntry = new Map<string, number[]>();
  chunks.forEach((chunk, i) => {
    const list = chunksOfEntry.get(chunk.entryId) ?? [];
    list.push(i);
    chunksOfEntry.set(chunk.entryId, list);
  });
  const dense = new Float64Array(chunks.length);

  function search(query: string, { excludeChunk = -1 } = {}): MatchSignals[] {
    const queryVector = embedder.embedOne(query);
    const querySparse = embedder.sparseVector(query);
    const queryTokens = searchTokens(query);
    for (let i = 0; i < chunks.length; i++) {
      let sum = 0;
      const base = i * dimension;
      for (let j = 0; j < dimension; j++) sum += queryVector[j]! * vectors[base + j]!;
      dense[i] = sum;
    }
    if (excludeChunk >= 0) dense[excludeChunk] = -Infinity;
    const candidates = new Set<string>();
    for (const i of topIndices(dense, candidateChunks)) candidates.add(chunks[i]!.entryId);
    for (const { id } of keyword.search(queryTokens, candidateChunks + 1)) {
      if (Number(id) !== excludeChunk) candidates.add(chunks[Number(id)]!.entryId);
    }
    const ceiling = bm25Ceiling(queryTokens, keyword.statistics);
    return [...candidates].map((entryId) => {
      const signals = new Array<number>(fields.length * SIGNALS_PER_FIELD.length).fill(0);
      const seen = new Array<boolean>(fields.length).fill(false);
      for (const i of chunksOfEntry.get(entryId)!) {
        if (i === excludeChunk) continue;
        const f = fields.indexOf(chunks[i]!.field);
        if (f < 0) continue;
        const values = [
          dense[i]!,
          sparseDot(querySparse, sparse[i]!),
          ceiling > 0
            ? bm25Score(queryTokens, keyword.document(String(i))!, keyword.statistics) / ceiling
            : 0,
        ];
        values.forEach((value, s) => {
          const slot = f * SIGNALS_PER_FIELD.length + s;
          signals[slot] = seen[f] ? Math.max(signals[slot]!, value) : value;
        });
        seen[f] = true;
      }
      return { id: entryId, signals };
    });
  }

  return { fields, search };
}

/** Indices of the `count` largest values, best first. */
export function topIndices(values: Float64Array, count: number): number[] {
  const heap: number[] = []; // min-heap of indices by value
  const less = (a: number, b: number): boolean =>
    values[a]! < values[b]! || (values[a] === values[b] && a > b);
  for (let i = 0; i < values.length; i++) {
    if (heap.length < count) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0;) {
        const parent = (c - 1) >> 1;
        if (!less(heap[c]!, heap[parent]!)) break;
        [heap[c], heap[parent]] = [heap[parent]!, heap[c]!];
        c = parent;
      }
    } else if (less(heap[0]!, i)) {
      heap[0] = i;
      for (let c = 0; ;) {
        const left = 2 * c + 1;
        const right = left + 1;
        let smallest = c;
        if (left < heap.length && less(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && less(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === c) break;
        [heap[c], heap[smallest]] = [heap[smallest]!, heap[c]!];
        c = smallest;
      }
    }
  }
  return heap.sort((a, b) => (less(a, b) ? 1 : -1));
}
