import { describe, expect, it } from 'vitest';
import {
  candidateOrigin,
  editRatio,
  LIGHT_EDIT_RATIO,
  matchingText,
  placeholdersIn,
  redactForReuse,
} from './candidate-text.js';
import { closestQuestion, cosineSimilarity } from './question-match.js';

const draft =
  'Hello! A refund to a credit card takes 3-7 business days after we issue it; some banks show it on the next statement.\n\nIf there is anything else, just let us know.';

describe('edit distance relative to length', () => {
  it('is 0 for the same text and 1 for nothing in common', () => {
    expect(editRatio(draft, draft)).toBe(0);
    expect(editRatio('abcd', 'wxyz')).toBe(1);
    expect(editRatio('', '')).toBe(0);
  });

  it('divides by the longer text', () => {
    expect(editRatio('refund', 'refunds')).toBeCloseTo(1 / 7);
  });
});

describe('where a candidate came from', () => {
  it('an accepted draft, and an edit that changed nothing, are "accepted"', () => {
    expect(candidateOrigin('accept', draft, draft)).toEqual({ origin: 'accepted', editRatio: 0 });
    expect(candidateOrigin('edit', draft, `${draft}  `)).toEqual({
      origin: 'accepted',
      editRatio: 0,
    });
  });

  it('a sentence added to the draft is a light edit', () => {
    const sent = draft.replace(
      'If there is',
      'You get a text message when the refund is issued. If there is',
    );
    const { origin, editRatio: ratio } = candidateOrigin('edit', draft, sent);
    expect(origin).toBe('edited');
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThanOrEqual(LIGHT_EDIT_RATIO);
  });

  it('a reply written anew over the draft is a rewrite', () => {
    const sent =
      'We checked with the bank: your money was sent back yesterday and should show tomorrow.';
    const { origin, editRatio: ratio } = candidateOrigin('edit', draft, sent);
    expect(origin).toBe('rewritten');
    expect(ratio).toBeGreaterThan(LIGHT_EDIT_RATIO);
  });

  it("an agent's own reply has no draft to compare with", () => {
    expect(candidateOrigin('reply', null, 'Anything else?')).toEqual({
      origin: 'reply',
      editRatio: null,
    });
  });
});

describe('redacting a reply for reuse', () => {
  it('replaces order and tracking numbers, phones and cued names', () => {
    const { text, redactions } = redactForReuse(
      'Dear Mr. Smith, about your order 2024112312345678 (tracking number SF1234567890): call 13812345678 if it has not arrived.',
    );
    expect(text).toBe(
      'Dear Mr. [NAME], about your order [ORDER_NUMBER] (tracking number [TRACKING_NUMBER]): call [PHONE] if it has not arrived.',
    );
    expect(redactions).toEqual(
      expect.arrayContaining([
        { kind: 'order', count: 1 },
        { kind: 'tracking', count: 1 },
        { kind: 'phone', count: 1 },
        { kind: 'name', count: 1 },
      ]),
    );
  });

  it('replaces the names it is given, in greetings and signatures, without touching words', () => {
    const { text } = redactForReuse(
      'Hi Tom, refunds take 3-7 business days. Tom will get a text message tomorrow. — Mei',
      ['The refund is issued automatically.'],
      ['Tom Baker', 'mei'],
    );
    expect(text).toBe(
      'Hi [NAME], refunds take 3-7 business days. [NAME] will get a text message tomorrow. — [NAME]',
    );
    expect(redactForReuse('王芳您好！退款1-3个工作日到账。', [], ['王芳']).text).toBe(
      '[NAME]您好！退款1-3个工作日到账。',
    );
    expect(redactForReuse('You will get it.', [], ['Will']).text).toBe('You will get it.');
  });

  it('keeps what the cited entry publishes itself', () => {
    const { text, redactions } = redactForReuse('Write to support@shop.example for a copy.', [
      'Contact: support@shop.example',
    ]);
    expect(text).toBe('Write to support@shop.example for a copy.');
    expect(redactions).toEqual([]);
  });

  it('lists the placeholders left, and compares questions without them', () => {
    expect(placeholdersIn('order [ORDER_NUMBER], call [PHONE] or [PHONE]')).toEqual([
      '[ORDER_NUMBER]',
      '[PHONE]',
    ]);
    expect(placeholdersIn('no placeholders [here]')).toEqual([]);
    expect(matchingText('where is my refund for [ORDER_NUMBER] ?')).toBe(
      'where is my refund for ?',
    );
  });
});

describe('the closest question', () => {
  it('is the most similar at or above the threshold, or none', () => {
    expect(cosineSimilarity([1, 0], [1, 0])).toBe(1);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 0])).toBe(0);
    const candidates = [
      { item: 'a', vector: [1, 0.1] },
      { item: 'b', vector: [1, 0.5] },
      { item: 'c', vector: [0, 1] },
    ];
    expect(closestQuestion([1, 0], candidates, 0.75)?.item).toBe('a');
    expect(closestQuestion([0.2, 1], candidates, 0.75)?.item).toBe('c');
    expect(closestQuestion([1, -1], candidates, 0.75)).toBeUndefined();
  });
});
