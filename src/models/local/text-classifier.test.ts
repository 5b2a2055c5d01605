import { describe, expect, it } from 'vitest';
import { trainTextClassifier, type TrainingExample } from './text-classifier.js';

function examples(byLabel: Record<string, string[]>): TrainingExample[] {
  return Object.entries(byLabel).flatMap(([label, texts]) =>
    texts.map((text) => ({ text, label })),
  );
}

const afterSales = examples({
  logistics: [
    'where is my parcel',
    'my package has not arrived yet',
    'when will my order be delivered',
    'the courier has not delivered my parcel',
    'tracking number shows no update for my package',
    'parcel delivery is late',
    '快递三天了还没到',
    '我的包裹到哪里了',
    '物流一直没有更新',
    '快递什么时候能送到',
  ],
  refund: [
    'when will i get my refund',
    'i want my money back',
    'refund has not reached my account',
    'how long does a refund take',
    'please refund my payment',
    'cancel and refund the money',
    '退款什么时候到账',
    '我要退款',
    '钱还没有退回来',
    '申请退款多久能到',
  ],
  invoice: [
    'how do i get an invoice',
    'please send me a vat invoice',
    'i need a receipt for my order',
    'can you issue an invoice with my company name',
    'invoice for tax purposes',
    'where can i download the invoice',
    '怎么开发票',
    '我需要增值税发票',
    '发票抬头写错了',
    '能开公司发票吗',
  ],
});

describe('trainTextClassifier', () => {
  const classifier = trainTextClassifier(afterSales, { seed: 3 });

  it('learns a small after-sales taxonomy in English and Chinese', () => {
    expect([...classifier.labels].sort()).toEqual(['invoice', 'logistics', 'refund']);
    expect(classifier.predict('my parcel is still not delivered')[0]!.label).toBe('logistics');
    expect(classifier.predict('how long until the refund arrives')[0]!.label).toBe('refund');
    expect(classifier.predict('send the invoice to my email')[0]!.label).toBe('invoice');
  });

  it('uses Chinese character n-grams (no spaces in the text)', () => {
    expect(classifier.predict('包裹还没送到')[0]!.label).toBe('logistics');
    expect(classifier.predict('退款到账了吗')[0]!.label).toBe('refund');
    expect(classifier.predict('发票怎么开')[0]!.label).toBe('invoice');
  });

  it('classifies Chinese mixed with English', () => {
    expect(classifier.predict('我的parcel还没到')[0]!.label).toBe('logistics');
    expect(classifier.predict('refund 什么时候到账')[0]!.label).toBe('refund');
  });

  it('returns every label with probabilities that sum to 1, best first', () => {
    const ranking = classifier.predict('refund please');
    expect(ranking).toHaveLength(3);
    const total = ranking.reduce((sum, score) => sum + score.probability, 0);
    expect(total).toBeCloseTo(1, 10);
    for (let i = 1; i < ranking.length; i++) {
      expect(ranking[i - 1]!.probability).toBeGreaterThanOrEqual(ranking[i]!.probability);
    }
  });

  it('reports a positive temperature and calibration errors within [0, 1]', () => {
    const { temperature, calibrationErrorBefore, calibrationErrorAfter, folds, examples } =
      classifier.training;
    expect(temperature).toBeGreaterThan(0);
    expect(folds).toBe(5);
    expect(examples).toBe(afterSales.length);
    for (const error of [calibrationErrorBefore, calibrationErrorAfter]) {
      expect(error).toBeGreaterThanOrEqual(0);
      expect(error).toBeLessThanOrEqual(1);
    }
  });

  it('is deterministic for a seed', () => {
    const again = trainTextClassifier(afterSales, { seed: 3 });
    for (const text of ['where is my refund', '发票', 'hello there']) {
      expect(again.predict(text)).toEqual(classifier.predict(text));
    }
    expect(again.outOfScopeThreshold).toBe(classifier.outOfScopeThreshold);
  });

  it('chooses the naive Bayes weight from its candidates, and can run without it', () => {
    expect([0, 0.05, 0.1, 0.2, 0.3]).toContain(classifier.training.bayesWeight);
    const regressionOnly = trainTextClassifier(afterSales, { seed: 3, bayesWeight: 0 });
    expect(regressionOnly.training.bayesWeight).toBe(0);
    expect(regressionOnly.predict('退款什么时候到')[0]!.label).toBe('refund');
  });

  it('chooses the SVM weight from its candidates, and can run without the SVM or the regression', () => {
    expect([0, 1, 2, 4, 8]).toContain(classifier.training.svmWeight);
    expect(classifier.training.regressionWeight).toBe(1);
    const withoutSvm = trainTextClassifier(afterSales, { seed: 3, svmWeight: 0 });
    expect(withoutSvm.training.svmWeight).toBe(0);
    expect(withoutSvm.predict('退款什么时候到')[0]!.label).toBe('refund');
    const svmOnly = trainTextClassifier(afterSales, { seed: 3, regression: false, bayesWeight: 0 });
    expect(svmOnly.training).toMatchObject({ regressionWeight: 0, bayesWeight: 0 });
    expect(svmOnly.training.svmWeight).toBeGreaterThan(0);
    expect(svmOnly.predict('退款什么时候到')[0]!.label).toBe('refund');
    expect(svmOnly.predict('where is my parcel')[0]!.label).toBe('logistics');
    expect(() =>
      trainTextClassifier(afterSales, { seed: 3, regression: false, svmWeight: 0 }),
    ).toThrow(/regression or the SVM/);
    // One fold: nothing is held out, so no weight can be chosen; each setting still trains.
    for (const regression of [true, false]) {
      const unscored = trainTextClassifier(afterSales, { seed: 3, folds: 1, regression });
      expect(unscored.predict('我要退款')[0]!.label).toBe('refund');
    }
  });

  it('rejects training data with fewer than two labels', () => {
    expect(() => trainTextClassifier([{ text: 'hi', label: 'a' }])).toThrow(/two labels/);
  });

  it('handles text with no known features without failing', async () => {
    const result = await classifier.classify('');
    expect(result.ranking.length).toBeGreaterThan(0);
    expect(Number.isFinite(result.confidence)).toBe(true);
  });
});

describe('out-of-scope decisions', () => {
  const withOther = [
    ...afterSales,
    ...examples({
      other: [
        'what is the weather like tomorrow',
        'tell me a joke',
        'who won the football match',
        'what is the capital of france',
        'play some music',
        '今天天气怎么样',
        '讲个笑话',
        '你叫什么名字',
        'how tall is mount everest',
        'recommend a good movie',
      ],
    }),
  ];
  const classifier = trainTextClassifier(withOther, { outOfScopeLabel: 'other', seed: 5 });

  it('hands off a message whose best label is the out-of-scope label', async () => {
    const result = await classifier.classify('tell me a funny joke about the weather');
    expect(result.ranking[0]!.label).toBe('other');
    expect(result.outOfScope).toBe(true);
    expect(result.label).toBeNull();
  });

  it('answers an in-scope message with its label and calibrated confidence', async () => {
    const result = await classifier.classify('where is my parcel, it has not arrived');
    expect(result.outOfScope).toBe(false);
    expect(result.label).toBe('logistics');
    expect(result.confidence).toBe(result.ranking[0]!.probability);
  });

  it('applies the confidence threshold, which can be changed after training', async () => {
    const text = 'refund my invoice';
    const saved = classifier.outOfScopeThreshold;
    try {
      classifier.outOfScopeThreshold = 1.01;
      const strict = await classifier.classify(text);
      expect(strict.outOfScope).toBe(true);
      expect(strict.label).toBeNull();
      classifier.outOfScopeThreshold = 0;
      const lenient = await classifier.classify(text);
      expect(lenient.outOfScope).toBe(lenient.ranking[0]!.label === 'other');
    } finally {
      classifier.outOfScopeThreshold = saved;
    }
  });

  it('chooses the threshold by cross-validation within [0, 1]', () => {
    expect(classifier.outOfScopeThreshold).toBeGreaterThanOrEqual(0);
    expect(classifier.outOfScopeThreshold).toBeLessThanOrEqual(1);
    expect(classifier.training.threshold.threshold).toBe(classifier.outOfScopeThreshold);
  });

  it('keeps a threshold given in the options', () => {
    const fixed = trainTextClassifier(withOther, {
      outOfScopeLabel: 'other',
      outOfScopeThreshold: 0.42,
    });
    expect(fixed.outOfScopeThreshold).toBe(0.42);
  });
});
