/**
 * The Telegram channel's settings: the bot's token (from @BotFather), the secret Telegram
 * repeats in `X-Telegram-Bot-Api-Secret-Token` on every webhook call (set with setWebhook's
 * `secret_token`), and the Bot API's base URL, which tests point at a local fake.
 */
import { z } from 'zod';
import { apiBaseUrl, channelSettings, optionalSetting } from '../channel-env.js';

export const telegramEnv = z.object({
  /** `<bot id>:<key>` as @BotFather gives it; it is part of every API URL, so never logged. */
  TELEGRAM_BOT_TOKEN: optionalSetting.pipe(
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456789:AA... (the token @BotFather gave)')
      .optional(),
  ),
  /** Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - as secret_token. */
  TELEGRAM_WEBHOOK_SECRET: optionalSetting.pipe(
    z
      .string()
      .regex(
        /^[A-Za-z0-9_-]{1,256}$/,
        'must be 1-256 characters of A-Z, a-z, 0-9, _ and - (what setWebhook accepts as secret_token)',
      )
      .optional(),
  ),
  TELEGRAM_API_BASE_URL: apiBaseUrl('https://api.telegram.org'),
});

export interface TelegramSettings {
  botToken: string;
  webhookSecret: string;
  apiBaseUrl: string;
}

/** Undefined when the channel is off; ConfigError when only one of token and secret is set. */
export function telegramSettings(
  env: Readonly<Record<string, string | undefined>>,
): TelegramSettings | undefined {
  const values = channelSettings('telegram', telegramEnv, env, [
    'TELEGRAM_BOT_TOKEN',
    'TELEGRAM_WEBHOOK_SECRET',
  ]);
  if (!values) return undefined;
  return {
    botToken: values.TELEGRAM_BOT_TOKEN!,
    webhookSecret: values.TELEGRAM_WEBHOOK_SECRET!,
    apiBaseUrl: values.TELEGRAM_API_BASE_URL,
  };
}
