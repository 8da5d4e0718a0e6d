// Re-verification of stored artifacts: size, SHA-256 of the stored bytes, every encrypted chunk
// authenticated, and (deep) decompressed and proven complete again. Finds bit rot and truncation.
import { createHash } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDecryptStream } from './crypto/decrypt.js';
import type { DecryptKeys } from './crypto/stream.js';
import type { ProofLine, StreamScanner } from './formats/scanner.js';
import { describeExit, exitOk, startChild } from './proc.js';
import { formatBytes } from './report.js';
import type { ArtifactStorage } from './storage/types.js';
import type { ArtifactRecord, Progress } from './types.js';

export interface VerifyOptions {
  storage: ArtifactStorage;
  keys: DecryptKeys;
  zstd: string;
  /** Deep: decompress and run the format's completeness proof and manifest again. */
  scanner?: StreamScanner;
  /**
   * Checksum only (no decryption): the read-back right after a write, where a matching SHA-256
   * already proves the bytes are the ones encrypted. Scheduled re-verifies authenticate too.
   */
  checksumOnly?: boolean;
  onProgress?: (p: Progress) => void;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The plaintext (decrypted, still compressed) stream of an artifact, hashing what it reads. */
export function openArtifact(
  storage: ArtifactStorage,
  artifact: ArtifactRecord,
  keys: DecryptKeys,
  onBytes?: (n: number) => void,
  decrypt = true,
) {
  const sha = createHash('sha256');
  const tap = new PassThrough({ highWaterMark: 1024 * 1024 });
  tap.on('data', (c: Buffer) => {
    sha.update(c);
    onBytes?.(c.length);
  });
  const stages = [storage.openRead(artifact.key), tap];
  const out = artifact.encryption.mode === 'none' || !decrypt ? tap : createDecryptStream(keys);
  return { stages: out === tap ? stages : [...stages, out], out, sha };
}

/** Verify one stored artifact; lines say what was checked and what failed. */
export async function verifyArtifact(
  artifact: ArtifactRecord,
  options: VerifyOptions,
): Promise<ProofLine[]> {
  const lines: ProofLine[] = [];
  const st = await options.storage.stat(artifact.key);
  if (!st)
    return [{ level: 'ERROR', text: `${artifact.key}: missing from ${options.storage.name}` }];
  if (st.bytes !== artifact.storedBytes)
    lines.push({
      level: 'ERROR',
      text: `${artifact.key}: size ${st.bytes} B, expected ${artifact.storedBytes} B (truncated or altered)`,
    });
  let read = 0;
  const authenticate = !options.checksumOnly || options.scanner !== undefined;
  const onBytes = (n: number) => {
    read += n;
    options.onProgress?.({ phase: 'verify', bytes: read, total: artifact.storedBytes });
  };
  const { stages, sha } = openArtifact(
    options.storage,
    artifact,
    options.keys,
    onBytes,
    authenticate,
  );
  const scanner = options.scanner;
  const state: { error: string | null } = { error: null };
  if (scanner) {
    const zstd = startChild({ cmd: options.zstd, args: ['-d', '-q', '-c'] });
    const scan = (async () => {
      for await (const chunk of zstd.stdout) await scanner.write(chunk as Buffer);
    })();
    await pipeline([...stages, zstd.stdin]).catch((e: unknown) => {
      state.error = message(e);
      zstd.proc.kill('SIGKILL');
    });
    const exit = await zstd.done;
    await scan.catch(() => undefined);
    if (!exitOk(exit) && !state.error)
      lines.push({
        level: 'ERROR',
        text: `${artifact.key}: zstd -d ${describeExit(exit)} ${exit.stderr.join(' ')}`,
      });
    const result = await scanner.end(!exitOk(exit) || state.error !== null);
    lines.push(...result.proofs.map((p) => ({ ...p, text: `${artifact.key}: ${p.text}` })));
    compareManifest(artifact, result.tables, lines);
  } else {
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    await pipeline([...stages, sink]).catch((e: unknown) => (state.error = message(e)));
  }
  if (state.error) lines.push({ level: 'ERROR', text: `${artifact.key}: ${state.error}` });
  const digest = sha.digest('hex');
  if (digest !== artifact.sha256)
    lines.push({
      level: 'ERROR',
      text: `${artifact.key}: SHA-256 mismatch (stored ${digest.slice(0, 16)}…, expected ${artifact.sha256.slice(0, 16)}…)`,
    });
  else if (!state.error)
    lines.push({
      level: 'INFO',
      text: `${artifact.key}: read back ${formatBytes(artifact.storedBytes)}, SHA-256 matches${artifact.encryption.mode === 'none' || !authenticate ? '' : ', every chunk authenticated'}`,
    });
  return lines;
}

/** Deep verify: the re-scanned manifest must equal the one recorded at dump time. */
function compareManifest(
  artifact: ArtifactRecord,
  tables: { name: string; sha256: string; rows: number }[],
  lines: ProofLine[],
) {
  const now = new Map(tables.map((t) => [t.name, t]));
  let bad = 0;
  for (const t of artifact.tables) {
    if (t.dataSkipped) continue;
    const got = now.get(t.name);
    if (!got || got.rows !== t.rows || got.sha256 !== t.sha256) bad++;
  }
  if (bad)
    lines.push({
      level: 'ERROR',
      text: `${artifact.key}: ${bad} table(s) differ from the manifest`,
    });
  else
    lines.push({
      level: 'INFO',
      text: `${artifact.key}: manifest re-computed, ${artifact.tables.length} tables match`,
    });
}
