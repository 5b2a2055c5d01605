import { describe, expect, it } from 'vitest';
import { trainTextClassifier } from '../models/local/text-classifier.js';
import { detectMultipleIssues, splitIssues } from './multiple-issues.js';

describe('splitIssues', () => {
  it('splits at question marks and at words that open a second topic', () => {
    expect(splitIssues('保修多久？还有发票怎么开？')).toEqual(['保修多久？', '发票怎么开？']);
    expect(splitIssues('how long is the warranty, and also can i pay with wechat?')).toEqual([
      'how long is the warranty,',
      'can i pay with wechat?',
    ]);
    expect(splitIssues('快递三天了还没到')).toEqual(['快递三天了还没到']);
  });
});

describe('detectMultipleIssues', () => {
  const classifier = trainTextClassifier(
    [
      ...[
        '保修多久',
        '保修期是多久',
        '坏了能保修吗',
        'how long is the warranty',
        'is it under warranty',
        'warranty period?',
      ].map((text) => ({ text, label: 'warranty' })),
      ...[
        '发票怎么开',
        '能开发票吗',
        '发票开错了',
        'how do i get an invoice',
        'need an invoice',
        'invoice please',
      ].map((text) => ({ text, label: 'invoice' })),
    ],
    { seed: 3 },
  );

  it('flags two confident parts in different categories', async () => {
    const result = await detectMultipleIssues('保修多久？还有发票怎么开？', classifier, 0.5);
    expect(result.flagged).toBe(true);
    expect(result.categories.sort()).toEqual(['invoice', 'warranty']);
  });

  it('does not flag two parts about the same thing, or one part', async () => {
    expect((await detectMultipleIssues('保修多久？坏了能保修吗？', classifier, 0.5)).flagged).toBe(
      false,
    );
    expect((await detectMultipleIssues('发票怎么开', classifier, 0.5)).flagged).toBe(false);
    expect(
      (await detectMultipleIssues('发票怎么开？我的保修卡在这里。', classifier, 0.5)).flagged,
    ).toBe(false);
  });
});
