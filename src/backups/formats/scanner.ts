// The scanner family: each artifact format is read while it streams, yielding a manifest and proofs.
import type { Level, TableManifest } from '../types.js';

/** One proof step's outcome, written into the run report. */
export interface ProofLine {
  level: Level;
  text: string;
}

export interface ScanResult {
  tables: TableManifest[];
  proofs: ProofLine[];
}

/** Sees every byte of the uncompressed dump once, in order; `write` may ask for backpressure. */
export interface StreamScanner {
  write(chunk: Buffer): void | Promise<void>;
  /** The stream ended (or was aborted): finish and prove. */
  end(aborted: boolean): Promise<ScanResult>;
}

/** Splits a byte stream into lines without copying: a line is a list of buffer segments. */
export function createLineWalker(onLine: (segs: Buffer[], length: number) => void) {
  let segs: Buffer[] = [];
  let length = 0;
  return {
    feed(chunk: Buffer): void {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        if (nl === -1) break;
        segs.push(chunk.subarray(start, nl + 1));
        onLine(segs, length + nl + 1 - start);
        segs = [];
        length = 0;
        start = nl + 1;
      }
      if (start < chunk.length) {
        segs.push(chunk.subarray(start));
        length += chunk.length - start;
      }
    },
    /** The last line when the stream did not end with a newline. */
    flush(): void {
      if (length > 0) onLine(segs, length);
      segs = [];
      length = 0;
    },
  };
}

/** The first `n` bytes of a line, as text. */
export function headOf(segs: Buffer[], n: number): string {
  const first = segs[0];
  if (!first) return '';
  if (first.length >= n || segs.length === 1) return first.subarray(0, n).toString('utf8');
  return Buffer.concat(segs).subarray(0, n).toString('utf8');
}

/** Keeps the last `size` bytes of a stream, for trailer checks without buffering the stream. */
export function createTail(size = 4096) {
  let tail = Buffer.alloc(0);
  return {
    push(chunk: Buffer): void {
      tail =
        chunk.length >= size
          ? Buffer.from(chunk.subarray(chunk.length - size))
          : Buffer.concat([tail, chunk]).subarray(-size);
    },
    text: (): string => tail.toString('utf8'),
  };
}
