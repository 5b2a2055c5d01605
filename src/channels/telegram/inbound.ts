/**
 * Telegram's webhook: `POST /channels/telegram/webhook`. Telegram signs nothing; it repeats the
 * setWebhook `secret_token` in `X-Telegram-Bot-Api-Secret-Token`, compared here in constant
 * time. A customer's message is stored before the 200 goes back; Telegram re-delivers an
 * update on any other status (with backoff, for up to a day), so the answers are chosen for it:
 * 429 with Retry-After when the backlog is full, 200 for every update deliberately left alone
 * (a retry cannot change that), 400 only for a body that is not an Update at all, which
 * Telegram never sends.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { BusyError, InvalidError } from '../../errors/domain-errors.js';
import { describeIssues, errorResponse } from '../../http/errors.js';
import type { ChannelContext } from '../channel-module.js';
import { readUpdate, telegramUpdateSchema } from './update.js';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Hashing first makes the comparison constant-time whatever the length given. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function secretMatches(expected: string, given: string | undefined): boolean {
  return given !== undefined && timingSafeEqual(digest(expected), digest(given));
}

export interface TelegramWebhookOptions {
  secret: string;
  context: Pick<ChannelContext, 'receive' | 'firstDelivery' | 'maxTextChars' | 'logger'>;
}

export function registerTelegramWebhook(router: Hono, options: TelegramWebhookOptions): void {
  const { context } = options;
  const logger = context.logger;

  router.post('/webhook', async function telegramWebhook(c: Context) {
    if (!secretMatches(options.secret, c.req.header(SECRET_HEADER)))
      return errorResponse(
        c,
        'unauthorized',
        'Missing or wrong X-Telegram-Bot-Api-Secret-Token: call setWebhook with secret_token set to TELEGRAM_WEBHOOK_SECRET.',
      );
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return errorResponse(c, 'invalid_json', 'The body is not JSON: send a Telegram Update.');
    }
    const update = telegramUpdateSchema.safeParse(body);
    if (!update.success)
      return errorResponse(
        c,
        'validation_failed',
        `Not a Telegram Update: ${describeIssues(update.error.issues)}.`,
      );
    const updateId = update.data.update_id;
    const reading = readUpdate(update.data, context.maxTextChars);
    if (reading.kind === 'ignored') {
      logger.debug({ updateId, reason: reading.reason }, 'telegram update ignored');
      return c.json({ ok: true, stored: false, reason: reading.reason });
    }
    // A repeat means Telegram did not get our answer to an earlier delivery. It still goes to
    // the intake: if that delivery was refused (429) or died before storing, this one must be
    // stored, and for a stored one the unique message id makes the intake drop it.
    const repeat = !(await context.firstDelivery(`update:${updateId}`));
    try {
      const result = await context.receive(reading.message);
      const duplicate =
        result.status === 'queued' ? result.accepted.duplicate : result.outcome.duplicate;
      if (repeat) logger.info({ updateId, duplicate }, 'telegram delivered an update again');
      return c.json({ ok: true, stored: true, duplicate });
    } catch (error) {
      if (error instanceof BusyError) {
        c.header('Retry-After', String(error.retryAfterSeconds));
        return errorResponse(c, 'rate_limited', error.message);
      }
      if (error instanceof InvalidError) {
        // Telegram would send the same text again and again: acknowledge, and say why in the log.
        logger.warn({ updateId, error: error.message }, 'telegram message refused by the contract');
        return c.json({ ok: true, stored: false, reason: 'invalid_message' });
      }
      throw error;
    }
  });
}
