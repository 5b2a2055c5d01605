/** Builds the auth settings the HTTP layer uses from configuration and the database. */
import type { Kysely } from 'kysely';
import type { Config } from '../config/env.js';
import type { Database } from '../db/tables.js';
import type { AuthSettings } from './auth.middleware.js';
import { createAuthMode } from './auth-mode.js';
import type { CredentialStore } from './credentials.js';
import { createSessionStore } from './sessions.js';
import { createSignInThrottle } from './sign-in-throttle.js';

export function createAuthSettings(options: {
  db: Kysely<Database>;
  credentials: CredentialStore;
  config: Pick<Config, 'AUTH_MODE' | 'TRUST_PROXY'>;
  now: () => Date;
}): AuthSettings {
  const { db, credentials, config, now } = options;
  let secret: Promise<string> | undefined;
  return {
    credentials,
    sessions: createSessionStore({ db, now }),
    throttle: createSignInThrottle({ db, now }),
    mode: createAuthMode(config.AUTH_MODE, credentials),
    trustProxy: config.TRUST_PROXY,
    sessionSecret: () => (secret ??= credentials.sharedSecret('session_secret')),
  };
}
