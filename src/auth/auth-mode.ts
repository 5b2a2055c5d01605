/**
 * Whether the API asks callers for credentials. `auto` (the default) is open only while
 * nobody has set up credentials, like Meilisearch without a master key: the first API key
 * (from API_KEYS or `triage keys create`, even in a running server) or console user besides
 * `admin` closes it for good. `required` always asks; `open` never does (development only).
 */
import { z } from 'zod';
import type { CredentialStore } from './credentials.js';

export const authModeSettings = ['auto', 'required', 'open'] as const;
export type AuthModeSetting = (typeof authModeSettings)[number];
export const authModeSchema = z.enum(['required', 'open']);
export type AuthMode = z.infer<typeof authModeSchema>;

export interface AuthModeSource {
  setting: AuthModeSetting;
  /** The mode for this request: cheap once closed (cached), one small query while open. */
  current(): Promise<AuthMode>;
}

export function createAuthMode(
  setting: AuthModeSetting,
  credentials: Pick<CredentialStore, 'credentialsConfigured'>,
): AuthModeSource {
  // Closing is one-way (credentials are never forgotten), so caching `required` is safe;
  // `open` is re-checked on every call so a key made by another process counts at once.
  let closed = setting === 'required';
  return {
    setting,
    async current() {
      if (setting === 'open') return 'open';
      if (!closed) closed = await credentials.credentialsConfigured();
      return closed ? 'required' : 'open';
    },
  };
}
