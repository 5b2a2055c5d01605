/**
 * The Chatwoot channel's settings: the token that Chatwoot's agent bot puts in its webhook URL,
 * the Chatwoot installation's address and the agent bot's access token for its API. The channel
 * is on when the three are set. The bot's signing secret (Chatwoot 4.13 and later) is optional.
 */
import { z } from 'zod';
import { channelSettings, optionalSetting } from '../channel-env.js';

export const chatwootEnv = z.object({
  /** Shared secret in the agent bot's webhook URL (`?token=`): at least 16 characters. */
  CHATWOOT_WEBHOOK_TOKEN: optionalSetting.pipe(
    z.string().min(16, 'use at least 16 characters').optional(),
  ),
  /** The Chatwoot installation, e.g. https://app.chatwoot.com or a self-hosted address. */
  CHATWOOT_BASE_URL: optionalSetting.pipe(
    z
      .url()
      .transform((value) => value.replace(/\/+$/, ''))
      .optional(),
  ),
  /** The agent bot's access token (sent as `api_access_token`), not a person's. */
  CHATWOOT_API_TOKEN: optionalSetting,
  /**
   * The agent bot's webhook secret (Chatwoot 4.13+ signs bot webhooks with it): when set, a
   * request must also carry a valid, fresh `X-Chatwoot-Signature`.
   */
  CHATWOOT_WEBHOOK_SECRET: optionalSetting,
});

export interface ChatwootSettings {
  webhookToken: string;
  baseUrl: string;
  apiToken: string;
  webhookSecret: string | undefined;
}

export function chatwootSettings(
  env: Readonly<Record<string, string | undefined>>,
): ChatwootSettings | undefined {
  const values = channelSettings('chatwoot', chatwootEnv, env, [
    'CHATWOOT_WEBHOOK_TOKEN',
    'CHATWOOT_BASE_URL',
    'CHATWOOT_API_TOKEN',
  ]);
  if (!values) return undefined;
  return {
    webhookToken: values.CHATWOOT_WEBHOOK_TOKEN!,
    baseUrl: values.CHATWOOT_BASE_URL!,
    apiToken: values.CHATWOOT_API_TOKEN!,
    webhookSecret: values.CHATWOOT_WEBHOOK_SECRET,
  };
}
