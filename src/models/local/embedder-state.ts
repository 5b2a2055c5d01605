/**
 * The fitted state of the local embedder as JSON: typed arrays travel as base64 of their
 * (little-endian) bytes; a 16k-feature x 256-d projection is 22 MB of text as Float32,
 * 6 MB as Int8.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

export const serializedLocalEmbedderSchema = z.object({
  kind: z.literal('local-tfidf-svd'),
  version: z.literal(1),
  hashBits: z.number().int().min(8).max(30),
  dimension: z.number().int().positive(),
  wordWeight: z.number().nonnegative(),
  charWeight: z.number().nonnegative(),
  documentCount: z.number().int().nonnegative(),
  /** IDF given to buckets never seen while fitting (they count in the lexical norm only). */
  unseenIdf: z.number().nonnegative(),
  /** Every bucket seen while fitting, ascending (Int32). */
  buckets: base64,
  /** Inverse document frequency per bucket (Float32), parallel to `buckets`. */
  idf: base64,
  /** Buckets that have a row in the projection, ascending (Int32). */
  projectionBuckets: base64,
  /**
   * `projectionBuckets.length x dimension`, row-major: V Sigma^-power, then any whitening.
   * Float32, or Int8 with one Float32 scale per row in `projectionScales` (4x smaller).
   */
  projection: base64,
  /** Absent in states stored before Int8 existed: those are Float32. */
  projectionEncoding: z.enum(['float32', 'int8']).default('float32'),
  projectionScales: base64.optional(),
  /** Subtracted from the projected vector before the L2 norm (Float32, `dimension`). */
  mean: base64,
  singularValues: z.array(z.number()),
});

export type SerializedLocalEmbedder = z.infer<typeof serializedLocalEmbedderSchema>;
/** What may be stored: older states lack the fields that have defaults. */
export type StoredLocalEmbedder = z.input<typeof serializedLocalEmbedderSchema>;

export function encodeInt32(array: Int32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

export function encodeFloat32(array: Float32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

/** Rows of a row-major matrix as Int8 with a per-row scale (max |value| / 127). */
export function quantiseRows(
  matrix: Float32Array,
  width: number,
): { values: Int8Array; scales: Float32Array } {
  const rows = width > 0 ? matrix.length / width : 0;
  const values = new Int8Array(matrix.length);
  const scales = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    let max = 0;
    for (let j = 0; j < width; j++) max = Math.max(max, Math.abs(matrix[row * width + j]!));
    const scale = max / 127;
    scales[row] = scale;
    if (scale === 0) continue;
    for (let j = 0; j < width; j++)
      values[row * width + j] = Math.round(matrix[row * width + j]! / scale);
  }
  return { values, scales };
}

export function dequantiseRows(
  values: Int8Array,
  scales: Float32Array,
  width: number,
): Float32Array {
  // A loop per row: Float32Array.from with a mapping callback took about a second on 4M values.
  const matrix = new Float32Array(values.length);
  for (let row = 0, start = 0; start < values.length; row++, start += width) {
    const scale = scales[row]!;
    const end = Math.min(start + width, values.length);
    for (let i = start; i < end; i++) matrix[i] = values[i]! * scale;
  }
  return matrix;
}

export function encodeInt8(array: Int8Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

export function decodeInt8(text: string): Int8Array {
  const bytes = Buffer.from(text, 'base64');
  return new Int8Array(new Uint8Array(bytes).buffer);
}

export function decodeInt32(text: string): Int32Array {
  const bytes = Buffer.from(text, 'base64');
  // Copy into a fresh, aligned buffer (Buffer pools may start at odd offsets).
  return new Int32Array(new Uint8Array(bytes).buffer, 0, bytes.byteLength / 4);
}

export function decodeFloat32(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  return new Float32Array(new Uint8Array(bytes).buffer, 0, bytes.byteLength / 4);
}

/** Short content hash of a state: the `@...` suffix of the model name. */
export function stateFingerprint(state: SerializedLocalEmbedder): string {
  const hash = createHash('sha256');
  const {
    buckets,
    idf,
    projectionBuckets,
    projection,
    projectionScales,
    mean,
    projectionEncoding,
    ...settings
  } = state;
  // Float32 states hash as they did before the encoding existed, so their model name (and
  // the stored chunks' embedding_model) stays the same.
  hash.update(
    JSON.stringify(projectionEncoding === 'int8' ? { ...settings, projectionEncoding } : settings),
  );
  for (const part of [buckets, idf, projectionBuckets, projection, projectionScales ?? '', mean])
    hash.update(part);
  return hash.digest('hex').slice(0, 12);
}
