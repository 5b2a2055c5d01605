/** Runs the numbered migrations in migrations/ with Kysely's Migrator. */
import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
} from 'kysely';

export const migrationsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** Loads `NNNN_name.ts` files (tests beside them are skipped), sorted by name. */
class MigrationFolderProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder))
      .filter((file) => /^\d{4}_[\w-]+\.(ts|js)$/.test(file))
      .sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const module = (await import(pathToFileURL(join(this.folder, file)).href)) as Migration;
      migrations[file.replace(/\.(ts|js)$/, '')] = module;
    }
    return migrations;
  }
}

export function createMigrator(db: Kysely<any>, folder = migrationsDir): Migrator {
  return new Migrator({ db, provider: new MigrationFolderProvider(folder) });
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** What to do when the pgvector extension cannot be created (a managed or locked-down server). */
function extensionHint(cause: string): string {
  if (/permission denied to create extension/i.test(cause)) {
    return ". The DATABASE_URL user may not create extensions: run `create extension vector;` once in that database as a superuser (or the provider's admin user), then start again.";
  }
  if (/extension "vector" is not available|could not open extension control file/i.test(cause)) {
    return '. The server behind DATABASE_URL has no pgvector: install it (or use the pgvector/pgvector image or a managed Postgres that ships it).';
  }
  return '';
}

/** Migrates to the latest version; returns the names applied in this run. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const result: MigrationResultSet = await createMigrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(`Migration ${failed} failed: ${cause}${extensionHint(cause)}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The name of the last applied migration, or null on an empty database. */
export async function schemaVersion(db: Kysely<any>): Promise<string | null> {
  const migrations = await createMigrator(db).getMigrations();
  const applied = migrations.filter((m) => m.executedAt);
  return applied.at(-1)?.name ?? null;
}
