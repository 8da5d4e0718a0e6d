// Scans PostgreSQL SQL text (a plain pg_dump, or pg_restore -f - output): COPY blocks per table,
// and for plain dumps the completeness proof (end marker, matching \restrict/\unrestrict keys).
import { createHash, type Hash } from 'node:crypto';
import type { TableManifest } from '../types.js';
import {
  createLineWalker,
  createTail,
  headOf,
  type ProofLine,
  type StreamScanner,
} from './scanner.js';

export interface PgTextOptions {
  database: string;
  /** Prove a plain dump's completeness (off when scanning pg_restore output). */
  plainProof: boolean;
  onTable?: (name: string) => void;
}

/**
 * The proof rule for a plain dump's tail: the end marker and `\unrestrict K` (K from the opening
 * `\restrict K`) both within the last 10 non-blank lines.
 */
export function provePlainTail(tailText: string, restrictKey: string | null): ProofLine[] {
  const proofs: ProofLine[] = [];
  const lines = tailText.split('\n').filter((l) => l.trim() !== '');
  const last10 = lines.slice(-10);
  const marker = last10.find((l) =>
    /^-- PostgreSQL database (?:cluster )?dump complete$/.test(l.trim()),
  );
  if (marker) proofs.push({ level: 'INFO', text: `end marker present: ${marker.trim()}` });
  else proofs.push({ level: 'ERROR', text: 'no "PostgreSQL database dump complete" end marker' });
  // pg_dump ends with `\unrestrict K`; pg_dumpall writes it just before its end marker.
  const unrestrict = last10
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.startsWith('\\unrestrict '));
  if (restrictKey !== null) {
    if (unrestrict === `\\unrestrict ${restrictKey}`)
      proofs.push({ level: 'INFO', text: '\\restrict/\\unrestrict pair matches' });
    else if (unrestrict)
      proofs.push({ level: 'ERROR', text: '\\unrestrict key does not match the \\restrict key' });
    else
      proofs.push({
        level: 'ERROR',
        text: 'dump opens with \\restrict but does not end with \\unrestrict (truncated)',
      });
  } else if (unrestrict)
    proofs.push({ level: 'ERROR', text: '\\unrestrict without a \\restrict header' });
  return proofs;
}

/** Scanner for SQL text from PostgreSQL tools. */
export function createPgTextScanner(options: PgTextOptions): StreamScanner {
  const tables = new Map<string, { entry: TableManifest; hash: Hash }>();
  const tail = createTail();
  let copying: { entry: TableManifest; hash: Hash } | null = null;
  let restrictKey: string | null = null;
  let sawFirst = false;

  const walker = createLineWalker((segs, length) => {
    const first = segs[0] as Buffer;
    if (copying) {
      // COPY text escapes newlines, so a line is a row; `\.` ends the block.
      if (
        first[0] === 0x5c &&
        first[1] === 0x2e &&
        length <= 3 &&
        headOf(segs, 4).trim() === '\\.'
      ) {
        copying = null;
        return;
      }
      for (const s of segs) copying.hash.update(s);
      copying.entry.bytes += length;
      copying.entry.rows++;
      return;
    }
    if (length > 4000) return;
    const line = headOf(segs, 4000);
    if (!sawFirst && line.startsWith('\\restrict ')) restrictKey = line.slice(10).trim();
    if (line.trim() !== '' && !line.startsWith('--')) sawFirst = true;
    const m = /^COPY (.+?) (?:\(.*\) )?FROM stdin;/.exec(line);
    if (m) {
      const relation = m[1] as string;
      const name = `${options.database}.${relation}`;
      let acc = tables.get(name);
      if (!acc) {
        acc = {
          entry: { name, database: options.database, relation, rows: 0, bytes: 0, sha256: '' },
          hash: createHash('sha256'),
        };
        tables.set(name, acc);
      }
      copying = acc;
      options.onTable?.(name);
    }
  });

  return {
    write(chunk) {
      walker.feed(chunk);
      if (options.plainProof) tail.push(chunk);
    },
    async end() {
      walker.flush();
      const proofs: ProofLine[] = [];
      if (copying)
        proofs.push({ level: 'ERROR', text: `stream ended inside COPY of ${copying.entry.name}` });
      if (options.plainProof) proofs.push(...provePlainTail(tail.text(), restrictKey));
      const list = [...tables.values()].map(({ entry, hash }) => ({
        ...entry,
        sha256: hash.digest('hex'),
      }));
      return { tables: list, proofs };
    },
  };
}
