// Scans a mysqldump/mariadb-dump SQL stream: per-table rows, bytes and SHA-256, and the trailer proof.
// It works on whole chunks: INSERT data is hashed and counted in large slices, never line by line.
import { createHash, type Hash } from 'node:crypto';
import type { TableManifest } from '../types.js';
import { createTail, type ProofLine, type ScanResult, type StreamScanner } from './scanner.js';

const QUOTE = 0x27;
const BACKSLASH = 0x5c;
const OPEN = 0x28;
const NL = 0x0a;
const SEMI = 0x3b;
const SEMI_NL = Buffer.from(';\n');
const HEAD = 600;

/** Resumable count of tuples: `(` outside string literals (`\'` and `''` keep us inside). */
export function createTupleCounter() {
  let inStr = false;
  let esc = false;
  return (b: Buffer, from = 0): number => {
    let rows = 0;
    const n = b.length;
    let i = from;
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
    return rows;
  };
}

/** Rows in an extended INSERT split into segments (the tuple counter over all of them). */
export function countTuples(segs: readonly Buffer[], skip: number): number {
  const count = createTupleCounter();
  return segs.reduce((n, s, i) => n + count(s, i === 0 ? skip : 0), 0);
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
  let firstLine: string | null = null;
  // 'line': reading a line head; 'skip': rest of a long non-data line; 'insert': INSERT data.
  let mode: 'line' | 'skip' | 'insert' = 'line';
  let head: Buffer[] = [];
  let headLen = 0;
  let acc: Acc | null = null;
  // MariaDB 10.11 writes `INSERT INTO `t` VALUES` then one tuple per line, so a row is a line
  // starting with `(` (strings never hold a raw newline); older clients put all on one line.
  let rowPerLine = false;
  let counter = createTupleCounter();
  let lastByte = NL;

  const unquote = (s: string): string => s.replace(/``/g, '`');
  const table = (name: string): Acc => {
    const key = `${db}.${name}`;
    let a = tables.get(key);
    if (!a) {
      a = {
        entry: { name: key, database: db, relation: name, rows: 0, bytes: 0, sha256: '' },
        hash: createHash('sha256'),
      };
      tables.set(key, a);
    }
    return a;
  };

  /** Count and hash INSERT bytes; returns where the statement ended (or the chunk end). */
  const insertData = (chunk: Buffer, p: number): number => {
    const a = acc as Acc;
    let end: number;
    let found = true;
    if (lastByte === SEMI && chunk[p] === NL) end = p + 1;
    else {
      const i = chunk.indexOf(SEMI_NL, p);
      found = i !== -1;
      end = found ? i + 2 : chunk.length;
    }
    const region = chunk.subarray(p, end);
    a.hash.update(region);
    a.entry.bytes += region.length;
    if (rowPerLine) {
      if (lastByte === NL && region[0] === OPEN) a.entry.rows++;
      for (
        let i = region.indexOf(NL);
        i !== -1 && i + 1 < region.length;
        i = region.indexOf(NL, i + 1)
      )
        if (region[i + 1] === OPEN) a.entry.rows++;
    } else a.entry.rows += counter(region);
    lastByte = region[region.length - 1] ?? lastByte;
    if (found) mode = 'line';
    return end;
  };

  /** A line head (whole short line, or the first HEAD bytes of a long one). */
  const onHead = (buf: Buffer, complete: boolean): void => {
    const text = buf.toString('utf8');
    const m = /^INSERT INTO `((?:[^`]|``)+)` VALUES/.exec(text);
    if (m) {
      const name = unquote(m[1] as string);
      if (!acc || acc.entry.relation !== name || acc.entry.database !== db) {
        acc = table(name);
        options.onTable?.(acc.entry.name);
      }
      rowPerLine = complete && /^\s*$/.test(text.slice(m[0].length));
      counter = createTupleCounter();
      acc.hash.update(buf);
      acc.entry.bytes += buf.length;
      if (!rowPerLine) acc.entry.rows += counter(buf, Buffer.byteLength(m[0]));
      lastByte = buf[buf.length - 1] ?? NL;
      const done = complete && /;\s*$/.test(text);
      mode = done ? 'line' : 'insert';
      return;
    }
    if (!complete) {
      mode = 'skip';
      return;
    }
    if (firstLine === null) firstLine = text.trimEnd();
    let u = /^USE `((?:[^`]|``)+)`;/.exec(text);
    if (u) {
      db = unquote(u[1] as string);
      return;
    }
    u = /^-- (?:Table structure|Dumping data) for table `((?:[^`]|``)+)`/.exec(text);
    if (u) table(unquote(u[1] as string));
  };

  const feed = (chunk: Buffer): void => {
    let p = 0;
    while (p < chunk.length) {
      if (mode === 'insert') {
        p = insertData(chunk, p);
        continue;
      }
      const nl = chunk.indexOf(NL, p);
      if (mode === 'skip') {
        if (nl === -1) return;
        mode = 'line';
        p = nl + 1;
        continue;
      }
      const take = Math.min(nl === -1 ? chunk.length : nl + 1, p + HEAD - headLen);
      head.push(chunk.subarray(p, take));
      headLen += take - p;
      p = take;
      const complete = chunk[take - 1] === NL;
      if (!complete && headLen < HEAD) return;
      const buf = head.length === 1 ? (head[0] as Buffer) : Buffer.concat(head);
      head = [];
      headLen = 0;
      onHead(buf, complete);
    }
  };

  return {
    write(chunk) {
      feed(chunk);
      tail.push(chunk);
    },
    async end(aborted) {
      if (headLen > 0 && mode === 'line') onHead(Buffer.concat(head), true);
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
