/**
 * Console sessions kept in the database: the cookie carries a random token, the table its
 * hash, so signing out (or disabling the user) ends the session in every process at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Principal } from './roles.js';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SessionStoreOptions {
  db: Kysely<Database>;
  lifetimeHours?: number;
  now?: () => Date;
}

export function createSessionStore({ db, lifetimeHours = 12, now = () => new Date() }: SessionStoreOptions) {
  return {
    lifetimeSeconds: lifetimeHours * 3600,

    /** A new session for the user; returns the token for the cookie. */
    async start(userId: string): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      const at = now();
      // Sweep expired sessions while we are here, so the table stays small without a job.
      await db.deleteFrom('sessions').where('expires_at', '<', at).execute();
      await db
        .insertInto('sessions')
        .values({ token_hash: hashToken(token), user_id: userId, expires_at: new Date(at.getTime() + lifetimeHours * 3_600_000) })
        .execute();
      return token;
    },

    /** The signed-in user, or undefined for an unknown, ended or expired session or a disabled user. */
    async principalFor(token: string): Promise<Principal | undefined> {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['users.id', 'users.username', 'users.role'])
        .where('sessions.token_hash', '=', hashToken(token))
        .where('sessions.expires_at', '>', now())
        .where('users.disabled_at', 'is', null)
        .executeTakeFirst();
      return row ? { kind: 'user', id: row.id, name: row.username, role: row.role } : undefined;
    },

    async end(token: string): Promise<void> {
      await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
