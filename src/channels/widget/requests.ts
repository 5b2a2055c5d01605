/**
 * The widget's request shapes. The visitor id is the only thing tying a browser to its
 * conversation, so it must be long and random enough not to be guessed (the script makes
 * 128 random bits); the site key must be one the service was given.
 */
import { z } from 'zod';

export const visitorIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]{22,64}$/,
    'must be the random visitor id the widget made (22-64 letters, digits, - or _)',
  );

const siteKey = z.string().min(1, 'is required').max(64);
const messageId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1-64 letters, digits, - or _');

/** `GET /channels/widget/messages` and `/stream`: whose conversation, and after which message. */
export const transcriptQuerySchema = z.object({
  siteKey,
  visitorId: visitorIdSchema,
  after: z.string().min(1).max(64).optional(),
});

/** `POST /channels/widget/messages`. */
export function widgetMessageRequestSchema(maxTextChars: number) {
  return z
    .object({
      siteKey,
      visitorId: visitorIdSchema,
      /** Made by the page for each message and sent again on a retry: a resend is a duplicate. */
      clientMessageId: messageId,
      text: z
        .string()
        .trim()
        .min(1, 'the message is empty')
        .max(maxTextChars, `the message is longer than ${maxTextChars} characters: shorten it`)
        // Postgres cannot store U+0000 in text; nobody types it.
        .refine((text) => !text.includes('\u0000'), 'the message contains a NUL character'),
      /** The page's language (data-lang or navigator.language): a hint for triage. */
      locale: z
        .string()
        .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8}){0,3}$/, 'must be a language tag like zh-CN')
        .max(16)
        .optional(),
    })
    .strict();
}
export type WidgetMessageRequest = z.infer<ReturnType<typeof widgetMessageRequestSchema>>;
