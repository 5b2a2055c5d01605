/** The dot product of two sparse vectors (lexical cosine of the benchmarks' in-memory search). */
import type { SparseVector } from '../../src/models/local/sparse-vector.js';

export function sparseDot(a: SparseVector, b: SparseVector): number {
  // Both sorted by index: merge.
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const ai = a.indices[i]!;
    const bj = b.indices[j]!;
    if (ai === bj) sum += a.values[i++]! * b.values[j++]!;
    else if (ai < bj) i++;
    else j++;
  }
  return sum;
}
