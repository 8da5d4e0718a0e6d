// Runs the dated, frozen migrations in src/db/migrations on either engine.
import type { Kysely, Migration, MigrationResultSet } from 'kysely';
import { Migrator } from 'kysely';
import type { Dialect } from './dialect.js';
import { migrations } from './migrations/index.js';

export function listMigrations(): string[] {
  return Object.keys(migrations).sort();
}

/** Apply every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: Dialect,
): Promise<MigrationResultSet> {
  const provider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(
        Object.entries(migrations).map(([name, m]) => [
          name,
          {
            up: (k: Kysely<unknown>) => m.up(k, dialect),
            down: m.down && ((k: Kysely<unknown>) => m.down!(k, dialect)),
          },
        ]),
      );
    },
  };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `migration ${failed} failed: ${result.error instanceof Error ? result.error.message : JSON.stringify(result.error)}`,
      { cause: result.error },
    );
  }
  return result;
}
