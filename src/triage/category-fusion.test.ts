import { describe, expect, it } from 'vitest';
import { fuseCategory } from './category-fusion.js';

const torn = [
  { label: 'logistics', probability: 0.45 },
  { label: 'order_change', probability: 0.4 },
  { label: 'refund', probability: 0.15 },
];

describe('fuseCategory', () => {
  it('keeps the classifier when no match is confident', () => {
    expect(
      fuseCategory(
        torn,
        { id: 'order_cancel', score: 0.3, category: 'order_change' },
        { minimumScore: 0.5 },
      ),
    ).toEqual({ label: 'logistics', confidence: 0.45 });
    expect(fuseCategory(torn, undefined, { minimumScore: 0.5 })).toEqual({
      label: 'logistics',
      confidence: 0.45,
    });
  });

  it('lets a confident match decide between close categories, and says so', () => {
    const fused = fuseCategory(
      torn,
      { id: 'order_cancel', score: 0.9, category: 'order_change' },
      { minimumScore: 0.5 },
    );
    expect(fused.label).toBe('order_change');
    expect(fused.confidence).toBeCloseTo((0.4 + 0.9) / 1.9);
    expect(fused.reason).toMatch(/order_cancel/);
  });

  it('does not overturn a confident classifier', () => {
    const sure = [
      { label: 'invoice', probability: 0.95 },
      { label: 'refund', probability: 0.05 },
    ];
    const fused = fuseCategory(
      sure,
      { id: 'refund_timeline', score: 0.6, category: 'refund' },
      { minimumScore: 0.5 },
    );
    expect(fused.label).toBe('invoice');
    expect(fused.reason).toBeUndefined();
  });
});
