/**
 * `POST /channels/widget/messages`: a visitor's message, stored through the intake. The
 * conversation is the visitor's (site key and visitor id), the customer is the visitor id, and
 * the message id is the visitor id with the page's own message id, so a resend after a lost
 * answer is recognised as a duplicate. Triage follows in the background; the reply comes
 * back through the transcript endpoints.
 */
import type { Context } from 'hono';
import { describeIssues, errorResponse } from '../../http/errors.js';
import type { ChannelContext } from '../channel-module.js';
import type { WidgetGate } from './gate.js';
import type { WidgetListeners } from './listeners.js';
import { widgetMessageRequestSchema } from './requests.js';
import { widgetConversationId } from './transcript.js';

export interface WidgetInboundOptions {
  context: ChannelContext;
  gate: WidgetGate;
  listeners: WidgetListeners;
}

export function widgetMessageHandler(options: WidgetInboundOptions) {
  const { context: channel, gate, listeners } = options;
  const schema = widgetMessageRequestSchema(channel.maxTextChars);

  return async function receiveWidgetMessage(context: Context) {
    const mediaType = (context.req.header('content-type') ?? '').split(';')[0]!.trim();
    if (mediaType.toLowerCase() !== 'application/json') {
      return errorResponse(
        context,
        'unsupported_media_type',
        'Send the message as JSON with "content-type: application/json".',
      );
    }
    let body: unknown;
    try {
      body = await context.req.json();
    } catch {
      return errorResponse(context, 'invalid_json', 'The body is not valid JSON.');
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      return errorResponse(context, 'validation_failed', describeIssues(parsed.error.issues));
    const request = parsed.data;
    const refused = gate.admit(context, request, 'message');
    if (refused) return refused;

    const conversationId = widgetConversationId(request.siteKey, request.visitorId);
    const received = await channel.receive({
      externalMessageId: `${request.visitorId}:${request.clientMessageId}`,
      conversationId,
      customer: { id: request.visitorId },
      text: request.text,
      sentAt: channel.clock.now().toISOString(),
      ...(request.locale ? { locale: request.locale } : {}),
    });
    const accepted = received.status === 'queued' ? received.accepted : received.outcome;
    // The visitor's other tabs show the message too.
    if (!accepted.duplicate) listeners.wake(conversationId);
    return context.json(
      { messageId: accepted.messageId, duplicate: accepted.duplicate, status: 'queued' },
      202,
    );
  };
}
