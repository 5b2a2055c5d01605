/**
 * The Chatwoot channel: the service is a Chatwoot agent bot. Chatwoot POSTs the messages of the
 * inboxes the bot is connected to (inbound.ts); customers' messages are triaged, agents' replies
 * silence the bot in their conversation. Answers go back as the bot's messages, hand-offs as a
 * private note with labels and priority, and the conversation opened for agents (outbound.ts).
 */
import { defineChannel } from '../channel-module.js';
import { createChatwootApi } from './api.js';
import { chatwootEnv, chatwootSettings } from './config.js';
import { registerChatwootRoutes } from './inbound.js';
import { chatwootSender } from './outbound.js';

export const chatwootChannel = defineChannel({
  name: 'chatwoot',
  env: chatwootEnv,
  settings: chatwootSettings,
  create(settings, context) {
    const api = createChatwootApi({ baseUrl: settings.baseUrl, apiToken: settings.apiToken });
    return {
      sender: chatwootSender({ api, state: context, logger: context.logger }),
      routes: (router) => registerChatwootRoutes(router, { settings, context, api }),
    };
  },
});
