import { describe, expect, it } from 'vitest';
import { splitText, TELEGRAM_MAX_MESSAGE_CHARS } from './split-text.js';

describe('splitting replies for Telegram', () => {
  it('leaves a reply within the limit whole', () => {
    expect(splitText('Refunds take 5-10 days.')).toEqual(['Refunds take 5-10 days.']);
    expect(splitText('x'.repeat(TELEGRAM_MAX_MESSAGE_CHARS))).toHaveLength(1);
    expect(splitText('  ')).toEqual([]);
  });

  it('breaks at paragraphs, then lines, then spaces, and loses no words', () => {
    const paragraph = 'word '.repeat(700).trim(); // 3,499 characters
    const text = [paragraph, paragraph, paragraph].join('\n\n');
    const parts = splitText(text);
    expect(parts).toEqual([paragraph, paragraph, paragraph]);

    const lines = Array.from({ length: 30 }, (_, i) => `line ${i} ${'y'.repeat(200)}`).join('\n');
    const byLine = splitText(lines, 1000);
    expect(byLine.every((part) => part.length <= 1000)).toBe(true);
    expect(byLine.join('\n')).toBe(lines);

    const words = 'lorem ipsum '.repeat(1000).trim();
    const bySpace = splitText(words);
    expect(bySpace.every((part) => part.length <= TELEGRAM_MAX_MESSAGE_CHARS)).toBe(true);
    expect(bySpace.join(' ')).toBe(words);
  });

  it('cuts text without spaces at the limit, never inside a surrogate pair', () => {
    const chinese = '退款多久到账'.repeat(1000); // 6,000 characters, no spaces
    const parts = splitText(chinese);
    expect(parts.map((part) => part.length)).toEqual([4096, 6000 - 4096]);
    expect(parts.join('')).toBe(chinese);

    const emoji = '😀'.repeat(3000); // 6,000 UTF-16 units
    const emojiParts = splitText(emoji);
    expect(emojiParts.every((part) => part.length <= TELEGRAM_MAX_MESSAGE_CHARS)).toBe(true);
    expect(emojiParts.every((part) => !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(part))).toBe(true);
    expect(emojiParts.join('')).toBe(emoji);
  });
});
