/**
 * The Telegram bot channel: customers write to the bot in a private chat; Telegram posts each
 * update to `/channels/telegram/webhook` (inbound.ts), triage answers or hands off, and the
 * replies (the bot's and agents' from the console) go back with sendMessage (outbound.ts).
 * Telegram has no agents' side to hand off to: a hand-off is a ticket in the console.
 */
import { defineChannel } from '../channel-module.js';
import { telegramEnv, telegramSettings } from './config.js';
import { registerTelegramWebhook } from './inbound.js';
import { telegramSender } from './outbound.js';

export const telegramChannel = defineChannel({
  name: 'telegram',
  env: telegramEnv,
  settings: telegramSettings,
  create(settings, context) {
    return {
      sender: telegramSender({
        apiBaseUrl: settings.apiBaseUrl,
        botToken: settings.botToken,
        state: { read: context.readState, write: context.writeState },
      }),
      routes(router) {
        registerTelegramWebhook(router, { secret: settings.webhookSecret, context });
      },
    };
  },
});
