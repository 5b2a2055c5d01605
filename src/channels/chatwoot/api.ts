/**
 * The few calls of Chatwoot's application API an agent bot makes, authenticated by the bot's
 * access token in the `api_access_token` header. Chatwoot lets a bot token reach only some
 * endpoints (`AccessTokenAuthHelper::BOT_ACCESSIBLE_ENDPOINTS`): creating messages, toggling a
 * conversation's status and priority and, in current versions, reading and setting its labels.
 * Failures are DeliveryErrors that say whether a retry can help, and carry the status.
 */
import { z } from 'zod';
import { DeliveryError, deliveryErrorForStatus } from '../channel.js';
import type { ConversationRef } from './conversation-ref.js';
import type { ChatwootPriority } from './handoff-note.js';

export class ChatwootApiError extends DeliveryError {
  override name = 'ChatwootApiError';
  constructor(
    message: string,
    retryable: boolean,
    /** The HTTP status, undefined when Chatwoot was not reached. */
    readonly status: number | undefined,
  ) {
    super(message, retryable);
  }
}

export interface ChatwootApiOptions {
  baseUrl: string;
  apiToken: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const createdMessageSchema = z.object({ id: z.union([z.number(), z.string()]) });
const labelsSchema = z.object({ payload: z.array(z.string()) });

export function createChatwootApi(options: ChatwootApiOptions) {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call(
    method: 'GET' | 'POST',
    ref: ConversationRef,
    action: string,
    body?: unknown,
  ): Promise<unknown> {
    const path = `/api/v1/accounts/${ref.accountId}/conversations/${ref.conversationId}${action}`;
    const what = `Chatwoot ${method} ${path}`;
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}${path}`, {
        method,
        headers: {
          api_access_token: options.apiToken,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ChatwootApiError(
        `${what} unreachable: ${(error as Error).message}`,
        true,
        undefined,
      );
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      const mapped = deliveryErrorForStatus(what, response.status, text.slice(0, 200));
      throw new ChatwootApiError(mapped.message, mapped.retryable, response.status);
    }
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    /** Posts a message or (private) note as the bot; returns Chatwoot's message id when it says. */
    async createMessage(
      ref: ConversationRef,
      message: { content: string; private: boolean },
    ): Promise<string | undefined> {
      const created = await call('POST', ref, '/messages', {
        content: message.content,
        message_type: 'outgoing',
        private: message.private,
      });
      const parsed = createdMessageSchema.safeParse(created);
      return parsed.success ? String(parsed.data.id) : undefined;
    },
    async labels(ref: ConversationRef): Promise<string[]> {
      const parsed = labelsSchema.safeParse(await call('GET', ref, '/labels'));
      return parsed.success ? parsed.data.payload : [];
    },
    /**
     * Replaces the conversation's labels; Chatwoot keeps only titles defined in the account
     * (Settings → Labels) and answers with the list it kept.
     */
    async setLabels(ref: ConversationRef, labels: string[]): Promise<string[] | undefined> {
      const parsed = labelsSchema.safeParse(await call('POST', ref, '/labels', { labels }));
      return parsed.success ? parsed.data.payload : undefined;
    },
    async setPriority(ref: ConversationRef, priority: ChatwootPriority): Promise<void> {
      await call('POST', ref, '/toggle_priority', { priority });
    },
    async setStatus(ref: ConversationRef, status: 'open' | 'pending'): Promise<void> {
      await call('POST', ref, '/toggle_status', { status });
    },
  };
}

export type ChatwootApi = ReturnType<typeof createChatwootApi>;
