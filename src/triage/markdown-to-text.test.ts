import { describe, expect, it } from 'vitest';
import { markdownToPlainText } from './markdown-to-text.js';

describe('markdownToPlainText', () => {
  it('drops emphasis and heading marks, keeps the words', () => {
    expect(markdownToPlainText('## 退货须知\n\n**在线客服**：*每天* 9:00-21:00')).toBe(
      '退货须知\n\n在线客服：每天 9:00-21:00',
    );
  });

  it('writes links as "text (url)" and a self-linked address once', () => {
    expect(
      markdownToPlainText(
        'See [the help centre](https://shop.example/help) or <support@shop.example>.',
      ),
    ).toBe('See the help centre (https://shop.example/help) or support@shop.example.');
  });

  it('turns lists into one line per item, numbered lists keep their numbers', () => {
    expect(markdownToPlainText('Steps:\n\n1. Open **Orders**\n2. Tap *Return*\n\n- a\n- b')).toBe(
      'Steps:\n\n1. Open Orders\n2. Tap Return\n\n- a\n- b',
    );
  });

  it('leaves plain text alone, escapes included', () => {
    expect(markdownToPlainText('单号 SF1234567890，金额 1 \\* 2 元')).toBe(
      '单号 SF1234567890，金额 1 * 2 元',
    );
  });
});
