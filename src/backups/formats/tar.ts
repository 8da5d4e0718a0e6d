// Scans a tar stream: files and bytes per configured root, SHA-256 of member data, and the
// end-of-archive proof (two zero blocks), so a cut-off archive is caught without re-reading it.
import { createHash, type Hash } from 'node:crypto';
import type { TableManifest } from '../types.js';
import type { ProofLine, StreamScanner } from './scanner.js';

const BLOCK = 512;

const field = (h: Buffer, start: number, len: number): string => {
  const raw = h.subarray(start, start + len);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? len : nul).toString('utf8');
};

function sizeOf(h: Buffer): number {
  // GNU base-256 for members of 8 GiB and more.
  if ((h[124] ?? 0) & 0x80) {
    let n = 0;
    for (let i = 125; i < 136; i++) n = n * 256 + (h[i] ?? 0);
    return n;
  }
  return parseInt(field(h, 124, 12).trim() || '0', 8);
}

/** Scanner for `tar`; `roots` are the archived paths as tar names them (no leading slash). */
export function createTarScanner(roots: readonly string[]): StreamScanner {
  const acc = new Map<string, { entry: TableManifest; hash: Hash }>();
  for (const r of roots)
    acc.set(r, { entry: { name: r, rows: 0, bytes: 0, sha256: '' }, hash: createHash('sha256') });
  let pending = Buffer.alloc(0);
  let dataLeft = 0; // bytes of member data (plus padding) still to pass
  let dataBytes = 0; // of which real data, not padding
  let target: { entry: TableManifest; hash: Hash } | null = null;
  let longName: string | null = null;
  let zeroBlocks = 0;
  let ended = false;
  let collecting: 'L' | 'x' | null = null;
  let meta = '';

  const rootOf = (name: string) =>
    acc.get(roots.find((r) => name === r || name.startsWith(r + '/')) ?? '') ?? null;

  const onHeader = (h: Buffer): void => {
    if (h.every((b) => b === 0)) {
      if (++zeroBlocks >= 2) ended = true;
      return;
    }
    zeroBlocks = 0;
    const type = String.fromCharCode(h[156] ?? 48);
    const size = sizeOf(h);
    const prefix = field(h, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    dataLeft = Math.ceil(size / BLOCK) * BLOCK;
    dataBytes = size;
    collecting = type === 'L' || type === 'x' ? type : null;
    meta = '';
    if (collecting) return;
    longName = null;
    target = type === '0' || type === '\0' || type === '7' ? rootOf(name.replace(/\/$/, '')) : null;
    if (target) {
      target.entry.rows++;
      target.entry.bytes += size;
    }
  };

  return {
    write(chunk) {
      let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (buf.length > 0 && !ended) {
        if (dataLeft > 0) {
          const n = Math.min(dataLeft, buf.length);
          const real = Math.min(n, dataBytes);
          if (collecting) meta += buf.subarray(0, real).toString('utf8');
          else if (target && real > 0) target.hash.update(buf.subarray(0, real));
          dataBytes -= real;
          dataLeft -= n;
          buf = buf.subarray(n);
          if (dataLeft === 0 && collecting) {
            longName =
              collecting === 'L'
                ? meta.replace(/\0+$/, '')
                : (/\d+ path=([^\n]*)\n/.exec(meta)?.[1] ?? null);
            collecting = null;
          }
          continue;
        }
        if (buf.length < BLOCK) break;
        onHeader(buf.subarray(0, BLOCK));
        buf = buf.subarray(BLOCK);
      }
      pending = ended ? Buffer.alloc(0) : Buffer.from(buf);
    },
    async end() {
      const proofs: ProofLine[] = ended
        ? [{ level: 'INFO', text: 'tar end-of-archive marker present' }]
        : [
            {
              level: 'ERROR',
              text: 'tar stream ended without the end-of-archive marker (truncated)',
            },
          ];
      const tables = [...acc.values()].map(({ entry, hash }) => ({
        ...entry,
        sha256: hash.digest('hex'),
      }));
      return { tables, proofs };
    },
  };
}
