/**
 * Commands that only need the database (no models): console users (add, list, disable,
 * enable), API keys (create, list, revoke), and the agents' feedback export for eval suites.
 * Changes to users and keys are recorded in the audit log as `cli:<local user>`.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { type Command, Option } from 'commander';
import {
  createCredentialStore,
  CredentialsError,
  minimumPasswordLength,
  parseChannelList,
} from '../auth/credentials.js';
import { roles, type Role } from '../auth/roles.js';
import { loadConfig } from '../config/env.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { feedbackRecords } from '../feedback/feedback-export.js';
import { cliActor } from './cli-actor.js';
import { readPassword } from './password-prompt.js';

export async function withDatabase<T>(work: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.dataDir,
  });
  try {
    await migrateToLatest(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}

export function registerAdminCommands(program: Command) {
  const users = program.command('users').description('console users');
  users
    .command('add')
    .description(
      `add a console user, or reset their password and role (asked for on a terminal, else read from stdin; at least ${minimumPasswordLength} characters)`,
    )
    .argument('<username>')
    .addOption(
      new Option('--role <role>', 'the console role').choices(['agent', 'admin']).default('agent'),
    )
    .option('--name <display>', 'display name')
    .action(async (username: string, options: { role: 'agent' | 'admin'; name?: string }) => {
      const password = await readPassword(username);
      // Checked before the database opens, so a short password costs nothing.
      if (password.length < minimumPasswordLength) {
        throw new CredentialsError(
          `a console password must be at least ${minimumPasswordLength} characters (got ${password.length}); nothing was saved`,
        );
      }
      await withDatabase((database) =>
        createCredentialStore(database.db).upsertUser(
          {
            username,
            password,
            role: options.role,
            displayName: options.name,
          },
          cliActor(),
        ),
      );
      console.log(`user ${username} (${options.role}) saved`);
    });
  users
    .command('list')
    .description('list console users, disabled ones included')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await withDatabase((database) => createCredentialStore(database.db).listUsers());
      if (options.json) return console.log(JSON.stringify(list, null, 2));
      for (const user of list) {
        console.log(
          `${user.username}\t${user.role}\t${user.disabledAt ? `disabled ${user.disabledAt}` : 'enabled'}\t${user.displayName}`,
        );
      }
    });
  for (const [command, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    users
      .command(command)
      .description(
        enabled
          ? 'let a disabled console user sign in again'
          : 'stop a console user signing in; their sessions end at once',
      )
      .argument('<username>')
      .action(async (username: string) => {
        const user = await withDatabase((database) =>
          createCredentialStore(database.db).setUserEnabled(username, enabled, cliActor()),
        );
        console.log(`user ${user.username} ${user.disabledAt ? 'disabled' : 'enabled'}`);
      });
  }

  const keys = program.command('keys').description('API keys');
  keys
    .command('create')
    .description(
      'create an API key and print it once (the API asks every caller for credentials from then on)',
    )
    .argument('<name>', 'who uses it, e.g. the channel integration')
    .addOption(
      new Option('--role <role>', 'what the key may do').choices(roles).default('integration'),
    )
    .option(
      '--channels <list>',
      "integration keys: the channels it may act for, comma-separated (e.g. web,app), or '*' for every channel",
    )
    .action(async (name: string, options: { role: Role; channels?: string }) => {
      if (options.role === 'integration' && options.channels === undefined) {
        throw new CredentialsError(
          "an integration key needs --channels: the channels it may act for (e.g. --channels web,app), or --channels '*' for every channel",
        );
      }
      if (options.role !== 'integration' && options.channels !== undefined)
        throw new CredentialsError('only integration keys take --channels');
      const channels =
        options.channels === undefined ? undefined : parseChannelList(options.channels, ',');
      const key = await withDatabase((database) =>
        createCredentialStore(database.db).createApiKey(name, options.role, channels, cliActor()),
      );
      console.log(key);
    });
  keys
    .command('list')
    .description('list API keys (never the keys themselves), revoked ones included')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await withDatabase((database) =>
        createCredentialStore(database.db).listApiKeys(),
      );
      if (options.json) return console.log(JSON.stringify(list, null, 2));
      for (const key of list) {
        const channels = key.role === 'integration' ? (key.channels?.join(',') ?? '*') : '-';
        console.log(
          `${key.id}\t${key.name}\t${key.role}\t${channels}\t${key.revokedAt ? `revoked ${key.revokedAt}` : 'active'}`,
        );
      }
    });
  keys
    .command('revoke')
    .description('revoke an API key at once, for good (also one listed in API_KEYS)')
    .argument('<key>', 'its id, or its name when one key has it (see keys list)')
    .action(async (reference: string) => {
      const key = await withDatabase((database) =>
        createCredentialStore(database.db).revokeApiKey(reference, cliActor()),
      );
      console.log(`key ${key.name} (${key.id}) revoked at ${key.revokedAt}`);
    });

  program
    .command('feedback')
    .description('agent feedback on drafts')
    .command('export')
    .description('write accepted / edited / rejected drafts as JSONL (customer text redacted)')
    .option('--out <file>', 'output file (default: stdout)')
    .option('--since <iso>', 'only decisions at or after this time')
    .action(async (options: { out?: string; since?: string }) => {
      const since = options.since ? new Date(options.since) : undefined;
      if (since && Number.isNaN(since.getTime()))
        throw new Error('--since must be an ISO date or time');
      const out = options.out ? createWriteStream(options.out) : process.stdout;
      let count = 0;
      await withDatabase(async (database) => {
        for await (const record of feedbackRecords(database.db, { since })) {
          if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
          count++;
        }
      });
      if (options.out) {
        out.end();
        await once(out, 'finish');
      }
      console.error(`${count} feedback records`);
    });
}
