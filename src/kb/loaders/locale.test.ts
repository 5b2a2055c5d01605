import { describe, expect, it } from 'vitest';
import { detectLocale, localeFromTag } from './locale.js';

describe('detectLocale', () => {
  it('counts Han characters against Latin words', () => {
    expect(detectLocale('请提供您的 order number')).toBe('zh');
    expect(detectLocale('Returns are handled by our team in 上海 within two days.')).toBe('en');
    expect(detectLocale('退货')).toBe('zh');
    expect(detectLocale('12345 ...')).toBe('en');
  });
});

describe('localeFromTag', () => {
  it('maps BCP 47 tags to zh or en, and anything else to undefined', () => {
    expect(localeFromTag('zh-Hant-TW')).toBe('zh');
    expect(localeFromTag('EN_us')).toBe('en');
    expect(localeFromTag('fr')).toBeUndefined();
    expect(localeFromTag(null)).toBeUndefined();
  });
});
