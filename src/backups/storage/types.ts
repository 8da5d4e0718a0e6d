// The artifact store family: where encrypted artifacts live. Local directory now, remote stores later.
import type { Readable, Writable } from 'node:stream';

/** A write in progress: nothing is visible under `key` until `commit` resolves. */
export interface ArtifactWrite {
  stream: Writable;
  /** Flush to stable storage and publish atomically. */
  commit(): Promise<void>;
  /** Drop the partial write; safe to call twice or after a failed commit. */
  abort(): Promise<void>;
}

export interface ArtifactStorage {
  /** Short description for reports (`local:/var/backups/bestiary`). */
  readonly name: string;
  createWrite(key: string): Promise<ArtifactWrite>;
  /** Read a stored artifact; errors if missing. */
  openRead(key: string): Readable;
  /** Size, or null when missing. */
  stat(key: string): Promise<{ bytes: number } | null>;
  remove(key: string): Promise<void>;
}
