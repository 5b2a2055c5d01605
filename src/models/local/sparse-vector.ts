/** Sparse vectors for bag-of-features text: parallel arrays of feature indices and values. */

export interface SparseVector {
  /** Feature indices, ascending. */
  indices: Int32Array;
  values: Float32Array;
}
