import { describe, expect, it } from 'vitest';
import { createRandom } from './random.js';
import { randomizedSvd, symmetricEigen, transposeCsr, type CsrMatrix } from './embedder-svd.js';

function randomSparse(rows: number, columns: number, density: number, seed: number): CsrMatrix {
  const random = createRandom(seed);
  const rowPointers = new Int32Array(rows + 1);
  const columnIndices: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      if (random() < density) {
        columnIndices.push(c);
        values.push(random() - 0.3);
      }
    }
    rowPointers[r + 1] = columnIndices.length;
  }
  return {
    rows,
    columns,
    rowPointers,
    columnIndices: Int32Array.from(columnIndices),
    values: Float64Array.from(values),
  };
}

/** Exact singular values from the eigenvalues of A^T A. */
function exactSingularValues(matrix: CsrMatrix): number[] {
  const n = matrix.columns;
  const gram = new Float64Array(n * n);
  for (let r = 0; r < matrix.rows; r++) {
    for (let a = matrix.rowPointers[r]!; a < matrix.rowPointers[r + 1]!; a++) {
      for (let b = matrix.rowPointers[r]!; b < matrix.rowPointers[r + 1]!; b++) {
        const index = matrix.columnIndices[a]! * n + matrix.columnIndices[b]!;
        gram[index] = gram[index]! + matrix.values[a]! * matrix.values[b]!;
      }
    }
  }
  return Array.from(symmetricEigen(gram, n).values, (value) => Math.sqrt(Math.max(value, 0)));
}

function rightVectorsAreOrthonormal(right: Float64Array, rows: number, rank: number): number {
  let worst = 0;
  for (let a = 0; a < rank; a++) {
    for (let b = a; b < rank; b++) {
      let sum = 0;
      for (let i = 0; i < rows; i++) sum += right[i * rank + a]! * right[i * rank + b]!;
      worst = Math.max(worst, Math.abs(sum - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

describe('randomizedSvd', () => {
  it.each([
    ['wide (more columns than rows)', 40, 70],
    ['tall (more rows than columns)', 90, 50],
  ])('finds the singular values of a %s matrix', (_, rows, columns) => {
    const matrix = randomSparse(rows, columns, 0.2, 3);
    const exact = exactSingularValues(matrix);
    // With as many random directions as the short side, the subspace is exact.
    const full = randomizedSvd(matrix, 8, { oversample: 100, seed: 2 });
    for (let j = 0; j < 8; j++) expect(full.singularValues[j]!).toBeCloseTo(exact[j]!, 8);
    expect(rightVectorsAreOrthonormal(full.right, columns, 8)).toBeLessThan(1e-8);
    // With the default sketch, the leading values are still accurate.
    const sketched = randomizedSvd(matrix, 8, { powerIterations: 3, seed: 2 });
    for (let j = 0; j < 3; j++)
      expect(Math.abs(sketched.singularValues[j]! / exact[j]! - 1)).toBeLessThan(1e-3);
    expect(rightVectorsAreOrthonormal(sketched.right, columns, 8)).toBeLessThan(1e-6);
  });

  it('returns right singular vectors: A v = sigma u with |A v| = sigma', () => {
    const matrix = randomSparse(60, 45, 0.25, 9);
    const svd = randomizedSvd(matrix, 5, { powerIterations: 3 });
    for (let j = 0; j < 5; j++) {
      let squared = 0;
      for (let r = 0; r < matrix.rows; r++) {
        let sum = 0;
        for (let k = matrix.rowPointers[r]!; k < matrix.rowPointers[r + 1]!; k++) {
          sum += matrix.values[k]! * svd.right[matrix.columnIndices[k]! * 5 + j]!;
        }
        squared += sum * sum;
      }
      expect(Math.sqrt(squared)).toBeCloseTo(svd.singularValues[j]!, 4);
    }
  });

  it('pads with zeros when the matrix has lower rank than asked', () => {
    const matrix = randomSparse(4, 30, 0.5, 5);
    const svd = randomizedSvd(matrix, 10);
    expect(Array.from(svd.singularValues.slice(4))).toEqual(new Array(6).fill(0));
    expect(svd.singularValues[3]!).toBeGreaterThan(0);
    expect(svd.right.length).toBe(30 * 10);
    for (let i = 0; i < 30; i++) expect(svd.right[i * 10 + 7]).toBe(0);
  });

  it('transposes CSR matrices losslessly', () => {
    const matrix = randomSparse(7, 11, 0.3, 4);
    const twice = transposeCsr(transposeCsr(matrix));
    expect(Array.from(twice.rowPointers)).toEqual(Array.from(matrix.rowPointers));
    expect(Array.from(twice.columnIndices)).toEqual(Array.from(matrix.columnIndices));
    expect(Array.from(twice.values)).toEqual(Array.from(matrix.values));
  });
});
