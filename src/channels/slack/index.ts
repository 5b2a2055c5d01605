/**
 * The Slack channel (Events API over HTTP): messages to the bot, in a DM or a channel it is in,
 * come in at `POST /channels/slack/events` (routes.ts), signed with the app's signing secret;
 * replies go back into the message's thread with chat.postMessage and the bot token
 * (outbound.ts). On when SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are set.
 */
import { z } from 'zod';
import { defineChannel } from '../channel-module.js';
import { apiBaseUrl, channelSettings, optionalSetting } from '../channel-env.js';
import { authTestResponseSchema } from './events.js';
import type { SlackBotIdentity } from './inbound.js';
import { callSlackApi, slackSender } from './outbound.js';
import { registerSlackEventRoutes } from './routes.js';

const env = z.object({
  /** Basic Information > App Credentials > Signing Secret: checks every request from Slack. */
  SLACK_SIGNING_SECRET: optionalSetting,
  /** OAuth & Permissions > Bot User OAuth Token (xoxb-...): posts the replies. */
  SLACK_BOT_TOKEN: optionalSetting,
  /** The Web API's base; tests point it at a local fake. */
  SLACK_API_BASE_URL: apiBaseUrl('https://slack.com/api'),
});

export const slackChannel = defineChannel({
  name: 'slack',
  env,
  settings: (values) =>
    channelSettings('slack', env, values, ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN']),
  create(settings, context) {
    const api = { apiBaseUrl: settings.SLACK_API_BASE_URL, botToken: settings.SLACK_BOT_TOKEN! };
    let bot: SlackBotIdentity = { userIds: new Set() };
    return {
      sender: slackSender(api),
      routes(router) {
        registerSlackEventRoutes(router, {
          signingSecret: settings.SLACK_SIGNING_SECRET!,
          context,
          bot: () => bot,
        });
      },
      async start() {
        // The token's own user: its messages are never taken as a customer's, even in events
        // without `authorizations`. Best effort: bot_id marks our messages anyway.
        try {
          const answer = authTestResponseSchema.parse(
            await callSlackApi({ ...api, timeoutMs: 5_000 }, 'auth.test', {}),
          );
          if (answer.user_id) bot = { userIds: new Set([answer.user_id]) };
          context.logger.info({ botUserId: answer.user_id }, 'slack bot identified');
        } catch (error) {
          context.logger.warn(
            { error: (error as Error).message },
            'slack auth.test failed: check SLACK_BOT_TOKEN',
          );
        }
      },
    };
  },
});
