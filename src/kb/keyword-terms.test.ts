import { describe, expect, it } from 'vitest';
import { candidateTerms } from './keyword-terms.js';

const frequencies: Record<string, number> = {
  rare: 3,
  parcel: 900,
  courier: 1500,
  refund: 2500,
  the: 90_000,
  is: 80_000,
  a: 85_000,
  missing: 0,
};
const frequency = (term: string) => frequencies[term] ?? 0;

describe('candidateTerms', () => {
  it('takes the selective terms rarest first, leaving out absent and common ones', () => {
    expect(
      candidateTerms(['the', 'refund', 'rare', 'missing', 'parcel'], frequency, 1_000_000),
    ).toEqual(['rare', 'parcel', 'refund']);
  });

  it('stops once the chosen terms hold the budget of chunks (the crossing term is kept)', () => {
    // rare (3) + parcel (900) = 903 < 1000, so courier is still taken; refund is not.
    expect(
      candidateTerms(['refund', 'courier', 'parcel', 'rare'], frequency, 1_000_000, 1000),
    ).toEqual(['rare', 'parcel', 'courier']);
  });

  it('falls back to the three rarest terms when all are common', () => {
    expect(candidateTerms(['the', 'is', 'a', 'refund'], frequency, 10_000)).toEqual([
      'refund',
      'is',
      'a',
    ]);
  });

  it('finds nothing to search for when no term occurs', () => {
    expect(candidateTerms(['missing', 'unknown'], frequency, 100)).toEqual([]);
  });
});
