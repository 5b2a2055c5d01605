import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/env.js';
import { telegramSettings } from './config.js';

const token = '123456789:AAtest-token_value';

describe('Telegram settings', () => {
  it('is off without its variables and on with both, with the public API by default', () => {
    expect(telegramSettings({})).toBeUndefined();
    expect(
      telegramSettings({ TELEGRAM_BOT_TOKEN: '', TELEGRAM_WEBHOOK_SECRET: '' }),
    ).toBeUndefined();
    expect(
      telegramSettings({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: 'secret_1' }),
    ).toEqual({
      botToken: token,
      webhookSecret: 'secret_1',
      apiBaseUrl: 'https://api.telegram.org',
    });
    expect(
      telegramSettings({
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_WEBHOOK_SECRET: 'secret_1',
        TELEGRAM_API_BASE_URL: 'http://127.0.0.1:8081/',
      })?.apiBaseUrl,
    ).toBe('http://127.0.0.1:8081');
  });

  it('refuses half-set settings and values Telegram would not take, naming the variable', () => {
    expect(() => telegramSettings({ TELEGRAM_BOT_TOKEN: token })).toThrow(
      /TELEGRAM_BOT_TOKEN is set but TELEGRAM_WEBHOOK_SECRET is not/,
    );
    expect(() =>
      telegramSettings({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: 'has spaces!' }),
    ).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() =>
      telegramSettings({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: 'x'.repeat(257) }),
    ).toThrow(ConfigError);
    expect(() =>
      telegramSettings({ TELEGRAM_BOT_TOKEN: 'not-a-token', TELEGRAM_WEBHOOK_SECRET: 'secret_1' }),
    ).toThrow(/TELEGRAM_BOT_TOKEN/);
  });
});
