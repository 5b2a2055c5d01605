/**
 * The generic webhook channel: messages come in through `POST /v1/messages` (an integration
 * key per channel name) and replies of the channels named in WEBHOOK_CHANNELS are POSTed,
 * signed, to WEBHOOK_URL (outbound.ts). It has no routes of its own.
 */
import { z } from 'zod';
import { defineChannel } from '../channel-module.js';
import { channelSettings, optionalSetting } from '../channel-env.js';
import { webhookChannel as webhookSender } from './outbound.js';

const env = z.object({
  /** Replies are POSTed here, signed with WEBHOOK_SECRET; unset keeps them in the database. */
  WEBHOOK_URL: optionalSetting.pipe(z.url().optional()),
  WEBHOOK_SECRET: optionalSetting,
  /** Channels whose replies go to the webhook: comma-separated names, or `*` for all. */
  WEBHOOK_CHANNELS: z.string().default('*'),
});

export const webhookChannel = defineChannel({
  name: 'webhook',
  env,
  settings: (values) => channelSettings('webhook', env, values, ['WEBHOOK_URL', 'WEBHOOK_SECRET']),
  create(settings, context) {
    const names = settings.WEBHOOK_CHANNELS.split(',').map((name) => name.trim());
    return {
      sender: webhookSender({
        url: settings.WEBHOOK_URL!,
        secret: settings.WEBHOOK_SECRET!,
        now: () => context.clock.now(),
      }),
      // Any channel name an integration posts under, except those a platform adapter owns.
      serves: (channel) => names.includes('*') || names.includes(channel),
    };
  },
});
