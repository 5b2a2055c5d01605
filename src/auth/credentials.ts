/**
 * API keys and console users, kept in the database so every process sees the same ones.
 * Keys are stored as SHA-256 (they are long and random); passwords with scrypt.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAuditEntry } from '../audit/audit.repository.js';
import type { Database } from '../db/tables.js';
import {
  type AccessAuditActor,
  createAccessAdmin,
  type CredentialStoreOptions,
  systemActor,
} from './access-admin.js';
import {
  activeApiKeyByHash,
  anyApiKey,
  anyUser,
  enabledUserByName,
  insertApiKey,
  settingOrInsert,
  upsertApiKey,
  upsertUser,
  userByName,
} from './auth.repository.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { type Principal, type Role, roles } from './roles.js';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A credential someone supplied is unusable: the message says which and why (one line). */
export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

export const minimumPasswordLength = 8;

export interface ConfiguredApiKey {
  key: string;
  role: Role;
  name: string;
  /** Integration keys: the channels the key may act for; undefined: every channel. */
  channels?: string[];
}

/** The shortest key accepted: long enough that guessing one is hopeless. */
export const minimumApiKeyLength = 16;

/**
 * Parses a channel list: `web|wecom` (API_KEYS) or `web,wecom` (the CLI); `*` is every
 * channel (undefined).
 */
export function parseChannelList(value: string, separator: '|' | ','): string[] | undefined {
  const channels = [
    ...new Set(
      value
        .split(separator)
        .map((channel) => channel.trim())
        .filter(Boolean),
    ),
  ];
  if (channels.length === 0)
    throw new CredentialsError(`name at least one channel, or * for every channel`);
  if (channels.includes('*')) return undefined;
  const bad = channels.find((channel) => !/^[A-Za-z0-9_.:-]{1,64}$/.test(channel));
  if (bad)
    throw new CredentialsError(`channel "${bad}" is not a channel name (letters, digits, _ . : -)`);
  return channels;
}

/**
 * Parses `API_KEYS`: comma-separated `key:role[:name[:channels]]` entries; channels (for
 * integration keys) are separated by `|`, `*` or nothing meaning every channel.
 */
export function parseApiKeys(value: string | undefined): ConfiguredApiKey[] {
  if (!value) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index) => {
      const [key, role, name, ...rest] = entry.split(':').map((part) => part.trim());
      const where = `API_KEYS entry ${index + 1}`;
      if (!key || key.length < minimumApiKeyLength) {
        throw new CredentialsError(
          `${where}: a key must be at least ${minimumApiKeyLength} characters (got ${key?.length ?? 0})`,
        );
      }
      if (!roles.includes(role as Role))
        throw new CredentialsError(`${where}: role must be one of ${roles.join(', ')}`);
      const channelList = rest.join(':');
      if (channelList && role !== 'integration')
        throw new CredentialsError(`${where}: only integration keys take a channel list`);
      let channels: string[] | undefined;
      try {
        channels = channelList ? parseChannelList(channelList, '|') : undefined;
      } catch (error) {
        throw new CredentialsError(`${where}: ${(error as Error).message}`);
      }
      return {
        key,
        role: role as Role,
        name: name || `${role}-${index + 1}`,
        ...(channels ? { channels } : {}),
      };
    });
}

export function createCredentialStore(db: Kysely<Database>, options: CredentialStoreOptions = {}) {
  const now = options.now ?? (() => new Date());
  const admin = createAccessAdmin(db, { now });

  /**
   * A new random key; `channels` limits an integration key (undefined: every channel). The
   * audit log records who made it; the key itself is shown once and never stored.
   */
  async function createApiKeyWithId(
    name: string,
    role: Role,
    channels?: string[],
    actor: AccessAuditActor = systemActor,
  ): Promise<{ key: string; id: string }> {
    if (channels && role !== 'integration')
      throw new CredentialsError('only integration keys take a channel list');
    const key = `tk_${randomBytes(24).toString('base64url')}`;
    const id = await db.transaction().execute(async (trx) => {
      const { id } = await insertApiKey(trx, {
        name,
        role,
        keyHash: hashApiKey(key),
        channels: channels ? JSON.stringify(channels) : null,
      });
      await appendAuditEntry(trx, {
        ...actor,
        action: 'api_key.create',
        subjectType: 'api_key',
        subjectId: id,
        details: { name, role, channels: channels ?? null },
        at: now(),
      });
      return id;
    });
    return { key, id };
  }

  return {
    ...admin,

    /**
     * Makes the keys from configuration valid (idempotent; other keys are left alone). Returns
     * the names of configured keys that were revoked: they stay revoked.
     */
    async registerApiKeys(keys: ConfiguredApiKey[]): Promise<string[]> {
      const revoked: string[] = [];
      for (const { key, role, name, channels } of keys) {
        const scope = channels ? JSON.stringify(channels) : null;
        const stored = await upsertApiKey(db, {
          name,
          role,
          keyHash: hashApiKey(key),
          channels: scope,
        });
        if (stored.revoked) revoked.push(name);
      }
      return revoked;
    },

    createApiKeyWithId,

    async createApiKey(
      name: string,
      role: Role,
      channels?: string[],
      actor?: AccessAuditActor,
    ): Promise<string> {
      return (await createApiKeyWithId(name, role, channels, actor)).key;
    },

    /**
     * Whether anyone has set up credentials: an API key (from API_KEYS or `keys create`,
     * revoked ones included) or a console user besides the `admin` made on first start.
     * It never turns false again, so revoking keys cannot reopen the API.
     */
    async credentialsConfigured(): Promise<boolean> {
      if (await anyApiKey(db)) return true;
      return anyUser(db, { except: 'admin' });
    },

    async principalForKey(key: string): Promise<Principal | undefined> {
      const row = await activeApiKeyByHash(db, hashApiKey(key));
      if (!row) return undefined;
      return {
        kind: 'api_key',
        id: row.id,
        name: row.name,
        role: row.role,
        ...(row.role === 'integration' && row.channels ? { channels: row.channels } : {}),
      };
    },

    /** Adds a user or resets their password and role (enabling them); audited when an actor is given. */
    async upsertUser(
      user: {
        username: string;
        password: string;
        role: 'agent' | 'admin';
        displayName?: string;
      },
      actor?: AccessAuditActor,
    ) {
      if (user.password.length < minimumPasswordLength) {
        throw new CredentialsError(
          `a console password must be at least ${minimumPasswordLength} characters (got ${user.password.length})`,
        );
      }
      const passwordHash = await hashPassword(user.password);
      await upsertUser(db, {
        username: user.username,
        displayName: user.displayName ?? user.username,
        role: user.role,
        passwordHash,
      });
      if (actor) {
        const saved = await userByName(db, user.username);
        await appendAuditEntry(db, {
          ...actor,
          action: 'user.save',
          subjectType: 'user',
          subjectId: saved?.id ?? null,
          details: { username: user.username, role: user.role },
          at: now(),
        });
      }
    },

    async hasUsers(): Promise<boolean> {
      return anyUser(db);
    },

    /** The principal for a username and password, or undefined; the same work either way. */
    async signIn(username: string, password: string): Promise<Principal | undefined> {
      const row = await enabledUserByName(db, username);
      // Hash even for an unknown user, so timing does not tell which usernames exist.
      const ok = await verifyPassword(
        password,
        row?.password_hash ??
          'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      );
      return row && ok
        ? { kind: 'user', id: row.id, name: row.username, role: row.role }
        : undefined;
    },

    /** A secret every process shares (session cookies), made once and kept in the database. */
    async sharedSecret(name: string): Promise<string> {
      return settingOrInsert(db, name, randomBytes(32).toString('base64url'));
    },
  };
}

export type CredentialStore = ReturnType<typeof createCredentialStore>;
