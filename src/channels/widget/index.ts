/**
 * The web chat widget: a script shops embed (`GET /widget.js`), a visitor's messages in
 * (`POST /channels/widget/messages`) and the conversation out (`GET /channels/widget/stream`,
 * server-sent events, or `GET /channels/widget/messages`, polling). Requests must come from an
 * allowed origin with a configured site key, and are rate-limited per visitor and per address.
 * Replies need no network: the sender wakes this process's open streams.
 */
import type { Hono } from 'hono';
import { limitBodySize } from '../../http/middleware.js';
import { defineChannel } from '../channel-module.js';
import { channelSettings } from '../channel-env.js';
import { widgetEnv, widgetSettings } from './config.js';
import { createWidgetGate } from './gate.js';
import { widgetMessageHandler } from './inbound.js';
import { createWidgetListeners } from './listeners.js';
import { widgetOriginGuard } from './origin-guard.js';
import { widgetSender } from './outbound.js';
import { widgetScript, widgetScriptHandler } from './script.js';
import { onStopSignal } from './stop-signals.js';
import { createWidgetStreams } from './stream.js';

export const widgetChannel = defineChannel({
  name: 'widget',
  env: widgetEnv,
  settings(values) {
    const parsed = channelSettings('widget', widgetEnv, values, [
      'WIDGET_SITE_KEYS',
      'WIDGET_ALLOWED_ORIGINS',
    ]);
    return parsed && widgetSettings(parsed, values);
  },
  create(settings, context) {
    const listeners = createWidgetListeners();
    const gate = createWidgetGate(settings, context.clock);
    const streams = createWidgetStreams({ context, gate, listeners });
    const script = widgetScript({ maxTextChars: context.maxTextChars });
    let stopListening: (() => void) | undefined;
    return {
      sender: widgetSender(listeners),
      routes(router: Hono) {
        router.use('*', widgetOriginGuard(settings.allowedOrigins));
        // A message is small: its text (up to 4 bytes a character) and a few ids.
        const maxBody = Math.min(context.maxBodyBytes, context.maxTextChars * 4 + 2048);
        router.post(
          '/messages',
          limitBodySize(maxBody),
          widgetMessageHandler({ context, gate, listeners }),
        );
        router.get('/messages', (request) => streams.poll(request));
        router.get('/stream', (request) => streams.stream(request));
      },
      rootRoutes(router: Hono) {
        router.get('/widget.js', widgetScriptHandler(script));
      },
      start() {
        // Open streams end on the stop signal itself (stop-signals.ts says why).
        stopListening = onStopSignal(() => streams.closeAll());
      },
      stop() {
        stopListening?.();
        streams.closeAll();
      },
    };
  },
});
