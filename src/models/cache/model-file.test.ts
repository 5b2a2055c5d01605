import { describe, expect, it } from 'vitest';
import { decodeModelFile, encodeModelFile, ModelFileError } from './model-file.js';

describe('model file', () => {
  it('gives back typed arrays bit for bit, with the JSON around them', () => {
    const value = {
      name: 'm',
      weights: Float32Array.from([0.1, -2.5e-8, 3.4028234663852886e38, -0]),
      bias: Float64Array.from([Math.PI, -1e-300, 0.1 + 0.2]),
      ids: Int32Array.from([-1, 0, 2 ** 31 - 1]),
      // An odd length before an 8-byte type: offsets must be aligned.
      bytes: Int8Array.from([1, -2, 3]),
      more: { nested: [Float64Array.from([1.5]), 'text'] },
      report: { error: NaN, limit: Infinity, low: -Infinity, plain: 0.25 },
    };
    const restored = decodeModelFile(encodeModelFile(value)) as typeof value;
    expect(restored.weights).toBeInstanceOf(Float32Array);
    expect([...restored.weights]).toEqual([...value.weights]);
    expect(Object.is(restored.weights[3], -0)).toBe(true);
    expect(restored.bias).toBeInstanceOf(Float64Array);
    expect([...restored.bias]).toEqual([...value.bias]);
    expect([...restored.ids]).toEqual([...value.ids]);
    expect([...restored.bytes]).toEqual([1, -2, 3]);
    expect(restored.more.nested[0]).toEqual(Float64Array.from([1.5]));
    expect(restored.more.nested[1]).toBe('text');
    expect(restored.report).toEqual(value.report);
    expect(restored.name).toBe('m');
  });

  it('reads arrays from bytes at any offset (copies where a view would be misaligned)', () => {
    const file = encodeModelFile({ bias: Float64Array.from([0.1, 2]), ids: Int32Array.from([7]) });
    const shifted = Buffer.concat([Buffer.alloc(3), file]).subarray(3);
    const restored = decodeModelFile(shifted) as { bias: Float64Array; ids: Int32Array };
    expect([...restored.bias]).toEqual([0.1, 2]);
    expect([...restored.ids]).toEqual([7]);
  });

  it('refuses what it did not write, and truncated files', () => {
    expect(() => decodeModelFile(Buffer.from('{"value":1}'))).toThrow(ModelFileError);
    const file = encodeModelFile({ weights: new Float32Array(1000) });
    expect(() => decodeModelFile(file.subarray(0, file.length - 8))).toThrow(/truncated/);
    expect(() => decodeModelFile(file.subarray(0, 14))).toThrow(/truncated/);
  });
});
