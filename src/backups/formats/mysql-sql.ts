// Scans a mysqldump/mariadb-dump SQL stream: per-table rows, bytes and SHA-256, and the trailer proof.
import { createHash, type Hash } from 'node:crypto';
import type { TableManifest } from '../types.js';
import {
  createLineWalker,
  createTail,
  headOf,
  type ProofLine,
  type ScanResult,
  type StreamScanner,
} from './scanner.js';

const QUOTE = 0x27;
const BACKSLASH = 0x5c;
const OPEN = 0x28;

/**
 * Rows in one extended INSERT line: the `(` that open tuples outside string literals. mysqldump
 * escapes newlines inside strings, so a statement is one line; `\'` and `''` both keep us in
 * the string (the second closes and reopens it).
 */
export function countTuples(segs: readonly Buffer[], skip: number): number {
  let rows = 0;
  let inStr = false;
  let esc = false;
  for (let s = 0; s < segs.length; s++) {
    const b = segs[s] as Buffer;
    const n = b.length;
    let i = s === 0 ? skip : 0;
    let nq = -2;
    let nb = -2;
    if (esc && i < n) {
      esc = false;
      i++;
    }
    while (i < n) {
      if (inStr) {
        if (nq !== -1 && nq < i) nq = b.indexOf(QUOTE, i);
        if (nb !== -1 && nb < i) nb = b.indexOf(BACKSLASH, i);
        if (nb !== -1 && (nq === -1 || nb < nq)) {
          i = nb + 2;
          if (i > n) esc = true;
          continue;
        }
        if (nq === -1) break;
        inStr = false;
        i = nq + 1;
        continue;
      }
      const c = b[i];
      if (c === QUOTE) inStr = true;
      else if (c === OPEN) rows++;
      i++;
    }
  }
  return rows;
}

interface Acc {
  entry: TableManifest;
  hash: Hash;
}

/** Scanner for `mysql-sql`; `defaultDb` names the database when the dump has no USE lines. */
export function createMysqlScanner(
  options: { defaultDb?: string; onTable?: (name: string) => void } = {},
): StreamScanner {
  const tables = new Map<string, Acc>();
  const tail = createTail();
  let db = options.defaultDb ?? '';
  let current: Acc | null = null;
  let firstLine: string | null = null;

  const table = (name: string): Acc => {
    const key = `${db}.${name}`;
    let acc = tables.get(key);
    if (!acc) {
      acc = {
        entry: { name: key, database: db, relation: name, rows: 0, bytes: 0, sha256: '' },
        hash: createHash('sha256'),
      };
      tables.set(key, acc);
    }
    return acc;
  };
  const unquote = (s: string): string => s.replace(/``/g, '`');

  // Inside an INSERT statement: MariaDB 10.11 writes `INSERT INTO `t` VALUES` then one tuple per
  // line; older clients put every tuple on the INSERT line. Either way the statement ends at a
  // line ending in `;` (string literals never hold a raw newline, so lines split only between tuples).
  let inInsert = false;
  const endsStatement = (segs: Buffer[]): boolean => {
    const last = segs[segs.length - 1] as Buffer;
    let i = last.length - 1;
    if (last[i] === 10) i--;
    if (last[i] === 13) i--;
    return i >= 0 ? last[i] === 0x3b : segs.length > 1 && endsStatement(segs.slice(0, -1));
  };
  const take = (acc: Acc, segs: Buffer[], length: number, skip: number) => {
    for (const s of segs) acc.hash.update(s);
    acc.entry.bytes += length;
    acc.entry.rows += countTuples(segs, skip);
    inInsert = !endsStatement(segs);
  };

  const walker = createLineWalker((segs, length) => {
    const first = segs[0] as Buffer;
    if (inInsert && current) return take(current, segs, length, 0);
    // Fast path: the byte test avoids decoding the head of most lines.
    if (first[0] === 0x49 /* I */) {
      const head = headOf(segs, 600);
      const m = /^INSERT INTO `((?:[^`]|``)+)` VALUES/.exec(head);
      if (m) {
        const name = unquote(m[1] as string);
        if (!current || current.entry.relation !== name || current.entry.database !== db) {
          current = table(name);
          options.onTable?.(current.entry.name);
        }
        return take(current, segs, length, Buffer.byteLength(m[0]));
      }
    }
    if (length > 600) return;
    const line = headOf(segs, 600);
    if (firstLine === null) firstLine = line.trimEnd();
    let m = /^USE `((?:[^`]|``)+)`;/.exec(line);
    if (m) {
      db = unquote(m[1] as string);
      return;
    }
    m = /^-- (?:Table structure|Dumping data) for table `((?:[^`]|``)+)`/.exec(line);
    if (m) table(unquote(m[1] as string));
  });

  return {
    write(chunk) {
      walker.feed(chunk);
      tail.push(chunk);
    },
    async end(aborted) {
      walker.flush();
      const proofs: ProofLine[] = [];
      const trailer = /-- Dump completed(?: on [^\n]*)?\n*$/.exec(tail.text());
      if (trailer) proofs.push({ level: 'INFO', text: `trailer present: ${trailer[0].trim()}` });
      else
        proofs.push({
          level: 'ERROR',
          text: aborted
            ? 'dump stream ended early: no "-- Dump completed" trailer'
            : 'no "-- Dump completed" trailer at the end of the dump (truncated or unsafe options)',
        });
      if (firstLine?.startsWith('/*M!999999\\- enable the sandbox mode'))
        proofs.push({
          level: 'INFO',
          text: 'dump starts with the MariaDB sandbox line: restore needs a MariaDB client of 2024 or later',
        });
      const list = [...tables.values()].map(({ entry, hash }) => ({
        ...entry,
        sha256: hash.digest('hex'),
      }));
      return { tables: list, proofs } satisfies ScanResult;
    },
  };
}
