/**
 * `triage kb ingest`, `kb search`, and the review of held documents (`kb held`, `kb approve`,
 * `kb reject`): the knowledge base from the command line.
 */
import { realpath, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config/env.js';
import { type ScreeningFinding, screeningFindingSchema } from '../kb/document-screening.js';
import {
  type HeldDocument,
  type IngestReport,
  KNOWLEDGE_BASE_SOURCE,
  type ReviewOutcome,
} from '../kb/kb.service.js';
import { startService } from '../service.js';
import { ingestProgressBar } from './progress.js';

/** A folder that cannot be ingested, said in one line (no stack trace). */
export class IngestFolderError extends Error {
  override name = 'IngestFolderError';
}

/**
 * The source a folder's documents belong to: the configured knowledge-base folder (however
 * it is spelled) is the one the start-up sync owns; any other folder is its real path.
 */
export async function folderSource(
  folder: string,
  config: Pick<Config, 'knowledgeBaseDir'>,
): Promise<string> {
  const real = async (path: string) => realpath(path).catch(() => resolve(path));
  const path = await real(folder);
  return path === (await real(config.knowledgeBaseDir)) ? KNOWLEDGE_BASE_SOURCE : path;
}

export function describeIngestReport(report: IngestReport, folder: string): string[] {
  const lines = [
    `${report.added.length} added, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.removed.length} removed, ${report.failed.length} failed; ${report.chunks} chunks embedded with ${report.embedder}`,
  ];
  if (report.missing.length) {
    lines.push(
      `${report.missing.length} earlier ingested from ${folder} no longer there, kept (--prune removes them): ${report.missing.join(', ')}`,
    );
  }
  for (const failure of report.failed) lines.push(`  ✗ ${failure.message}`);
  for (const document of report.held) lines.push(describeHeldDocument(document));
  return lines;
}

function describeReasons(reasons: ScreeningFinding[]): string {
  return reasons.map((reason) => `${reason.code} "${reason.evidence}"`).join('; ');
}

/** One line per held document: what it is, why it is held, and the command that releases it. */
export function describeHeldDocument(document: HeldDocument): string {
  return `  ⏸ held for review, not searchable: ${document.sourcePath} (${document.entryId} [${document.locale}]): ${describeReasons(document.reasons)}; approve: triage kb approve ${document.id}`;
}

/** The command line reviews as the local user, so the audit log names who approved. */
function cliReviewer(): string {
  return `cli:${userInfo().username}`;
}

/** The result of `kb approve` / `kb reject` in one line; not found or not held is exit code 1. */
function reportReview(outcome: ReviewOutcome, id: string): void {
  if (outcome.outcome === 'not_found') {
    console.error(`no knowledge-base document ${id} (triage kb held lists the held ones)`);
    process.exitCode = 1;
  } else if (outcome.outcome === 'not_held') {
    console.error(`document ${id} is not held: only held documents are approved or rejected`);
    process.exitCode = 1;
  } else {
    const { document } = outcome;
    console.log(
      `${outcome.outcome === 'approved' ? 'approved, now searchable' : 'rejected and deleted'}: ${document.sourcePath} (${document.entryId} [${document.locale}]) ${document.title}`,
    );
  }
}

export function registerKbCommands(program: Command) {
  const kb = program.command('kb').description('knowledge base');
  kb.command('ingest')
    .description(
      "add and update a folder's documents (default: KNOWLEDGE_BASE_DIR); unchanged files are skipped, other folders and uploads are not touched",
    )
    .argument('[path]', 'folder to ingest')
    .option(
      '--prune',
      'also remove documents earlier ingested from this folder whose files are gone from it',
    )
    .option('--json', 'print the report as JSON')
    .action(async (path: string | undefined, options: { prune?: boolean; json?: boolean }) => {
      const config = loadConfig();
      const folder = resolve(path ?? config.knowledgeBaseDir);
      const folderStats = await stat(folder).catch(() => undefined);
      if (!folderStats?.isDirectory())
        throw new IngestFolderError(
          `${folder} is not a folder: give the folder that holds the documents.`,
        );
      const source = await folderSource(folder, config);
      const service = await startService(config, { ingest: false });
      try {
        const progress = ingestProgressBar();
        const report = await service.knowledgeBase.ingestDirectory(folder, {
          source,
          prune: options.prune,
          onProgress: progress.update,
        });
        progress.stop();
        if (options.json) console.log(JSON.stringify(report, null, 2));
        else for (const line of describeIngestReport(report, folder)) console.log(line);
        if (report.failed.length) process.exitCode = 2;
      } finally {
        await service.close();
      }
    });
  kb.command('held')
    .description(
      'list the documents held for review (they addressed the bot, promised money or held prompt text)',
    )
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const service = await startService(loadConfig(), { ingest: false });
      try {
        const rows = await service.knowledgeBase.listDocuments({ status: 'held' });
        const held = rows.map((row) => ({
          id: row.id,
          source: row.source,
          sourcePath: row.source_path,
          entryId: row.entry_id,
          locale: row.locale,
          title: row.title,
          reasons: screeningFindingSchema.array().catch([]).parse(row.held_reasons),
        }));
        if (options.json) console.log(JSON.stringify(held, null, 2));
        else if (held.length === 0) console.log('no documents held for review');
        else
          for (const document of held)
            console.log(
              `${document.id}  ${document.source}: ${document.sourcePath} (${document.entryId} [${document.locale}]) ${document.title}\n    ${describeReasons(document.reasons)}`,
            );
      } finally {
        await service.close();
      }
    });
  kb.command('approve')
    .description('approve a held document: it becomes searchable and may be quoted in answers')
    .argument('<id>', 'document id (from kb held)')
    .action(async (id: string) => {
      const service = await startService(loadConfig(), { ingest: false });
      try {
        reportReview(await service.knowledgeBase.approveDocument(id, cliReviewer()), id);
      } finally {
        await service.close();
      }
    });
  kb.command('reject')
    .description(
      'reject a held document: it is deleted (a folder file comes back held at the next sync until it is fixed or removed)',
    )
    .argument('<id>', 'document id (from kb held)')
    .action(async (id: string) => {
      const service = await startService(loadConfig(), { ingest: false });
      try {
        reportReview(await service.knowledgeBase.rejectDocument(id, cliReviewer()), id);
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
        const matches = await service.knowledgeBase.search(query, {
          locale: options.locale,
          limit: Number(options.limit),
        });
        if (options.json) console.log(JSON.stringify(matches, null, 2));
        else
          for (const match of matches)
            console.log(`${match.score.toFixed(3)}  ${match.id} [${match.locale}] ${match.title}`);
      } finally {
        await service.close();
      }
    });
}
