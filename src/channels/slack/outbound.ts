/**
 * Replies go out with chat.postMessage into the customer's thread. Slack answers most failures
 * with HTTP 200 and `{"ok": false, "error": "<code>"}`, so the body decides: rate limits and
 * Slack's own failures are retried by the outbox, a refused request (unknown channel, bot not
 * in it, revoked token, text too long...) is not, since sending it again cannot succeed.
 */
import { type ChannelSender, DeliveryError, type OutboundDelivery } from '../channel.js';
import { parseSlackConversationId } from './addresses.js';
import { webApiResponseSchema } from './events.js';
import { plainToSlackText } from './slack-text.js';

/**
 * Error codes that mean "later". `fatal_error` may have posted the message before failing
 * (Slack's words), so a retry can show it twice; a missing reply is judged the worse outcome.
 */
const retryableErrors = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
]);

export interface SlackSenderOptions {
  apiBaseUrl: string;
  botToken: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** POSTs a Web API method with the bot token; the parsed answer, or a DeliveryError. */
export async function callSlackApi(
  options: SlackSenderOptions,
  method: string,
  body: Record<string, unknown>,
): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(`${options.apiBaseUrl}/${method}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.botToken}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new DeliveryError(`Slack ${method} unreachable: ${(error as Error).message}`, true);
  }
  const text = await response.text().catch(() => '');
  if (response.status === 429) {
    const retryAfter = response.headers.get('retry-after');
    throw new DeliveryError(
      `Slack ${method} answered 429 (rate limited${retryAfter ? `, retry after ${retryAfter} s` : ''})`,
      true,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const answer = webApiResponseSchema.safeParse(json);
  if (!response.ok) {
    const detail = answer.success ? (answer.data.error ?? '') : text.slice(0, 200);
    const retryable = response.status >= 500 || response.status === 408;
    throw new DeliveryError(
      `Slack ${method} answered ${response.status}${detail ? `: ${detail}` : ''}`,
      retryable,
    );
  }
  // A 200 that is not Slack's envelope comes from something in between (a proxy): try again.
  if (!answer.success) throw new DeliveryError(`Slack ${method} answered 200 without "ok"`, true);
  if (!answer.data.ok) {
    const code = answer.data.error ?? 'unknown_error';
    throw new DeliveryError(`Slack ${method} failed: ${code}`, retryableErrors.has(code));
  }
  return json;
}

export function slackSender(options: SlackSenderOptions): ChannelSender {
  return {
    name: 'slack',
    async send(delivery: OutboundDelivery) {
      const address = parseSlackConversationId(delivery.conversationId);
      if (!address) {
        throw new DeliveryError(
          `"${delivery.conversationId}" is not a Slack conversation id (<channel>:<thread ts>)`,
          false,
        );
      }
      await callSlackApi(options, 'chat.postMessage', {
        channel: address.channel,
        text: plainToSlackText(delivery.text),
        thread_ts: address.threadTs,
      });
    },
  };
}
