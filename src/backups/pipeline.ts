// The dump pipeline: tool stdout -> manifest scan -> zstd -> encrypt -> SHA-256 -> atomic store,
// streaming end to end with pipefail semantics (every process and every stream must succeed).
import { createHash } from 'node:crypto';
import { PassThrough, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createEncryptStream, describeEncryption, type EncryptTo } from './crypto/stream.js';
import type { ScanResult, StreamScanner } from './formats/scanner.js';
import { describeExit, exitOk, startChild, stopChild, type Command, type Exit } from './proc.js';
import { classifyStderr, type Report } from './report.js';
import type { ArtifactStorage } from './storage/types.js';
import type { EncryptionDescriptor, Progress } from './types.js';

export interface DumpStepInput {
  command: Command;
  scanner: StreamScanner;
  storage: ArtifactStorage;
  key: string;
  encryptTo: EncryptTo | null;
  zstd: { path: string; level: number; threads: number };
  report: Report;
  judgeExit?: ((exit: Exit) => 'ok' | 'warn' | 'error') | undefined;
  onProgress?: ((p: Progress) => void) | undefined;
  /** Test seam: called with the dump child once it is running. */
  onSpawn?: ((pid: number) => void) | undefined;
}

export interface DumpStepResult {
  ok: boolean;
  rawBytes: number;
  storedBytes: number;
  sha256: string;
  encryption: EncryptionDescriptor;
  scan: ScanResult;
}

const errText = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  return err.errno !== undefined
    ? `${err.message} (errno ${Math.abs(err.errno)})`
    : String(err.message ?? e);
};

/** Run one dump command into one stored artifact. Never throws: failures are report lines. */
export async function runDumpStep(input: DumpStepInput): Promise<DumpStepResult> {
  const { report, command } = input;
  // Open the destination before the dump starts: a child that exits while we still await would
  // have its unread stdout discarded by Node (flushStdio), and a small dump would arrive empty.
  const write = await input.storage.createWrite(input.key);
  const dump = startChild(command, { stdin: 'ignore' });
  if (dump.proc.pid) input.onSpawn?.(dump.proc.pid);
  const zstd = startChild({
    cmd: input.zstd.path,
    args: ['-q', `-${input.zstd.level}`, `-T${input.zstd.threads}`, '-c'],
  });
  let rawBytes = 0;
  let storedBytes = 0;
  let lastProgress = 0;
  const tap = new Transform({
    highWaterMark: 1024 * 1024,
    transform(chunk: Buffer, _e, cb: TransformCallback) {
      rawBytes += chunk.length;
      if (input.onProgress && rawBytes - lastProgress >= 1 << 20) {
        lastProgress = rawBytes;
        input.onProgress({ phase: 'dump', bytes: rawBytes });
      }
      const wait = input.scanner.write(chunk);
      if (wait) wait.then(() => cb(null, chunk), cb);
      else cb(null, chunk);
    },
  });
  const sha = createHash('sha256');
  const hasher = new PassThrough({ highWaterMark: 1024 * 1024 });
  hasher.on('data', (c: Buffer) => {
    sha.update(c);
    storedBytes += c.length;
  });
  const failures: string[] = [];
  const stopAll = () => {
    stopChild(dump);
    stopChild(zstd);
  };
  const encrypt = input.encryptTo ? createEncryptStream(input.encryptTo) : new PassThrough();
  const upstream = pipeline(dump.stdout, tap, zstd.stdin).catch((e: unknown) => {
    stopAll();
    return e;
  });
  const downstream = pipeline(zstd.stdout, encrypt, hasher, write.stream).catch((e: unknown) => {
    failures.push(`writing artifact to ${input.storage.name} failed: ${errText(e)}`);
    stopAll();
  });
  const [dumpExit, zstdExit] = await Promise.all([dump.done, zstd.done]);
  await Promise.all([upstream, downstream]);
  const scan = await input.scanner.end(!exitOk(dumpExit));

  let ok = failures.length === 0;
  // The reference report's form: the child's own words as WARN, then the verdict as ERROR.
  let errorLines = 0;
  for (const line of dumpExit.stderr) {
    const level = classifyStderr(line);
    report.add(level === 'ERROR' ? 'WARN' : level, `[child] ${line}`);
    if (level === 'ERROR') errorLines++;
  }
  const judged = input.judgeExit?.(dumpExit) ?? (exitOk(dumpExit) ? 'ok' : 'error');
  if (errorLines > 0 && judged !== 'error') {
    ok = false;
    report.error(
      `${dump.name} stderr holds ${errorLines} error line(s) despite ${describeExit(dumpExit)}`,
    );
  }
  if (judged === 'ok') report.info(`${dump.display} ${describeExit(dumpExit)}`);
  else if (judged === 'warn') report.warn(`${dump.display} ${describeExit(dumpExit)}`);
  else {
    report.error(`${dump.display} ${describeExit(dumpExit)}`);
    ok = false;
  }
  if (!exitOk(zstdExit)) {
    ok = false;
    report.error(
      `zstd ${describeExit(zstdExit)}${zstdExit.stderr.length ? ': ' + zstdExit.stderr.join(' ') : ''}`,
    );
  }
  for (const f of failures) report.error(f);
  for (const p of scan.proofs) {
    report.add(p.level, p.text);
    if (p.level === 'ERROR') ok = false;
  }
  if (ok) {
    try {
      await write.commit();
      report.info(`stored ${input.key} atomically in ${input.storage.name}`);
    } catch (e) {
      ok = false;
      report.error(`committing artifact failed: ${errText(e)}`);
    }
  }
  if (!ok) {
    await write.abort();
    report.info(`partial artifact ${input.key} discarded`);
  }
  const encryption = input.encryptTo
    ? describeEncryption(input.encryptTo)
    : { mode: 'none' as const };
  return { ok, rawBytes, storedBytes, sha256: sha.digest('hex'), encryption, scan };
}
