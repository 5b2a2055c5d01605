/**
 * The WeCom customer service (微信客服) channel: WeChat customers write to a kf account, WeCom
 * calls `/channels/wecom/callback`, the adapter fetches the messages with kf/sync_msg and stores
 * the customers' texts for triage; replies go back with kf/send_msg. A servicer answering in the
 * WeCom client silences the bot in that conversation.
 */
import { type ChannelAdapter, defineChannel } from '../channel-module.js';
import { wecomEnv, wecomSettings } from './config.js';
import { registerWecomRoutes } from './inbound.js';
import { createKfSync } from './kf-sync.js';
import { wecomSender } from './outbound.js';
import { createWecomApi } from './wecom-api.js';
import { createWecomCrypto } from './wecom-crypto.js';

export interface WecomAdapter extends ChannelAdapter {
  /** Resolves when no kf/sync_msg run is in progress (tests wait for the fetch after a callback). */
  syncIdle(): Promise<void>;
}

export const wecomChannel = defineChannel({
  name: 'wecom',
  env: wecomEnv,
  settings: wecomSettings,
  create(settings, context): WecomAdapter {
    const crypto = createWecomCrypto({
      token: settings.token,
      encodingAesKey: settings.encodingAesKey,
      receiveId: settings.corpId,
    });
    const api = createWecomApi({
      baseUrl: settings.apiBaseUrl,
      corpId: settings.corpId,
      secret: settings.secret,
      now: () => context.clock.now().getTime(),
    });
    const sync = createKfSync({ api, context });
    return {
      sender: wecomSender(api, context),
      routes: (router) => registerWecomRoutes(router, { crypto, sync, context }),
      start: () => sync.start(),
      stop: () => sync.stop(),
      syncIdle: () => sync.idle(),
    };
  },
});
