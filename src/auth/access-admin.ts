/**
 * Looking after access: listing and revoking API keys, listing, disabling and enabling console
 * users, and the audit log's record of every such change and of every sign-in attempt. Part of
 * the credential store (credentials.ts spreads it in), kept apart so that file stays about
 * checking credentials.
 */
import type { Kysely } from 'kysely';
import { appendAuditEntry, type AuditEntryInsert } from '../audit/audit.repository.js';
import type { Database } from '../db/tables.js';
import { ConflictError, NotFoundError } from '../errors/domain-errors.js';
import {
  apiKeysByReference,
  deleteUserSessions,
  listApiKeys,
  listUsers,
  revokeApiKey,
  setUserDisabledAt,
  userByName,
} from './auth.repository.js';
import type { Principal, Role } from './roles.js';

/** Who changed a key or user: an admin by name (`agent`), or the command line (`system`). */
export type AccessAuditActor = Pick<AuditEntryInsert, 'actorType' | 'actorId'>;
export const systemActor: AccessAuditActor = { actorType: 'system', actorId: null };

export interface CredentialStoreOptions {
  /** The time of audit entries, revocations and disabling (the service clock). */
  now?: () => Date;
}

/** A key as listed: never the key or its hash. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  role: Role;
  channels: string[] | null;
  createdAt: string;
  revokedAt: string | null;
}

/** A console user as listed: never the password hash. */
export interface UserInfo {
  id: string;
  username: string;
  displayName: string;
  role: 'agent' | 'admin';
  disabledAt: string | null;
  createdAt: string;
}

const iso = (value: Date | string | null) =>
  value === null ? null : new Date(value).toISOString();

function apiKeyInfo(row: Awaited<ReturnType<typeof listApiKeys>>[number]): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    channels: row.channels,
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: iso(row.revoked_at),
  };
}

function userInfo(row: Awaited<ReturnType<typeof listUsers>>[number]): UserInfo {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabledAt: iso(row.disabled_at),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export function createAccessAdmin(db: Kysely<Database>, options: { now: () => Date }) {
  const { now } = options;
  const audit = (
    executor: Parameters<typeof appendAuditEntry>[0],
    actor: AccessAuditActor,
    entry: Pick<AuditEntryInsert, 'action' | 'subjectType' | 'subjectId' | 'details'>,
  ) => appendAuditEntry(executor, { ...actor, ...entry, at: now() });

  return {
    async listApiKeys(): Promise<ApiKeyInfo[]> {
      return (await listApiKeys(db)).map(apiKeyInfo);
    },

    async apiKey(id: string): Promise<ApiKeyInfo | undefined> {
      const [row] = await apiKeysByReference(db, id);
      return row && apiKeyInfo(row);
    },

    /**
     * Revokes a key by id, or by name when one key has it: it stops working at once, on every
     * instance, and stays revoked even if API_KEYS still lists it. Revoking a revoked key
     * changes nothing and records nothing.
     */
    async revokeApiKey(reference: string, actor: AccessAuditActor): Promise<ApiKeyInfo> {
      const found = await apiKeysByReference(db, reference);
      if (found.length === 0) throw new NotFoundError(`No API key ${reference}.`);
      if (found.length > 1) {
        throw new ConflictError(
          `${found.length} API keys are named ${reference}: revoke one by its id (${found.map((row) => row.id).join(', ')}).`,
        );
      }
      const key = found[0]!;
      return db.transaction().execute(async (trx) => {
        const revoked = await revokeApiKey(trx, key.id, now());
        if (!revoked) return apiKeyInfo(key);
        await audit(trx, actor, {
          action: 'api_key.revoke',
          subjectType: 'api_key',
          subjectId: key.id,
          details: { name: key.name, role: key.role },
        });
        return apiKeyInfo(revoked);
      });
    },

    async listUsers(): Promise<UserInfo[]> {
      return (await listUsers(db)).map(userInfo);
    },

    /**
     * Disables a user (their sessions end at once and they cannot sign in) or enables them
     * again; recorded in the audit log when it changes something.
     */
    async setUserEnabled(
      username: string,
      enabled: boolean,
      actor: AccessAuditActor,
    ): Promise<UserInfo> {
      return db.transaction().execute(async (trx) => {
        const before = await userByName(trx, username);
        if (!before) throw new NotFoundError(`No console user ${username}.`);
        if ((before.disabled_at === null) === enabled) return userInfo(before);
        const user = (await setUserDisabledAt(trx, username, enabled ? null : now()))!;
        const sessionsEnded = enabled ? 0 : await deleteUserSessions(trx, user.id);
        await audit(trx, actor, {
          action: enabled ? 'user.enable' : 'user.disable',
          subjectType: 'user',
          subjectId: user.id,
          details: { username, ...(enabled ? {} : { sessionsEnded }) },
        });
        return userInfo(user);
      });
    },

    /**
     * A sign-in attempt for the audit log, with the client address. A failure names the user
     * only when the name exists: an unknown name may be a password typed in the wrong field.
     */
    async recordSignIn(attempt: {
      username: string;
      address: string | undefined;
      principal?: Principal;
    }): Promise<void> {
      const address = attempt.address ?? null;
      if (attempt.principal) {
        await audit(
          db,
          { actorType: 'agent', actorId: attempt.principal.name },
          {
            action: 'auth.sign_in',
            subjectType: 'user',
            subjectId: attempt.principal.id,
            details: { address },
          },
        );
        return;
      }
      const user = await userByName(db, attempt.username);
      await audit(db, systemActor, {
        action: 'auth.sign_in_failed',
        subjectType: 'user',
        subjectId: user?.id ?? null,
        details: user
          ? { username: user.username, disabled: user.disabled_at !== null, address }
          : { knownUser: false, address },
      });
    },
  };
}
