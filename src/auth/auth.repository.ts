/**
 * All SQL of authentication: API keys, console users, sessions, the shared secrets in
 * app_settings, and the sign-in failure counts. Functions take the database (or an open
 * transaction) first and return rows; hashing and policy stay with the callers.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, UsersTable } from '../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

// API keys

/** A key to store: its name, role, hash and channel scope (null: every channel). */
interface ApiKeyInput {
  name: string;
  role: Database['api_keys']['role'];
  keyHash: string;
  channels: string | null;
}

/**
 * Gives a configured key this name, role and scope. A revoked key stays revoked: revoking is
 * for good, also for a key still listed in API_KEYS (returns whether it is revoked).
 */
export async function upsertApiKey(db: Db, key: ApiKeyInput): Promise<{ revoked: boolean }> {
  const row = await db
    .insertInto('api_keys')
    .values({ name: key.name, role: key.role, key_hash: key.keyHash, channels: key.channels })
    .onConflict((conflict) =>
      conflict
        .column('key_hash')
        .doUpdateSet({ name: key.name, role: key.role, channels: key.channels }),
    )
    .returning('revoked_at')
    .executeTakeFirstOrThrow();
  return { revoked: row.revoked_at !== null };
}

export async function insertApiKey(db: Db, key: ApiKeyInput): Promise<{ id: string }> {
  return db
    .insertInto('api_keys')
    .values({ name: key.name, role: key.role, key_hash: key.keyHash, channels: key.channels })
    .returning('id')
    .executeTakeFirstOrThrow();
}

const apiKeyColumns = ['id', 'name', 'role', 'channels', 'created_at', 'revoked_at'] as const;

/** Every key, revoked ones too, oldest first (never the hash). */
export async function listApiKeys(db: Db) {
  return db.selectFrom('api_keys').select(apiKeyColumns).orderBy('created_at').execute();
}

/** Keys by id, or by name when `reference` is not an id. */
export async function apiKeysByReference(db: Db, reference: string) {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(reference);
  return db
    .selectFrom('api_keys')
    .select(apiKeyColumns)
    .where(isId ? 'id' : 'name', '=', reference)
    .orderBy('created_at')
    .execute();
}

/** Revokes the key unless it already is; returns it when this call revoked it. */
export async function revokeApiKey(db: Db, id: string, now: Date) {
  return db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning(apiKeyColumns)
    .executeTakeFirst();
}

export async function anyApiKey(db: Db): Promise<boolean> {
  return Boolean(await db.selectFrom('api_keys').select('id').limit(1).executeTakeFirst());
}

export async function activeApiKeyByHash(db: Db, keyHash: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'role', 'channels'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

// Console users

export async function upsertUser(
  db: Db,
  user: { username: string; displayName: string; role: UsersTable['role']; passwordHash: string },
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      username: user.username,
      display_name: user.displayName,
      role: user.role,
      password_hash: user.passwordHash,
    })
    .onConflict((conflict) =>
      conflict.column('username').doUpdateSet({
        password_hash: user.passwordHash,
        role: user.role,
        display_name: user.displayName,
        disabled_at: null,
      }),
    )
    .execute();
}

/** Whether any user exists, or any besides one username. */
export async function anyUser(db: Db, options: { except?: string } = {}): Promise<boolean> {
  let query = db.selectFrom('users').select('id');
  if (options.except !== undefined) query = query.where('username', '<>', options.except);
  return Boolean(await query.limit(1).executeTakeFirst());
}

const userColumns = [
  'id',
  'username',
  'display_name',
  'role',
  'disabled_at',
  'created_at',
] as const;

export async function listUsers(db: Db) {
  return db.selectFrom('users').select(userColumns).orderBy('created_at').execute();
}

/** A user, enabled or not. */
export async function userByName(db: Db, username: string) {
  return db
    .selectFrom('users')
    .select(userColumns)
    .where('username', '=', username)
    .executeTakeFirst();
}

/** Disables (a time) or enables (null) a user; returns the user, or undefined when unknown. */
export async function setUserDisabledAt(db: Db, username: string, disabledAt: Date | null) {
  return db
    .updateTable('users')
    .set({ disabled_at: disabledAt })
    .where('username', '=', username)
    .returning(userColumns)
    .executeTakeFirst();
}

/** Ends every session of a user; returns how many there were. */
export async function deleteUserSessions(db: Db, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function enabledUserByName(db: Db, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'password_hash'])
    .where('username', '=', username)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

// Shared settings

/** The setting's value, storing `value` first when it has none (the first writer wins). */
export async function settingOrInsert(db: Db, key: string, value: string): Promise<string> {
  await db
    .insertInto('app_settings')
    .values({ key, value })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('app_settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row.value;
}

// Sessions

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}

export async function insertSession(
  db: Db,
  session: { tokenHash: string; userId: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      expires_at: session.expiresAt,
    })
    .execute();
}

/** The enabled user of an unexpired session. */
export async function sessionUser(db: Db, tokenHash: string, now: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username', 'users.role'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

// Sign-in failures

/** Counts a failure of this key; a count whose last failure is before `forgetBefore` starts again at 1. */
export async function countSignInFailure(
  db: Db,
  key: string,
  at: Date,
  forgetBefore: Date,
): Promise<number> {
  const row = await db
    .insertInto('sign_in_failures')
    .values({ key, failures: 1, last_failure_at: at })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({
        failures: sql`case when sign_in_failures.last_failure_at < ${forgetBefore} then 1 else sign_in_failures.failures + 1 end`,
        last_failure_at: at,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return row.failures;
}

export async function lockSignInKey(db: Db, key: string, until: Date): Promise<void> {
  await db
    .updateTable('sign_in_failures')
    .set({ locked_until: until })
    .where('key', '=', key)
    .execute();
}

export async function signInLocks(db: Db, keys: string[]) {
  return db
    .selectFrom('sign_in_failures')
    .select('locked_until')
    .where('key', 'in', keys)
    .execute();
}

/** Drops counts not failed since `forgetBefore` and not locked any more. */
export async function forgetSignInFailures(db: Db, forgetBefore: Date, now: Date): Promise<void> {
  await db
    .deleteFrom('sign_in_failures')
    .where('last_failure_at', '<', forgetBefore)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .execute();
}

export async function clearSignInFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
}
