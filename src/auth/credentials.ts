/**
 * API keys and console users, kept in the database so every process sees the same ones.
 * Keys are stored as SHA-256 (they are long and random); passwords with scrypt.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { type Principal, type Role, roles } from './roles.js';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

/** Parses `API_KEYS`: comma-separated `key:role` (or `key:role:name`) entries. */
export function parseApiKeys(value: string | undefined): { key: string; role: Role; name: string }[] {
  if (!value) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index) => {
      const [key, role, name] = entry.split(':').map((part) => part.trim());
      if (!key || key.length < 16) throw new CredentialsError(`API_KEYS entry ${index + 1}: a key must be at least 16 characters`);
      if (!roles.includes(role as Role)) throw new CredentialsError(`API_KEYS entry ${index + 1}: role must be one of ${roles.join(', ')}`);
      return { key, role: role as Role, name: name || `${role}-${index + 1}` };
    });
}

export function createCredentialStore(db: Kysely<Database>) {
  return {
    /** Makes the keys from configuration valid (idempotent; other keys are left alone). */
    async registerApiKeys(keys: { key: string; role: Role; name: string }[]) {
      for (const { key, role, name } of keys) {
        await db
          .insertInto('api_keys')
          .values({ name, role, key_hash: hashApiKey(key) })
          .onConflict((conflict) => conflict.column('key_hash').doUpdateSet({ name, role, revoked_at: null }))
          .execute();
      }
    },

    async createApiKey(name: string, role: Role): Promise<string> {
      const key = `tk_${randomBytes(24).toString('base64url')}`;
      await db.insertInto('api_keys').values({ name, role, key_hash: hashApiKey(key) }).execute();
      return key;
    },

    async hasApiKeys(): Promise<boolean> {
      return Boolean(await db.selectFrom('api_keys').select('id').where('revoked_at', 'is', null).limit(1).executeTakeFirst());
    },

    async principalForKey(key: string): Promise<Principal | undefined> {
      const row = await db
        .selectFrom('api_keys')
        .select(['id', 'name', 'role'])
        .where('key_hash', '=', hashApiKey(key))
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return row ? { kind: 'api_key', id: row.id, name: row.name, role: row.role } : undefined;
    },

    async principalForUser(userId: string): Promise<Principal | undefined> {
      const row = await db
        .selectFrom('users')
        .select(['id', 'username', 'role'])
        .where('id', '=', userId)
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      return row ? { kind: 'user', id: row.id, name: row.username, role: row.role } : undefined;
    },

    async upsertUser(user: { username: string; password: string; role: 'agent' | 'admin'; displayName?: string }) {
      if (user.password.length < 8) throw new CredentialsError('a password must be at least 8 characters');
      const password_hash = await hashPassword(user.password);
      await db
        .insertInto('users')
        .values({ username: user.username, display_name: user.displayName ?? user.username, role: user.role, password_hash })
        .onConflict((conflict) =>
          conflict.column('username').doUpdateSet({ password_hash, role: user.role, display_name: user.displayName ?? user.username, disabled_at: null }),
        )
        .execute();
    },

    async hasUsers(): Promise<boolean> {
      return Boolean(await db.selectFrom('users').select('id').limit(1).executeTakeFirst());
    },

    /** The principal for a username and password, or undefined; the same work either way. */
    async signIn(username: string, password: string): Promise<Principal | undefined> {
      const row = await db
        .selectFrom('users')
        .select(['id', 'username', 'role', 'password_hash'])
        .where('username', '=', username)
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      // Hash even for an unknown user, so timing does not tell which usernames exist.
      const ok = await verifyPassword(password, row?.password_hash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
      return row && ok ? { kind: 'user', id: row.id, name: row.username, role: row.role } : undefined;
    },

    /** A secret every process shares (session cookies), made once and kept in the database. */
    async sharedSecret(name: string): Promise<string> {
      await db
        .insertInto('app_settings')
        .values({ key: name, value: randomBytes(32).toString('base64url') })
        .onConflict((conflict) => conflict.column('key').doNothing())
        .execute();
      const row = await db.selectFrom('app_settings').select('value').where('key', '=', name).executeTakeFirstOrThrow();
      return row.value;
    },
  };
}

export type CredentialStore = ReturnType<typeof createCredentialStore>;
