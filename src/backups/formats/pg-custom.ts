// Scans a pg_dump custom-format stream by feeding it, as it passes, to `pg_restore -f -`: the
// whole archive is read back (the completeness proof) and its COPY output gives the manifest.
import { classifyStderr } from '../report.js';
import { describeExit, exitOk, startChild, type Command } from '../proc.js';
import { createPgTextScanner } from './pg-text.js';
import type { ProofLine, StreamScanner } from './scanner.js';

export interface PgCustomOptions {
  database: string;
  /** `pg_restore` to run (the same client version as the dump). */
  pgRestore: string;
  onTable?: (name: string) => void;
}

/** Scanner for `pg-custom`. `pg_restore -l` is not enough: it passes a half-truncated archive. */
export function createPgCustomScanner(options: PgCustomOptions): StreamScanner {
  const command: Command = { cmd: options.pgRestore, args: ['-f', '-'] };
  const child = startChild(command);
  const text = createPgTextScanner({
    database: options.database,
    plainProof: false,
    ...(options.onTable ? { onTable: options.onTable } : {}),
  });
  child.stdout.on('data', (c: Buffer) => void text.write(c));
  const stdoutDone = new Promise<void>((resolve) => child.stdout.on('close', () => resolve()));
  let broken = false;
  child.stdin.on('error', () => (broken = true));

  return {
    write(chunk) {
      if (broken) return;
      // Honour pg_restore's pace so a slow reader never makes us buffer the dump in memory.
      if (!child.stdin.write(chunk))
        return new Promise<void>((resolve) => {
          const go = () => {
            child.stdin.off('drain', go);
            child.stdin.off('close', go);
            resolve();
          };
          child.stdin.once('drain', go);
          child.stdin.once('close', go);
        });
    },
    async end(aborted) {
      child.stdin.end();
      const exit = await child.done;
      await stdoutDone;
      const result = await text.end(aborted);
      const proofs: ProofLine[] = [];
      for (const line of exit.stderr)
        proofs.push({ level: classifyStderr(line), text: `[child] ${line}` });
      if (exitOk(exit))
        proofs.push({
          level: 'INFO',
          text: 'whole archive read back: pg_restore -f - exited with 0',
        });
      else
        proofs.push({
          level: 'ERROR',
          text: `archive read-back failed: pg_restore -f - ${describeExit(exit)}`,
        });
      return { tables: result.tables, proofs: [...proofs, ...result.proofs] };
    },
  };
}
