/** The `triage` command line: serve, migrate, triage a text, ingest and search the knowledge base. */
import { Command } from 'commander';
import { debugLoggingRequested, loadConfig } from '../config/env.js';
import { DataFolderInUseError, openDatabase } from '../db/database.js';
import { migrateToLatest, schemaVersion } from '../db/migrate.js';
import { startService } from '../service.js';
import { registerAdminCommands } from './admin.js';
import { registerCustomerCommands } from './customers.js';
import { describeCliError } from './cli-errors.js';
import { registerEvalCommand } from './eval.js';
import { IngestFolderError, registerKbCommands } from './kb.js';
import { formatTriage } from './format.js';
import { serveCommand } from './serve.js';

const program = new Command('triage')
  .description('Customer-service triage and auto-reply service')
  .showHelpAfterError();

program
  .command('serve')
  .description('migrate, ingest the knowledge base and serve HTTP on PORT')
  .action(async () => serveCommand(loadConfig()));

program
  .command('migrate')
  .description('apply database migrations and print the schema version')
  .action(async () => {
    const config = loadConfig();
    const database = await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.dataDir,
    });
    try {
      const applied = await migrateToLatest(database.db);
      console.log(
        `applied: ${applied.length ? applied.join(', ') : 'nothing (up to date)'}; schema version: ${await schemaVersion(database.db)}`,
      );
    } finally {
      await database.close();
    }
  });

program
  .command('triage')
  .description('triage one message and print the result')
  .argument('<text>', 'the customer message')
  .option('--locale <locale>', 'locale hint, e.g. zh-CN')
  .option('--json', 'print the full result as JSON')
  .action(async (text: string, options: { locale?: string; json?: boolean }) => {
    const service = await startService(loadConfig());
    try {
      const result = await service.triage.triage({ text, locale: options.locale });
      console.log(options.json ? JSON.stringify(result, null, 2) : formatTriage(result));
    } finally {
      await service.close();
    }
  });

registerKbCommands(program);
registerEvalCommand(program);
registerAdminCommands(program);
registerCustomerCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(
    describeCliError(error, {
      debug: debugLoggingRequested(),
      actionable: [IngestFolderError, DataFolderInUseError],
    }),
  );
  process.exit(1);
});
