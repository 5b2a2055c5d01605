/**
 * Helpers for a channel's settings: each channel parses its own variables from the environment
 * with a zod object and is on only when its required ones are set. A half-configured channel
 * stops start-up with one line naming what is missing, like every other setting.
 */
import { z } from 'zod';
import { ConfigError } from '../config/env.js';

/** An optional variable; an empty value counts as unset (compose files pass `VAR=`). */
export const optionalSetting = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** A platform's API base URL with its public default; tests point it at a local fake. */
export function apiBaseUrl(defaultUrl: string) {
  return optionalSetting
    .pipe(z.url().optional())
    .transform((value) => (value ?? defaultUrl).replace(/\/+$/, ''));
}

/**
 * Parses the channel's variables; undefined when none of `required` is set (the channel is off),
 * ConfigError when only some are or a value is malformed.
 */
export function channelSettings<Schema extends z.ZodObject>(
  channel: string,
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
  required: readonly (keyof z.infer<Schema> & string)[],
): z.infer<Schema> | undefined {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(
      `Invalid configuration of the ${channel} channel. Set ${lines.join('; ')}.`,
    );
  }
  const values = parsed.data as Record<string, unknown>;
  const missing = required.filter((key) => values[key] === undefined);
  if (missing.length === required.length) return undefined;
  if (missing.length > 0) {
    const set = required.filter((key) => !missing.includes(key));
    throw new ConfigError(
      `Invalid configuration of the ${channel} channel: ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not. Set ${missing.join(' and ')}, or unset ${set.join(' and ')} to turn the channel off.`,
    );
  }
  return parsed.data;
}
