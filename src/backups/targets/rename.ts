// In-stream rewrite of a mysqldump for restoring under other database names (scratch copies).
import { Transform, type TransformCallback } from 'node:stream';
import { createLineWalker, headOf } from '../formats/scanner.js';

const quote = (name: string): string => '`' + name.replace(/`/g, '``') + '`';
const unquote = (s: string): string => s.replace(/``/g, '`');
/** `b` widened to end at byte `end` of its underlying memory (neighbouring slices joined). */
const sliceTo = (b: Buffer, end: number): Buffer =>
  Buffer.from(b.buffer, b.byteOffset, end - b.byteOffset);

/**
 * Renames databases in `CREATE DATABASE` and `USE` lines by `map`, and drops the sections of
 * databases not in `map` (system schemas, or ones the caller left out). Sections begin at the
 * `-- Current Database:` comment mysqldump writes before each database.
 */
export function createDatabaseRenamer(map: Record<string, string>): Transform {
  let skipping = false;
  let out: Buffer[] = [];
  const walker = createLineWalker((segs, length) => {
    const first = segs[0] as Buffer;
    const c = first[0];
    // Only comment, CREATE and USE lines can switch or name a database.
    if ((c === 0x2d || c === 0x43 || c === 0x55) && length < 2000) {
      const line = headOf(segs, 2000);
      let m = /^-- Current Database: `((?:[^`]|``)+)`/.exec(line);
      if (m) skipping = !(unquote(m[1] as string) in map);
      if (skipping) return;
      m = /^(CREATE DATABASE (?:\/\*!32312 IF NOT EXISTS\*\/ )?)`((?:[^`]|``)+)`(.*\n?)$/s.exec(
        line,
      );
      const to = m ? map[unquote(m[2] as string)] : undefined;
      if (m && to !== undefined) {
        out.push(Buffer.from(`${m[1]}${quote(to)}${m[3]}`));
        return;
      }
      m = /^USE `((?:[^`]|``)+)`;(.*\n?)$/s.exec(line);
      const use = m ? map[unquote(m[1] as string)] : undefined;
      if (m && use !== undefined) {
        out.push(Buffer.from(`USE ${quote(use)};${m[2]}`));
        return;
      }
    }
    if (!skipping) out.push(...segs);
  });
  // Lines kept as they are arrive as neighbouring slices of one chunk: pass them on as one slice
  // again. Pushing line by line made one write(2) to the restore client per row, 13 s of our CPU
  // for an 800 MB dump (bench/backups); a chunk at a time is a few thousand writes.
  const emit = (stream: Transform): void => {
    let run: Buffer | undefined;
    let end = 0;
    const flushRun = () => {
      if (run) stream.push(run.byteOffset + run.length === end ? run : sliceTo(run, end));
    };
    for (const b of out) {
      if (run && run.buffer === b.buffer && end === b.byteOffset) end += b.length;
      else {
        flushRun();
        run = b;
        end = b.byteOffset + b.length;
      }
    }
    flushRun();
    out = [];
  };
  return new Transform({
    transform(chunk: Buffer, _e, cb: TransformCallback) {
      walker.feed(chunk);
      emit(this);
      cb();
    },
    flush(cb: TransformCallback) {
      walker.flush();
      emit(this);
      cb();
    },
  });
}
