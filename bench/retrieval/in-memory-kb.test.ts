import { describe, expect, it } from 'vitest';
import { fitLocalEmbedder } from '../../src/models/local/embedder.js';
import { buildInMemoryKb, topIndices, type KbChunk } from './in-memory-kb.js';

const chunks: KbChunk[] = [
  { entryId: 'refund', field: 'question', text: '退款什么时候到账' },
  { entryId: 'refund', field: 'question', text: '退款多久能到账' },
  { entryId: 'refund', field: 'answer', text: '退款审核通过后原路退回，一般1-3个工作日到账。' },
  { entryId: 'invoice', field: 'question', text: '怎么开发票' },
  { entryId: 'invoice', field: 'answer', text: '在订单详情页点击申请发票即可。' },
  { entryId: 'parcel', field: 'question', text: '快递到哪里了' },
];

describe('buildInMemoryKb', () => {
  const embedder = fitLocalEmbedder(
    chunks.map((chunk) => chunk.text),
    { dimension: 8 },
  );
  const kb = buildInMemoryKb(chunks, embedder, {
    fields: ['question', 'answer'],
    candidateChunks: 3,
  });

  it('returns entries with per-field dense, lexical and keyword signals', () => {
    const results = kb.search('退款多久到账');
    const refund = results.find((result) => result.id === 'refund')!;
    expect(refund.signals).toHaveLength(6);
    const best = (slot: number) => Math.max(...results.map((result) => result.signals[slot]!));
    for (const slot of [0, 1, 2]) expect(refund.signals[slot]).toBe(best(slot));
    // An entry without that field keeps zeros there.
    const parcel = results.find((result) => result.id === 'parcel');
    if (parcel) expect(parcel.signals.slice(3)).toEqual([0, 0, 0]);
  });

  it('leaves out the excluded chunk, as leave-one-out needs', () => {
    const withSelf = kb.search('退款多久能到账').find((result) => result.id === 'refund')!;
    const without = kb
      .search('退款多久能到账', { excludeChunk: 1 })
      .find((result) => result.id === 'refund')!;
    expect(withSelf.signals[1]).toBeCloseTo(1, 5);
    expect(without.signals[1]).toBeLessThan(0.9);
  });

  it('selects the largest values, best first', () => {
    expect(topIndices(Float64Array.from([0.2, 0.9, -1, 0.5, 0.9]), 3)).toEqual([1, 4, 3]);
  });
});
