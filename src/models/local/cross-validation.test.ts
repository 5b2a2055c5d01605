import { describe, expect, it } from 'vitest';
import { stratifiedFolds } from './cross-validation.js';

describe('stratifiedFolds', () => {
  const targets = Int32Array.from({ length: 50 }, (_, index) => (index < 40 ? 0 : 1));

  it('spreads every label evenly over the folds', () => {
    const folds = stratifiedFolds(targets, 5, 1);
    for (let fold = 0; fold < 5; fold++) {
      const members = [...folds.keys()].filter((index) => folds[index] === fold);
      expect(members.filter((index) => targets[index] === 0)).toHaveLength(8);
      expect(members.filter((index) => targets[index] === 1)).toHaveLength(2);
    }
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(stratifiedFolds(targets, 5, 7)).toEqual(stratifiedFolds(targets, 5, 7));
    expect(stratifiedFolds(targets, 5, 7)).not.toEqual(stratifiedFolds(targets, 5, 8));
  });
});
