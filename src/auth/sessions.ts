/**
 * Console sessions kept in the database: the cookie carries a random token, the table its
 * hash, so signing out (or disabling the user) ends the session in every process at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import {
  deleteExpiredSessions,
  deleteSession,
  insertSession,
  sessionUser,
} from './auth.repository.js';
import type { Principal } from './roles.js';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SessionStoreOptions {
  db: Kysely<Database>;
  lifetimeHours?: number;
  now?: () => Date;
}

export function createSessionStore({
  db,
  lifetimeHours = 12,
  now = () => new Date(),
}: SessionStoreOptions) {
  return {
    lifetimeSeconds: lifetimeHours * 3600,

    /** A new session for the user; returns the token for the cookie. */
    async start(userId: string): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      const at = now();
      // Sweep expired sessions while we are here, so the table stays small without a job.
      await deleteExpiredSessions(db, at);
      await insertSession(db, {
        tokenHash: hashToken(token),
        userId,
        expiresAt: new Date(at.getTime() + lifetimeHours * 3_600_000),
      });
      return token;
    },

    /** The signed-in user, or undefined for an unknown, ended or expired session or a disabled user. */
    async principalFor(token: string): Promise<Principal | undefined> {
      const row = await sessionUser(db, hashToken(token), now());
      return row ? { kind: 'user', id: row.id, name: row.username, role: row.role } : undefined;
    },

    async end(token: string): Promise<void> {
      await deleteSession(db, hashToken(token));
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
