import { describe, expect, it } from 'vitest';
import type { AlertKey } from './alert-contract.js';
import { planAlerts, type SignificantKey } from './surge-grouping.js';
import type { SurgeJudgement } from './surge-test.js';

function key(kind: AlertKey['kind'], name: string, conversations: string[], pValue = 1e-6) {
  return {
    kind,
    key: name,
    judgement: { pValue } as SurgeJudgement,
    conversations: new Set(conversations),
  } satisfies SignificantKey;
}
const wave = Array.from({ length: 10 }, (_, index) => `c${index}`);

describe('planAlerts', () => {
  it('folds the keys of one wave into one alert named by the most specific key', () => {
    const plan = planAlerts(
      [
        key('category', 'logistics', [...wave, 'x1', 'x2'], 1e-9),
        key('entry', 'delayed_parcel', [...wave.slice(0, 8), 'x3']),
        key('carrier', 'sf-express', wave, 1e-7),
      ],
      [],
    );
    expect(plan.ongoing).toEqual([]);
    expect(plan.raised).toHaveLength(1);
    expect(plan.raised[0]!.main.key).toBe('sf-express');
    expect(plan.raised[0]!.related.map((related) => related.key)).toEqual([
      'delayed_parcel',
      'logistics',
    ]);
  });

  it('keeps two unrelated waves apart', () => {
    const plan = planAlerts(
      [key('carrier', 'sf-express', wave), key('category', 'invoice', ['i1', 'i2', 'i3', 'c1'])],
      [],
    );
    expect(plan.raised.map((raised) => raised.main.key)).toEqual(['sf-express', 'invoice']);
  });

  it('a key of an ongoing alert updates it instead of raising again, and new keys of the wave join it', () => {
    const plan = planAlerts(
      [key('carrier', 'sf-express', wave), key('category', 'logistics', [...wave, 'x'])],
      [{ id: 'a1', kind: 'carrier', key: 'sf-express', related: [] }],
    );
    expect(plan.raised).toEqual([]);
    expect(plan.ongoing).toEqual([
      {
        alertId: 'a1',
        keys: expect.any(Array),
        related: [{ kind: 'category', key: 'logistics' }],
      },
    ]);
  });

  it('a related key alone also counts as the same ongoing surge', () => {
    const plan = planAlerts(
      [key('category', 'logistics', wave)],
      [
        {
          id: 'a1',
          kind: 'carrier',
          key: 'sf-express',
          related: [{ kind: 'category', key: 'logistics' }],
        },
      ],
    );
    expect(plan.raised).toEqual([]);
    expect(plan.ongoing[0]!.alertId).toBe('a1');
    expect(plan.ongoing[0]!.related).toEqual([{ kind: 'category', key: 'logistics' }]);
  });
});
