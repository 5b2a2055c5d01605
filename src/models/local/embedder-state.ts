/**
 * The fitted state of the local embedder as JSON: typed arrays travel as base64 of their
 * little-endian bytes, so a 20k-feature x 256-d projection is ~27 MB of text, not ~100 MB.
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
  /** `projectionBuckets.length x dimension` (Float32, row-major): V Sigma^-power, then any whitening. */
  projection: base64,
  /** Subtracted from the projected vector before the L2 norm (Float32, `dimension`). */
  mean: base64,
  singularValues: z.array(z.number()),
});

export type SerializedLocalEmbedder = z.infer<typeof serializedLocalEmbedderSchema>;

export function encodeInt32(array: Int32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

export function encodeFloat32(array: Float32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
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
  const { buckets, idf, projectionBuckets, projection, mean, ...settings } = state;
  hash.update(JSON.stringify(settings));
  for (const part of [buckets, idf, projectionBuckets, projection, mean]) hash.update(part);
  return hash.digest('hex').slice(0, 12);
}
