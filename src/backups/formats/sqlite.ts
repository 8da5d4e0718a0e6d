// Scans a SQLite database file as it streams: the header's page count must match the bytes seen,
// then the spooled copy must pass `PRAGMA integrity_check`; the manifest is rows and a logical
// SHA-256 per table, so a restored copy can be compared table by table.
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import type { TableManifest } from '../types.js';
import type { ProofLine, StreamScanner } from './scanner.js';

const magic = 'SQLite format 3\0';

const quote = (name: string): string => '"' + name.replace(/"/g, '""') + '"';

/** Values as stable text: blobs as hex, so equal data always hashes the same. */
const cell = (v: unknown): unknown =>
  Buffer.isBuffer(v) ? { hex: v.toString('hex') } : typeof v === 'bigint' ? String(v) : v;

/**
 * Rows and a SHA-256 over every row (in rowid or primary key order) of each user table of a
 * SQLite file. `database` names the tables as `database.table` in the manifest.
 */
export async function sqliteManifest(path: string, database: string): Promise<TableManifest[]> {
  const db = new SQLite(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string; sql: string }[];
    const out: TableManifest[] = [];
    for (const t of tables) {
      // WITHOUT ROWID tables have no rowid; their primary key (column 1..n) orders them instead.
      const order = /without\s+rowid/i.test(t.sql) ? 'ORDER BY 1' : 'ORDER BY rowid';
      const hash = createHash('sha256');
      let rows = 0;
      let bytes = 0;
      const stmt = db.prepare(`SELECT * FROM ${quote(t.name)} ${order}`).raw(true);
      for (const row of stmt.iterate() as Iterable<unknown[]>) {
        const line = JSON.stringify(row.map(cell)) + '\n';
        hash.update(line);
        bytes += line.length;
        rows++;
      }
      out.push({
        name: `${database}.${t.name}`,
        database,
        relation: quote(t.name),
        rows,
        bytes,
        sha256: hash.digest('hex'),
      });
      await yieldToLoop(); // one table at a time, so a big database does not starve the server
    }
    return out;
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` of a file: 'ok', or the first problems it names. */
export function integrityCheck(path: string): string {
  const db = new SQLite(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('PRAGMA integrity_check(20)').pluck().all() as string[];
    return rows.join('; ');
  } finally {
    db.close();
  }
}

/**
 * Scanner for `sqlite`: spools the stream to `spool()` (a private file), proves the length
 * against the header, then checks integrity and builds the manifest from the spooled copy.
 */
export function createSqliteScanner(options: {
  database: string;
  spool: () => Promise<string>;
}): StreamScanner {
  let header = Buffer.alloc(0);
  let seen = 0;
  let file: { path: string; out: WriteStream } | null = null;
  const open = async () => {
    if (file) return file;
    const path = await options.spool();
    file = { path, out: createWriteStream(path) };
    return file;
  };
  return {
    async write(chunk) {
      if (header.length < 100) header = Buffer.concat([header, chunk.subarray(0, 100)]);
      seen += chunk.length;
      const { out } = await open();
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    },
    async end(aborted) {
      const { path, out } = await open();
      await new Promise<void>((resolve, reject) =>
        out.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      const proofs: ProofLine[] = [];
      if (header.subarray(0, 16).toString('latin1') !== magic) {
        proofs.push({ level: 'ERROR', text: 'not a SQLite database (header magic missing)' });
        return { tables: [], proofs };
      }
      const rawSize = header.readUInt16BE(16);
      const pageSize = rawSize === 1 ? 65536 : rawSize;
      const pages = header.readUInt32BE(28);
      if (aborted || pageSize * pages !== seen) {
        proofs.push({
          level: 'ERROR',
          text: `SQLite file is ${seen} bytes, its header says ${pages} pages of ${pageSize} (truncated)`,
        });
        return { tables: [], proofs };
      }
      proofs.push({
        level: 'INFO',
        text: `SQLite length proof: ${pages} pages of ${pageSize} bytes`,
      });
      const integrity = integrityCheck(path);
      if (integrity !== 'ok') {
        proofs.push({ level: 'ERROR', text: `integrity_check on the copy: ${integrity}` });
        return { tables: [], proofs };
      }
      proofs.push({ level: 'INFO', text: 'integrity_check on the copy: ok' });
      return { tables: await sqliteManifest(path, options.database), proofs };
    },
  };
}
