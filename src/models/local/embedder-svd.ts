/**
 * Truncated SVD of a sparse matrix by randomized subspace iteration (Halko, Martinsson and
 * Tropp 2011, algorithms 4.4 and 5.1), on typed arrays. Dense matrices are row-major
 * Float64Arrays; the sparse one is CSR.
 */
import { createRandom } from './random.js';

export interface CsrMatrix {
  rows: number;
  columns: number;
  rowPointers: Int32Array;
  columnIndices: Int32Array;
  values: Float64Array;
}

export interface SvdOptions {
  /** Extra random directions beyond the rank asked for. Default 10. */
  oversample?: number;
  /** Power iterations: each one sharpens the subspace for slowly decaying spectra. Default 2. */
  powerIterations?: number;
  seed?: number;
}

export interface TruncatedSvd {
  /** Descending; zeros where the matrix has lower rank than asked. */
  singularValues: Float64Array;
  /** Right singular vectors, `columns x rank`, row-major. */
  right: Float64Array;
  rank: number;
}

/** Top `rank` singular values and right singular vectors of `matrix`. */
export function randomizedSvd(
  matrix: CsrMatrix,
  rank: number,
  options: SvdOptions = {},
): TruncatedSvd {
  // Orthonormalisation costs (rows x width^2): iterate on the shorter side.
  const transposed = matrix.rows > matrix.columns;
  const a = transposed ? transposeCsr(matrix) : matrix;
  const width = Math.min(rank + (options.oversample ?? 10), a.rows, a.columns);
  const random = createRandom(options.seed ?? 1);

  // Start from A A^T G rather than A Omega: the Gaussian lives on the short side.
  let q = gaussianMatrix(a.rows, width, random);
  for (let i = 0; i <= (options.powerIterations ?? 2); i++) {
    q = multiplyCsr(a, multiplyCsrTransposed(a, q, width), width);
    orthonormaliseColumns(q, a.rows, width);
  }
  // Rayleigh-Ritz on span(Q): S = Q^T A A^T Q = B B^T with B = Q^T A; S = W Lambda W^T.
  const z = multiplyCsrTransposed(a, q, width);
  const s = crossProduct(q, multiplyCsr(a, z, width), a.rows, width);
  const { values, vectors } = symmetricEigen(s, width);

  const take = Math.min(rank, width);
  const singularValues = new Float64Array(rank);
  const tolerance = 1e-10 * Math.sqrt(Math.max(values[0] ?? 0, 0));
  for (let j = 0; j < take; j++) {
    const sigma = Math.sqrt(Math.max(values[j]!, 0));
    if (sigma > tolerance) singularValues[j] = sigma;
  }
  // Left singular vectors of A are Q W. On the transpose they are the answer; otherwise
  // the right ones are A^T Q W Sigma^-1, cheaper through the sparse matrix than through Z.
  const scale = singularValues.map((sigma) => (sigma > 0 ? 1 : 0));
  const left = multiplyDense(q, a.rows, width, vectors, take, rank, scale);
  let right = left;
  if (!transposed) {
    for (let j = 0; j < rank; j++) scale[j] = singularValues[j]! > 0 ? 1 / singularValues[j]! : 0;
    right = multiplyCsrTransposed(a, left, rank);
    for (let i = 0; i < right.length; i++) right[i] = right[i]! * scale[i % rank]!;
  }
  return { singularValues, right, rank };
}

export function transposeCsr(matrix: CsrMatrix): CsrMatrix {
  const counts = new Int32Array(matrix.columns + 1);
  for (let k = 0; k < matrix.columnIndices.length; k++)
    counts[matrix.columnIndices[k]! + 1] = counts[matrix.columnIndices[k]! + 1]! + 1;
  for (let c = 0; c < matrix.columns; c++) counts[c + 1] = counts[c + 1]! + counts[c]!;
  const rowPointers = counts.slice();
  const columnIndices = new Int32Array(matrix.columnIndices.length);
  const values = new Float64Array(matrix.values.length);
  const next = counts.slice(0, matrix.columns);
  for (let r = 0; r < matrix.rows; r++) {
    for (let k = matrix.rowPointers[r]!; k < matrix.rowPointers[r + 1]!; k++) {
      const column = matrix.columnIndices[k]!;
      const position = next[column]!;
      next[column] = position + 1;
      columnIndices[position] = r;
      values[position] = matrix.values[k]!;
    }
  }
  return { rows: matrix.columns, columns: matrix.rows, rowPointers, columnIndices, values };
}

/** A (rows x columns) times M (columns x width). */
export function multiplyCsr(a: CsrMatrix, m: Float64Array, width: number): Float64Array {
  const out = new Float64Array(a.rows * width);
  for (let r = 0; r < a.rows; r++) {
    const base = r * width;
    for (let k = a.rowPointers[r]!; k < a.rowPointers[r + 1]!; k++) {
      const value = a.values[k]!;
      const source = a.columnIndices[k]! * width;
      axpy(out, base, value, m, source, width);
    }
  }
  return out;
}

/** A^T (columns x rows) times M (rows x width). */
export function multiplyCsrTransposed(a: CsrMatrix, m: Float64Array, width: number): Float64Array {
  const out = new Float64Array(a.columns * width);
  for (let r = 0; r < a.rows; r++) {
    const source = r * width;
    for (let k = a.rowPointers[r]!; k < a.rowPointers[r + 1]!; k++) {
      const value = a.values[k]!;
      const target = a.columnIndices[k]! * width;
      axpy(out, target, value, m, source, width);
    }
  }
  return out;
}

/**
 * Cholesky QR in place: Q = Y R^-1 with R^T R = Y^T Y, repeated once when Y is badly
 * conditioned (CholeskyQR2). Columns that are numerically dependent become zero.
 */
export function orthonormaliseColumns(y: Float64Array, rows: number, width: number): void {
  for (let pass = 0; pass < 2; pass++) {
    const r = gramMatrix(y, rows, width);
    let maxDiagonal = 0;
    for (let j = 0; j < width; j++) maxDiagonal = Math.max(maxDiagonal, r[j * width + j]!);
    let minPivot = Infinity;
    let maxPivot = 0;
    // Upper Cholesky factor in place; a dead column gets a zero row in R^-1.
    const inverseDiagonal = new Float64Array(width);
    for (let j = 0; j < width; j++) {
      let diagonal = r[j * width + j]!;
      for (let i = 0; i < j; i++) diagonal -= r[i * width + j]! ** 2;
      if (diagonal <= 1e-13 * maxDiagonal) {
        for (let c = j; c < width; c++) r[j * width + c] = 0;
        continue;
      }
      const pivot = Math.sqrt(diagonal);
      minPivot = Math.min(minPivot, pivot);
      maxPivot = Math.max(maxPivot, pivot);
      r[j * width + j] = pivot;
      inverseDiagonal[j] = 1 / pivot;
      for (let c = j + 1; c < width; c++) {
        let sum = r[j * width + c]!;
        for (let i = 0; i < j; i++) sum -= r[i * width + j]! * r[i * width + c]!;
        r[j * width + c] = sum / pivot;
      }
    }
    // Row by row, solve q R = y by forward substitution along the rows of R.
    for (let row = 0; row < rows; row++) {
      const base = row * width;
      for (let j = 0; j < width; j++) {
        const value = y[base + j]! * inverseDiagonal[j]!;
        y[base + j] = value;
        if (value !== 0) axpy(y, base + j + 1, -value, r, j * width + j + 1, width - j - 1);
      }
    }
    if (maxPivot / minPivot < 1e4) return;
  }
}

/** Y^T Y for Y (rows x width), full symmetric result. */
export function gramMatrix(y: Float64Array, rows: number, width: number): Float64Array {
  const gram = new Float64Array(width * width);
  for (let row = 0; row < rows; row++) {
    const base = row * width;
    for (let a = 0; a < width; a++) {
      const value = y[base + a]!;
      if (value === 0) continue;
      const target = a * width;
      axpy(gram, target + a, value, y, base + a, width - a);
    }
  }
  for (let a = 0; a < width; a++) {
    for (let b = a + 1; b < width; b++) gram[b * width + a] = gram[a * width + b]!;
  }
  return gram;
}

/** X^T Y for X, Y (rows x width), symmetrised (the caller knows the product is symmetric). */
function crossProduct(x: Float64Array, y: Float64Array, rows: number, width: number): Float64Array {
  const out = new Float64Array(width * width);
  for (let row = 0; row < rows; row++) {
    const base = row * width;
    for (let a = 0; a < width; a++) {
      const value = x[base + a]!;
      if (value === 0) continue;
      const target = a * width;
      axpy(out, target, value, y, base, width);
    }
  }
  for (let a = 0; a < width; a++) {
    for (let b = a + 1; b < width; b++) {
      const mean = (out[a * width + b]! + out[b * width + a]!) / 2;
      out[a * width + b] = mean;
      out[b * width + a] = mean;
    }
  }
  return out;
}

/**
 * (rows x inner) times the first `take` columns of W (inner x inner), scaled per column,
 * into a (rows x outWidth) matrix; columns beyond `take` stay zero.
 */
function multiplyDense(
  left: Float64Array,
  rows: number,
  inner: number,
  w: Float64Array,
  take: number,
  outWidth: number,
  columnScale: Float64Array,
): Float64Array {
  const out = new Float64Array(rows * outWidth);
  for (let row = 0; row < rows; row++) {
    for (let i = 0; i < inner; i++) {
      const value = left[row * inner + i]!;
      if (value === 0) continue;
      axpy(out, row * outWidth, value, w, i * inner, take);
    }
    for (let j = 0; j < take; j++)
      out[row * outWidth + j] = out[row * outWidth + j]! * columnScale[j]!;
  }
  return out;
}

/** Eigenvalues (descending) and eigenvectors (columns of a row-major matrix) by cyclic Jacobi. */
export function symmetricEigen(
  matrix: Float64Array,
  size: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = matrix.slice();
  const v = new Float64Array(size * size);
  for (let i = 0; i < size; i++) v[i * size + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let offDiagonal = 0;
    let diagonal = 0;
    for (let p = 0; p < size; p++) {
      diagonal += a[p * size + p]! ** 2;
      for (let q = p + 1; q < size; q++) offDiagonal += a[p * size + q]! ** 2;
    }
    if (offDiagonal <= 1e-22 * diagonal || offDiagonal === 0) break;
    for (let p = 0; p < size - 1; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * size + q]! - a[p * size + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p]!;
          const akq = a[k * size + q]!;
          a[k * size + p] = c * akp - s * akq;
          a[k * size + q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k]!;
          const aqk = a[q * size + k]!;
          a[p * size + k] = c * apk - s * aqk;
          a[q * size + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k * size + p]!;
          const vkq = v[k * size + q]!;
          v[k * size + p] = c * vkp - s * vkq;
          v[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort(
    (x, y) => a[y * size + y]! - a[x * size + x]!,
  );
  const values = new Float64Array(size);
  const vectors = new Float64Array(size * size);
  order.forEach((source, target) => {
    values[target] = a[source * size + source]!;
    for (let k = 0; k < size; k++) vectors[k * size + target] = v[k * size + source]!;
  });
  return { values, vectors };
}

function gaussianMatrix(rows: number, columns: number, random: () => number): Float64Array {
  const out = new Float64Array(rows * columns);
  for (let i = 0; i < out.length; i += 2) {
    // Box-Muller; 1 - random() keeps the logarithm finite.
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < out.length) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** out[o..o+length) += value * source[s..s+length), unrolled: this loop is the whole fit. */
function axpy(
  out: Float64Array,
  outOffset: number,
  value: number,
  source: Float64Array,
  sourceOffset: number,
  length: number,
): void {
  let j = 0;
  for (; j + 3 < length; j += 4) {
    out[outOffset + j] = out[outOffset + j]! + value * source[sourceOffset + j]!;
    out[outOffset + j + 1] = out[outOffset + j + 1]! + value * source[sourceOffset + j + 1]!;
    out[outOffset + j + 2] = out[outOffset + j + 2]! + value * source[sourceOffset + j + 2]!;
    out[outOffset + j + 3] = out[outOffset + j + 3]! + value * source[sourceOffset + j + 3]!;
  }
  for (; j < length; j++)
    out[outOffset + j] = out[outOffset + j]! + value * source[sourceOffset + j]!;
}
