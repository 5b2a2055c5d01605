/**
 * The visitor's replies as they arrive: `GET /channels/widget/stream` (server-sent events, one
 * `message` event per message, its id as the event id so a reconnecting EventSource resumes
 * after it) and `GET /channels/widget/messages` (the same messages for a page that polls).
 * A stream re-reads the conversation when this process delivers one of its replies (the
 * sender wakes it) and every few seconds otherwise, which is how replies stored by another
 * instance arrive. A stream ends after a few minutes (the browser reconnects at once) and
 * when the adapter stops, so a shutdown does not wait on open streams.
 */
import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { describeIssues, errorResponse } from '../../http/errors.js';
import type { ChannelContext } from '../channel-module.js';
import type { WidgetGate } from './gate.js';
import type { WidgetListeners } from './listeners.js';
import { transcriptQuerySchema } from './requests.js';
import {
  messagesAfter,
  readTranscript,
  type WidgetMessage,
  widgetConversationId,
} from './transcript.js';

export interface WidgetStreamOptions {
  context: ChannelContext;
  gate: WidgetGate;
  listeners: WidgetListeners;
  /** Re-read period for replies stored elsewhere. Default 5 s. */
  refreshMs?: number;
  /** A stream's longest life. Default 5 min. */
  lifetimeMs?: number;
  /** A comment line this often keeps proxies from closing a quiet stream. Default 20 s. */
  keepAliveMs?: number;
  /** Streams one conversation may hold open (a visitor's tabs). Default 4. */
  maxStreamsPerConversation?: number;
}

export interface WidgetStreams {
  poll(context: Context): Promise<Response>;
  stream(context: Context): Promise<Response>;
  /** Ends every open stream (the adapter stops). */
  closeAll(): void;
}

export function createWidgetStreams(options: WidgetStreamOptions): WidgetStreams {
  const { context: channel, gate, listeners } = options;
  const refreshMs = options.refreshMs ?? 5_000;
  const lifetimeMs = options.lifetimeMs ?? 5 * 60_000;
  const keepAliveMs = options.keepAliveMs ?? 20_000;
  const maxStreams = options.maxStreamsPerConversation ?? 4;
  let closing = false;

  function admitted(context: Context, kind: 'poll' | 'stream') {
    const parsed = transcriptQuerySchema.safeParse({
      ...context.req.query(),
      // A reconnecting EventSource says where it stopped.
      ...(kind === 'stream' && context.req.header('last-event-id')
        ? { after: context.req.header('last-event-id') }
        : {}),
    });
    if (!parsed.success)
      return errorResponse(context, 'validation_failed', describeIssues(parsed.error.issues));
    const refused = gate.admit(context, parsed.data, 'read');
    if (refused) return refused;
    const conversationId = widgetConversationId(parsed.data.siteKey, parsed.data.visitorId);
    return { conversationId, after: parsed.data.after };
  }

  const read = (conversationId: string) =>
    readTranscript(channel.conversations, channel.channel, conversationId);

  async function follow(stream: SSEStreamingApi, conversationId: string, after?: string) {
    let woken = false;
    let ended = false;
    let resume: (() => void) | undefined;
    const wake = () => {
      woken = true;
      resume?.();
    };
    const unlisten = listeners.listen(conversationId, wake);
    stream.onAbort(() => {
      ended = true;
      wake();
    });
    const sent = new Set<string>();
    let cursor = after;
    const started = Date.now();
    let lastWrite = started;
    try {
      await stream.write('retry: 3000\n\n');
      while (!ended && !closing && Date.now() - started < lifetimeMs) {
        woken = false;
        const fresh: WidgetMessage[] = messagesAfter(await read(conversationId), cursor).filter(
          (message) => !sent.has(message.id),
        );
        for (const message of fresh) {
          await stream.writeSSE({
            event: 'message',
            id: message.id,
            data: JSON.stringify(message),
          });
          sent.add(message.id);
          cursor = message.id;
          lastWrite = Date.now();
        }
        if (Date.now() - lastWrite >= keepAliveMs) {
          await stream.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        if (woken || ended || closing) continue;
        await new Promise<void>((done) => {
          const timer = setTimeout(done, refreshMs);
          resume = () => {
            clearTimeout(timer);
            done();
          };
        });
        resume = undefined;
      }
    } finally {
      unlisten();
    }
  }

  return {
    async poll(context) {
      const admission = admitted(context, 'poll');
      if (admission instanceof Response) return admission;
      const messages = messagesAfter(await read(admission.conversationId), admission.after);
      context.header('Cache-Control', 'no-store');
      return context.json({ messages });
    },
    async stream(context) {
      const admission = admitted(context, 'stream');
      if (admission instanceof Response) return admission;
      if (closing) return errorResponse(context, 'unavailable', 'The service is stopping.');
      if (listeners.count(admission.conversationId) >= maxStreams) {
        context.header('Retry-After', '30');
        return errorResponse(
          context,
          'rate_limited',
          `At most ${maxStreams} open streams per conversation: close a tab or poll GET /channels/widget/messages.`,
        );
      }
      return streamSSE(
        context,
        (stream) => follow(stream, admission.conversationId, admission.after),
        async (error) => channel.logger.warn({ err: error }, 'widget stream failed'),
      );
    },
    closeAll() {
      closing = true;
      listeners.wakeAll();
    },
  };
}
