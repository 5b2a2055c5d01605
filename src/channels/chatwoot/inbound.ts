/**
 * `POST /channels/chatwoot/webhook?token=…`: the agent bot's webhook. Chatwoot waits 5 s for
 * an answer and retries only 429 and 500 (three attempts, 3 s apart, in current versions); after
 * any other failure, or the last retry, it moves the conversation from the bot's `pending` to
 * `open`, that is to its agents. So a customer's message is stored before the 200, a full backlog
 * answers 429 (BusyError) and a failing Chatwoot call 500, and what we cannot take (a body that
 * is not a Chatwoot message, a text over the limit) answers 4xx and lands with a person.
 */
import type { Hono } from 'hono';
import type { ReceiveResult } from '../../conversations/message-intake.js';
import { BusyError, InvalidError } from '../../errors/domain-errors.js';
import { errorResponse } from '../../http/errors.js';
import type { ChannelContext } from '../channel-module.js';
import type { ChatwootApi } from './api.js';
import type { ChatwootSettings } from './config.js';
import { readChatwootEvent } from './webhook-event.js';
import { tokenMatches, verifyChatwootSignature } from './webhook-auth.js';

export interface ChatwootRoutesOptions {
  settings: ChatwootSettings;
  context: ChannelContext;
  api: ChatwootApi;
}

export function registerChatwootRoutes(router: Hono, options: ChatwootRoutesOptions): void {
  const { settings, context, api } = options;
  const logger = context.logger;

  router.post('/webhook', async function chatwootWebhook(c) {
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (!tokenMatches(c.req.query('token'), settings.webhookToken)) {
      return errorResponse(c, 'unauthorized', 'Wrong or missing token in the webhook URL.');
    }
    if (
      settings.webhookSecret &&
      !verifyChatwootSignature(
        settings.webhookSecret,
        {
          timestamp: c.req.header('x-chatwoot-timestamp'),
          signature: c.req.header('x-chatwoot-signature'),
        },
        body,
        { now: context.clock.now() },
      )
    ) {
      return errorResponse(c, 'unauthorized', 'Missing, wrong or stale X-Chatwoot-Signature.');
    }

    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body).toString('utf8'));
    } catch {
      return errorResponse(c, 'invalid_json', 'The body is not JSON.');
    }
    const event = readChatwootEvent(payload);
    switch (event.kind) {
      case 'customer_message': {
        let result: ReceiveResult;
        try {
          result = await context.receive(event.message);
        } catch (error) {
          // Chatwoot retries a 429; Retry-After is for other readers (it waits 3 s regardless).
          if (error instanceof BusyError) {
            c.header('Retry-After', String(error.retryAfterSeconds));
            return errorResponse(c, 'rate_limited', error.message);
          }
          // A text over MAX_TEXT_CHARS: not retried, and Chatwoot gives the conversation to agents.
          if (error instanceof InvalidError)
            return errorResponse(c, 'validation_failed', error.message);
          throw error;
        }
        const duplicate =
          result.status === 'queued' ? result.accepted.duplicate : result.outcome.duplicate;
        return c.json({ received: 'customer_message', duplicate });
      }
      case 'agent_reply': {
        const outcome = await context.recordAgentReply(event.reply);
        return c.json({ received: 'agent_reply', outcome });
      }
      case 'needs_agent': {
        try {
          await api.setStatus(event.conversation, 'open');
        } catch (error) {
          // 500 makes Chatwoot retry, and open the conversation itself after the last attempt.
          logger.warn(
            { conversation: event.conversation, error: (error as Error).message },
            'could not give the conversation to Chatwoot agents',
          );
          return errorResponse(c, 'internal', 'Could not hand the conversation to agents.');
        }
        return c.json({ received: 'needs_agent', reason: event.reason });
      }
      case 'resolved': {
        const outcome = await context.recordResolution({
          conversationId: event.conversationId,
          agentId: 'chatwoot',
        });
        return c.json({ received: 'resolved', outcome });
      }
      case 'ignored':
        return c.json({ received: 'ignored', reason: event.reason });
      case 'invalid':
        return errorResponse(c, 'validation_failed', event.reason);
    }
  });
}
