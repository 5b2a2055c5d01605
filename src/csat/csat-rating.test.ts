import { describe, expect, it } from 'vitest';
import { parseRating } from './csat-rating.js';

describe('parseRating', () => {
  it.each([
    ['5', 5],
    [' 1 ', 1],
    ['５', 5],
    ['4分', 4],
    ['给5分', 5],
    ['打3分吧', 3],
    ['五星', 5],
    ['两分', 2],
    ['4/5', 4],
    ['3 out of 5', 3],
    ['5 stars!', 5],
    ['1 star', 1],
    ['⭐⭐⭐⭐', 4],
    ['⭐️⭐️⭐️⭐️⭐️', 5],
    ['★★', 2],
    ['5。', 5],
  ])('%s is the rating %i', (text, rating) => {
    expect(parseRating(text)).toBe(rating);
  });

  it.each([
    '0',
    '6',
    '10',
    '45',
    '5 days and still nothing',
    '我的快递3天了还没到',
    'Order 5',
    '谢谢',
    '',
    '⭐⭐⭐⭐⭐⭐',
    '5? really',
  ])('%s is not a rating', (text) => {
    expect(parseRating(text)).toBeUndefined();
  });
});
