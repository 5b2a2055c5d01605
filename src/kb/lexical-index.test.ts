import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModelCache } from '../models/cache/model-cache.js';
import { buildLexicalIndex, cachedLexicalIndex } from './lexical-index.js';

const chunks = [
  { entryId: 'refund', locale: 'en', kind: 'question', text: 'How long do refunds take?' },
  {
    entryId: 'refund',
    locale: 'en',
    kind: 'answer',
    text: 'Refunds reach your card within 3-5 working days.',
  },
  { entryId: 'refund', locale: 'zh', kind: 'question', text: '退款多久到账' },
  {
    entryId: 'tracking',
    locale: 'en',
    kind: 'question',
    text: 'Where is my parcel? How do I track it?',
  },
  { entryId: 'tracking', locale: 'zh', kind: 'question', text: '怎么查快递物流' },
];

describe('buildLexicalIndex', () => {
  const index = buildLexicalIndex(chunks);

  it('matches inflected words through character n-grams, best entry first', () => {
    const matches = index.search('my refund is taking long');
    expect([...matches.keys()][0]).toBe('refund');
    expect(matches.get('refund')!.question).toBeGreaterThan(0.2);
    expect(matches.get('refund')!.answer).toBeGreaterThan(0);
  });

  it('matches Chinese without a dictionary and keeps to the locale asked for', () => {
    const matches = index.search('快递到哪了，物流怎么查', { locale: 'zh' });
    expect([...matches.keys()][0]).toBe('tracking');
    expect(index.search('退款', { locale: 'en' }).has('refund')).toBe(false);
  });

  it('leaves out the chunk whose text is excluded (a paraphrase asked as a query)', () => {
    const matches = index.search('How long do refunds take?', {
      excludeText: 'How long do refunds take?',
    });
    expect(matches.get('refund')!.question).toBe(0);
    expect(matches.get('refund')!.answer).toBeGreaterThan(0);
  });
});

describe('cachedLexicalIndex', () => {
  it('loads an index that finds exactly what the built one finds, and rebuilds for other chunks', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lexical-index-cache-'));
    try {
      const cache = createModelCache(folder);
      const built = await cachedLexicalIndex(cache, chunks);
      const loaded = await cachedLexicalIndex(cache, chunks);
      expect(loaded.toJSON()).toEqual(built.toJSON());
      for (const query of ['my refund is taking long', '快递到哪了', 'track parcel', 'zzz', ''])
        for (const options of [{}, { locale: 'zh' }, { excludeText: chunks[0]!.text }])
          expect([...loaded.search(query, options)]).toEqual([...built.search(query, options)]);

      const changed = [
        ...chunks,
        { entryId: 'invoice', locale: 'en', kind: 'question', text: 'Can I get an invoice?' },
      ];
      const rebuilt = await cachedLexicalIndex(cache, changed);
      expect(rebuilt.search('invoice').has('invoice')).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
