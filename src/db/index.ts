// The database: one Kysely instance over SQLite (embedded default, WAL) or PostgreSQL.
// Each module sees only its own tables through forModule<Tables>().
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Dialect, Engine } from './dialect.js';
import { dialectFor } from './dialect.js';

export type { Dialect, Engine } from './dialect.js';
export { migrateToLatest, listMigrations } from './migrate.js';

// int8 (bigint) columns hold serials, counters and sizes well below 2^53: read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export interface Database {
  readonly engine: Engine;
  readonly dialect: Dialect;
  /** Untyped handle for migrations and the composition root; modules take forModule<T>(). */
  readonly kysely: Kysely<unknown>;
  /** A view of the database typed with one module's tables. */
  forModule<Tables>(): Kysely<Tables>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… to use PostgreSQL; otherwise SQLite. */
  databaseUrl?: string | undefined;
  /** Directory for the SQLite file; ':memory:' for a private in-memory database. */
  dataDir: string;
}

/**
 * better-sqlite3 compiles a statement on every prepare(), and Kysely prepares every query: with
 * the same few hundred SQL texts run over and over, compiling was ~40 % of SQL time. Statements
 * are reused one at a time (Kysely's SQLite driver runs one query at a time on its connection).
 */
function withStatementCache(sqlite: SQLite.Database, max = 2000): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (source: string): SQLite.Statement => {
    let statement = cache.get(source);
    if (!statement) {
      if (cache.size >= max) cache.clear();
      statement = sqlite.prepare(source);
      cache.set(source, statement);
    }
    return statement;
  };
  return new Proxy(sqlite, {
    get: (target, key, receiver) =>
      key === 'prepare' ? prepare : (Reflect.get(target, key, receiver) as unknown),
  });
}

export function createDatabase(options: DatabaseOptions): Database {
  let kysely: Kysely<unknown>;
  let engine: Engine;
  if (options.databaseUrl) {
    engine = 'postgres';
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // An idle connection the server closed (a restart, an administrator's terminate) is dropped
    // from the pool and replaced on the next query, which reports any lasting failure itself.
    // Unhandled, pg would raise it as an uncaught exception and take the whole process down.
    pool.on('error', () => undefined);
    kysely = new Kysely({ dialect: new PostgresDialect({ pool }) });
  } else {
    engine = 'sqlite';
    let file = ':memory:';
    if (options.dataDir !== ':memory:') {
      mkdirSync(options.dataDir, { recursive: true });
      file = join(options.dataDir, 'bestiary.sqlite');
    }
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    kysely = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  }
  return {
    engine,
    dialect: dialectFor(engine),
    kysely,
    forModule: <Tables>() => kysely as unknown as Kysely<Tables>,
    close: () => kysely.destroy(),
  };
}
