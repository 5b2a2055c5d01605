/**
 * The widget's settings: which public site keys may open it, which shop origins may embed it,
 * and how many messages a visitor and an address may send a minute. The site keys and origins
 * are both required: one without the other is a half-set channel and stops start-up.
 */
import { z } from 'zod';
import { optionalSetting } from '../channel-env.js';

/** Site keys are public (they sit in the shop's page source): letters, digits, - and _. */
export const siteKeyPattern = /^[A-Za-z0-9_-]{1,64}$/;

function commaList<Item extends z.ZodType<string, string>>(item: Item) {
  return optionalSetting
    .transform((value) =>
      value
        ?.split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .pipe(z.array(item).min(1, 'must list at least one entry').optional());
}

/** `https://shop.example.com[:port]` as a browser sends it in `Origin` (no path, no trailing slash). */
const origin = z.string().transform((value, context) => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const bare = url && (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash;
  if (!url || !['http:', 'https:'].includes(url.protocol) || !bare || url.username) {
    context.addIssue({
      code: 'custom',
      message: `"${value}" is not an origin: write the scheme, host and port only, like https://shop.example.com`,
    });
    return z.NEVER;
  }
  return url.origin;
});

const perMinute = (fallback: number) =>
  optionalSetting
    .transform((value) => (value === undefined ? fallback : Number(value)))
    .pipe(z.number('must be a whole number').int('must be a whole number').min(1).max(100_000));

export const widgetEnv = z.object({
  /** Public keys the snippet carries in `data-site-key`, comma-separated; required. */
  WIDGET_SITE_KEYS: commaList(
    z.string().regex(siteKeyPattern, 'site keys are 1-64 letters, digits, - or _'),
  ),
  /** Origins of the pages that may embed the widget, comma-separated; required. */
  WIDGET_ALLOWED_ORIGINS: commaList(origin),
  /** Messages one visitor may send a minute (a burst of this many, then one every 60/N s). */
  WIDGET_RATE_LIMIT_PER_MINUTE: perMinute(20),
  /** Messages one client address may send a minute: higher, as visitors behind one NAT share it. */
  WIDGET_ADDRESS_RATE_LIMIT_PER_MINUTE: perMinute(60),
});

export interface WidgetSettings {
  siteKeys: ReadonlySet<string>;
  allowedOrigins: ReadonlySet<string>;
  visitorMessagesPerMinute: number;
  addressMessagesPerMinute: number;
  /** TRUST_PROXY (the service's setting): the client address comes from X-Forwarded-For. */
  trustProxy: boolean;
}

export function widgetSettings(
  parsed: z.infer<typeof widgetEnv>,
  environment: Readonly<Record<string, string | undefined>>,
): WidgetSettings {
  const trustProxy = (environment.TRUST_PROXY ?? '').trim().toLowerCase();
  return {
    siteKeys: new Set(parsed.WIDGET_SITE_KEYS),
    allowedOrigins: new Set(parsed.WIDGET_ALLOWED_ORIGINS),
    visitorMessagesPerMinute: parsed.WIDGET_RATE_LIMIT_PER_MINUTE,
    addressMessagesPerMinute: parsed.WIDGET_ADDRESS_RATE_LIMIT_PER_MINUTE,
    trustProxy: trustProxy === 'true' || trustProxy === '1',
  };
}
