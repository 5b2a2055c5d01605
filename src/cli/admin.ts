/**
 * Commands that only need the database (no models): console users, API keys, and the
 * agents' feedback export for eval suites.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { createCredentialStore } from '../auth/credentials.js';
import { roles, type Role } from '../auth/roles.js';
import { loadConfig } from '../config/env.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { feedbackRecords } from '../feedback/feedback-export.js';

async function withDatabase<T>(work: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.trim();
}

export function registerAdminCommands(program: Command) {
  const users = program.command('users').description('console users');
  users
    .command('add')
    .description('add a console user, or reset their password and role (password read from stdin)')
    .argument('<username>')
    .option('--role <role>', 'agent or admin', 'agent')
    .option('--name <display>', 'display name')
    .action(async (username: string, options: { role: string; name?: string }) => {
      if (options.role !== 'agent' && options.role !== 'admin') throw new Error('--role must be agent or admin');
      const password = await readStdin();
      await withDatabase((database) =>
        createCredentialStore(database.db).upsertUser({ username, password, role: options.role as 'agent' | 'admin', displayName: options.name }),
      );
      console.log(`user ${username} (${options.role}) saved`);
    });

  const keys = program.command('keys').description('API keys');
  keys
    .command('create')
    .description('create an API key and print it once')
    .argument('<name>', 'who uses it, e.g. the channel integration')
    .option('--role <role>', roles.join(', '), 'integration')
    .action(async (name: string, options: { role: string }) => {
      if (!roles.includes(options.role as Role)) throw new Error(`--role must be one of ${roles.join(', ')}`);
      const key = await withDatabase((database) => createCredentialStore(database.db).createApiKey(name, options.role as Role));
      console.log(key);
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
      if (since && Number.isNaN(since.getTime())) throw new Error('--since must be an ISO date or time');
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
