import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTaxonomy, thresholdsFor } from '../triage/taxonomy.js';
import type { CaseResult } from './report/report.js';
import { parseSuite } from './suite.js';
import { compareWithReference, outcomeOf } from './variant-comparison.js';
import { parseVariantArgument, variantEnvironment, withThresholds } from './variants.js';

const taxonomy = () =>
  parseTaxonomy(`
version: 1
defaults: { thresholds: { classifier: 0.5, retrieval: 0.55 } }
categories:
  - key: logistics
    name: { en: Logistics }
    description: { en: parcels }
    autoReply: always
    sla: { firstResponseMinutes: 5, resolutionHours: 24 }
    thresholds: { retrieval: 0.6 }
    examples: { questions: [where is my parcel, when does it ship] }
  - key: refund
    name: { en: Refund }
    description: { en: money back }
    autoReply: questions
    sla: { firstResponseMinutes: 5, resolutionHours: 24 }
    examples: { questions: [how long is a refund, refund to card] }
`);

describe('--variant arguments', () => {
  it('reads a name and dotted key=value settings, coercing numbers and resolving the prompts folder', () => {
    const variant = parseVariantArgument(
      'strict:retrievalThreshold=0.7,categoryThresholds.refund.retrieval=0.8,prompts=p2,env.OPENAI_TIMEOUT_MS=30000',
      '/work',
    );
    expect(variant).toEqual({
      name: 'strict',
      retrievalThreshold: 0.7,
      categoryThresholds: { refund: { retrieval: 0.8 } },
      prompts: '/work/p2',
      env: { OPENAI_TIMEOUT_MS: '30000' },
    });
    expect(parseVariantArgument('baseline', '/work')).toEqual({ name: 'baseline' });
    expect(
      variantEnvironment(
        parseVariantArgument('x:provider=cascade,model=gpt-4o,prompts=/p', '/'),
        '/elsewhere',
      ),
    ).toEqual({
      MODEL_PROVIDER: 'cascade',
      OPENAI_CHAT_MODEL: 'gpt-4o',
      PROMPTS_DIR: '/p',
    });
  });

  it('names what is wrong', () => {
    expect(() => parseVariantArgument('x:retrievalThreshold=high', '/')).toThrow(
      /--variant x:retrievalThreshold=high: retrievalThreshold: must be a number/,
    );
    expect(() => parseVariantArgument('x:temperature=1', '/')).toThrow(
      /temperature: unknown field|Unrecognized key/,
    );
    expect(() => parseVariantArgument('x:provider=anthropic', '/')).toThrow(
      /provider: must be local, openai or cascade/,
    );
    expect(() => parseVariantArgument('x:env.DATABASE_URL=postgres://x', '/')).toThrow(
      /DATABASE_URL: is not a setting a variant may change/,
    );
    expect(() => parseVariantArgument('x:model', '/')).toThrow(/"model" is not key=value/);
    expect(() => parseVariantArgument('bad name:model=a', '/')).toThrow(/name: must be letters/);
  });
});

describe('suite variants', () => {
  it('are read from the suite file, with unique names, only for suites that run through the service', () => {
    const suite = parseSuite(
      'name: t\nkind: triage\ncasesFile: t.jsonl\nvariants:\n  - name: a\n  - name: b\n    retrievalThreshold: 0.7\n',
      'evals/t.yaml',
    );
    expect(suite.variants).toEqual([{ name: 'a' }, { name: 'b', retrievalThreshold: 0.7 }]);
    expect(() =>
      parseSuite(
        'name: t\nkind: triage\ncasesFile: t.jsonl\nvariants: [{name: a}, {name: a}]\n',
        'evals/t.yaml',
      ),
    ).toThrow(/variants.1.name: a occurs twice/);
    expect(() =>
      parseSuite(
        'name: t\nkind: classification\ntrain: [{text: a, label: x}, {text: b, label: y}]\ncases: [{text: a, label: x}]\nvariants: [{name: a}]\n',
        'evals/t.yaml',
      ),
    ).toThrow(/variants: change the service/);
  });
});

describe('withThresholds', () => {
  it('sets every category (or one) for the duration of the work, then restores the taxonomy', async () => {
    const current = taxonomy();
    const before = structuredClone(current);
    const seen = await withThresholds(
      current,
      { name: 'v', retrievalThreshold: 0.9, categoryThresholds: { refund: { classifier: 0.7 } } },
      async () => ({
        logistics: thresholdsFor(current, 'logistics'),
        refund: thresholdsFor(current, 'refund'),
        none: thresholdsFor(current, null),
      }),
    );
    expect(seen).toEqual({
      logistics: { classifier: 0.5, retrieval: 0.9 },
      refund: { classifier: 0.7, retrieval: 0.9 },
      none: { classifier: 0.5, retrieval: 0.9 },
    });
    expect(current).toEqual(before);
  });

  it('restores after a failure and refuses an unknown category', async () => {
    const current = taxonomy();
    const before = structuredClone(current);
    await expect(
      withThresholds(current, { name: 'v', retrievalThreshold: 0.1 }, async () =>
        Promise.reject(new Error('boom')),
      ),
    ).rejects.toThrow('boom');
    expect(current).toEqual(before);
    await expect(
      withThresholds(
        current,
        { name: 'v', categoryThresholds: { shipping: { retrieval: 0.5 } } },
        async () => 1,
      ),
    ).rejects.toThrow(
      /categoryThresholds.shipping: no such category \(the taxonomy has logistics, refund\)/,
    );
  });
});

describe('compareWithReference', () => {
  const result = (id: string, pass: boolean, action: string, citations: string[]): CaseResult => ({
    id,
    text: `text ${id}`,
    pass,
    expected: {},
    actual: { category: 'logistics', action, urgency: 'low', citations },
    failures: pass ? [] : ['wrong'],
  });
  it('gives the change per metric and the cases that flipped or ended differently, flips first', () => {
    const reference = {
      metrics: {
        autoReplyCoverage: 0.6,
        autoReplyPrecision: 0.9,
        confusion: { labels: [], matrix: [] },
      },
      cases: [
        result('a', true, 'auto_reply', ['shipping_time']),
        result('b', false, 'handoff', []),
        result('c', true, 'handoff', []),
        result('d', false, 'handoff', []),
      ],
    };
    const variant = {
      metrics: { autoReplyCoverage: 0.4, autoReplyPrecision: 1 },
      cases: [
        result('a', false, 'handoff', []),
        result('b', true, 'auto_reply', ['tracking_howto']),
        result('c', true, 'handoff', []),
        result('d', false, 'auto_reply', ['lost_parcel']),
      ],
    };
    const comparison = compareWithReference(reference, variant);
    expect(comparison.deltas.autoReplyCoverage).toBeCloseTo(-0.2);
    expect(comparison.deltas.autoReplyPrecision).toBeCloseTo(0.1);
    expect(comparison.newlyFailing).toEqual(['a']);
    expect(comparison.newlyPassing).toEqual(['b']);
    expect(comparison.changedCases.map((item) => item.id)).toEqual(['a', 'b', 'd']);
    expect(comparison.changedCases[0]).toMatchObject({
      reference: { pass: true, outcome: 'logistics · auto_reply · low · cites shipping_time' },
      variant: {
        pass: false,
        outcome: 'logistics · handoff · low · cites nothing',
        failures: ['wrong'],
      },
    });
  });

  it('describes classification and retrieval outcomes too', () => {
    expect(outcomeOf({ label: 'refund', confidence: 0.8 })).toBe('refund');
    expect(outcomeOf({ top: [{ id: 'faq_1', score: 0.9 }], firstRelevantRank: null })).toBe(
      'top faq_1 · relevant at none',
    );
  });
});

// The example suites are documentation: they must parse.
describe('example suites', () => {
  it('parse', async () => {
    const { loadSuite } = await import('./suite.js');
    for (const name of ['variants', 'feedback', 'promptfoo'])
      await expect(
        loadSuite(join(import.meta.dirname, '../../evals/examples', `${name}.yaml`)),
      ).resolves.toBeTruthy();
  });
});
