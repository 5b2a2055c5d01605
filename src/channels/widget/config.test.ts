import { describe, expect, it } from 'vitest';
import { widgetChannel } from './index.js';

const settings = (env: Record<string, string>) => widgetChannel.settings(env);

describe('widget settings', () => {
  it('is off without its keys and origins', () => {
    expect(settings({})).toBeUndefined();
    expect(settings({ WIDGET_SITE_KEYS: '', WIDGET_ALLOWED_ORIGINS: '' })).toBeUndefined();
  });

  it('refuses a half-set widget by name', () => {
    expect(() => settings({ WIDGET_SITE_KEYS: 'shop-1' })).toThrow(
      /WIDGET_SITE_KEYS is set but WIDGET_ALLOWED_ORIGINS is not/,
    );
  });

  it('normalises origins and reads the limits and TRUST_PROXY', () => {
    const parsed = settings({
      WIDGET_SITE_KEYS: 'shop-1, shop_2',
      WIDGET_ALLOWED_ORIGINS: 'https://Shop.Example.com/, http://localhost:8080',
      WIDGET_RATE_LIMIT_PER_MINUTE: '5',
      TRUST_PROXY: 'true',
    })!;
    expect([...parsed.siteKeys]).toEqual(['shop-1', 'shop_2']);
    expect([...parsed.allowedOrigins]).toEqual([
      'https://shop.example.com',
      'http://localhost:8080',
    ]);
    expect(parsed.visitorMessagesPerMinute).toBe(5);
    expect(parsed.addressMessagesPerMinute).toBe(60);
    expect(parsed.trustProxy).toBe(true);
  });

  it('says what is wrong with an origin or a limit', () => {
    const base = { WIDGET_SITE_KEYS: 'shop-1' };
    expect(() =>
      settings({ ...base, WIDGET_ALLOWED_ORIGINS: 'https://shop.example.com/chat' }),
    ).toThrow(/WIDGET_ALLOWED_ORIGINS.*not an origin.*like https:\/\/shop\.example\.com/);
    expect(() => settings({ ...base, WIDGET_ALLOWED_ORIGINS: '*' })).toThrow(/not an origin/);
    expect(() =>
      settings({
        ...base,
        WIDGET_ALLOWED_ORIGINS: 'https://shop.example.com',
        WIDGET_RATE_LIMIT_PER_MINUTE: 'many',
      }),
    ).toThrow(/WIDGET_RATE_LIMIT_PER_MINUTE: must be a whole number/);
    expect(() =>
      settings({ WIDGET_SITE_KEYS: 'a key', WIDGET_ALLOWED_ORIGINS: 'https://shop.example.com' }),
    ).toThrow(/WIDGET_SITE_KEYS.*letters, digits/);
  });
});
