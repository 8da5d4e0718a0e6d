// The one place where SQLite and PostgreSQL differ. App code and migrations both call these;
// an `if (sqlite)` anywhere else belongs here instead.
import type { SelectQueryBuilder } from 'kysely';
import { sql } from 'kysely';

export type Engine = 'sqlite' | 'postgres';

export interface Dialect {
  readonly engine: Engine;
  /**
   * Lock the selected rows for the rest of the transaction, skipping rows another transaction
   * holds. PostgreSQL: FOR UPDATE SKIP LOCKED. SQLite needs nothing: a write transaction already
   * excludes every other writer.
   */
  skipLocked<DB, TB extends keyof DB, O>(
    qb: SelectQueryBuilder<DB, TB, O>,
  ): SelectQueryBuilder<DB, TB, O>;
  /** Lock the selected rows until the transaction ends, waiting for other holders (FOR UPDATE). */
  lockRows<DB, TB extends keyof DB, O>(
    qb: SelectQueryBuilder<DB, TB, O>,
  ): SelectQueryBuilder<DB, TB, O>;
  /** Column type for long text (JSON documents, zone files, reports). */
  readonly textType: 'text';
  /** Column type for 64-bit integers (counters, serials, byte sizes). */
  readonly bigintType: 'integer' | 'bigint';
  /** Case-insensitive LIKE. */
  ilike(column: string, pattern: string): ReturnType<typeof sql>;
  /** Column type for bytes (packed time series). */
  readonly blobType: 'blob' | 'bytea';
  /**
   * Table options for small rows under a composite primary key: SQLite's WITHOUT ROWID stores
   * the row once, in the key's b-tree, instead of a rowid table plus a key index.
   */
  readonly compactTable: ReturnType<typeof sql>;
}

export function dialectFor(engine: Engine): Dialect {
  if (engine === 'postgres') {
    return {
      engine,
      skipLocked: (qb) => qb.forUpdate().skipLocked(),
      lockRows: (qb) => qb.forUpdate(),
      textType: 'text',
      bigintType: 'bigint',
      ilike: (column, pattern) => sql`${sql.ref(column)} ilike ${pattern}`,
      blobType: 'bytea',
      compactTable: sql``,
    };
  }
  return {
    engine,
    skipLocked: (qb) => qb,
    lockRows: (qb) => qb,
    textType: 'text',
    bigintType: 'integer',
    ilike: (column, pattern) => sql`${sql.ref(column)} like ${pattern}`,
    blobType: 'blob',
    compactTable: sql`without rowid`,
  };
}
