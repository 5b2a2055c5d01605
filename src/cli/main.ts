/** The `triage` command line: serve, migrate, triage a text, ingest and search the knowledge base. */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { debugLoggingRequested, loadConfig } from '../config/env.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest, schemaVersion } from '../db/migrate.js';
import { startService } from '../service.js';
import { registerAdminCommands } from './admin.js';
import { describeCliError } from './cli-errors.js';
import { registerEvalCommand } from './eval.js';
import { formatTriage } from './format.js';
import { ingestProgressBar } from './progress.js';
import { serveCommand } from './serve.js';

const program = new Command('triage').description('Customer-service triage and auto-reply service').showHelpAfterError();

program
  .command('serve')
  .description('migrate, ingest the knowledge base and serve HTTP on PORT')
  .action(async () => serveCommand(loadConfig()));

program
  .command('migrate')
  .description('apply database migrations and print the schema version')
  .action(async () => {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
    try {
      const applied = await migrateToLatest(database.db);
      console.log(`applied: ${applied.length ? applied.join(', ') : 'nothing (up to date)'}; schema version: ${await schemaVersion(database.db)}`);
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

const kb = program.command('kb').description('knowledge base');
kb.command('ingest')
  .description('ingest a folder (default: KNOWLEDGE_BASE_DIR); unchanged files are skipped')
  .argument('[path]', 'folder to ingest')
  .option('--json', 'print the report as JSON')
  .action(async (path: string | undefined, options: { json?: boolean }) => {
    const config = loadConfig();
    const service = await startService(config, { ingest: false });
    try {
      const progress = ingestProgressBar();
      const report = await service.knowledgeBase.ingestDirectory(resolve(path ?? config.knowledgeBaseDir), progress.update);
      progress.stop();
      if (options.json) console.log(JSON.stringify(report, null, 2));
      else {
        console.log(
          `${report.added.length} added, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.removed.length} removed, ${report.failed.length} failed; ${report.chunks} chunks embedded with ${report.embedder}`,
        );
        for (const failure of report.failed) console.log(`  ✗ ${failure.message}`);
      }
      if (report.failed.length) process.exitCode = 2;
    } finally {
      await service.close();
    }
  });
kb.command('search')
  .description('search the knowledge base')
  .argument('<query>')
  .option('--locale <locale>', 'zh or en')
  .option('--limit <n>', 'number of results', '5')
  .option('--json', 'print JSON')
  .action(async (query: string, options: { locale?: string; limit: string; json?: boolean }) => {
    const service = await startService(loadConfig(), { ingest: false });
    try {
      const matches = await service.knowledgeBase.search(query, { locale: options.locale, limit: Number(options.limit) });
      if (options.json) console.log(JSON.stringify(matches, null, 2));
      else for (const match of matches) console.log(`${match.score.toFixed(3)}  ${match.id} [${match.locale}] ${match.title}`);
    } finally {
      await service.close();
    }
  });

registerEvalCommand(program);
registerAdminCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(describeCliError(error, { debug: debugLoggingRequested() }));
  process.exit(1);
});
