// Artifacts in a local directory, written atomically: temp file, fsync, rename, fsync of the directory.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';
import type { ArtifactStorage, ArtifactWrite } from './types.js';

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** A store rooted at `root`; keys are relative paths (`<target>/<run>/<file>`). */
export function createLocalStorage(root: string): ArtifactStorage {
  const base = resolve(root);
  const pathOf = (key: string): string => {
    const p = resolve(base, key);
    if (!p.startsWith(base + sep)) throw new Error(`storage key escapes the store: ${key}`);
    return p;
  };
  return {
    name: `local:${base}`,
    async createWrite(key): Promise<ArtifactWrite> {
      const final = pathOf(key);
      await mkdir(dirname(final), { recursive: true });
      // The temp file sits beside the final one so rename stays on one filesystem (atomic).
      const temp = join(dirname(final), `.tmp-${randomBytes(6).toString('hex')}`);
      const stream = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
      let done = false;
      return {
        stream,
        async commit() {
          if (!stream.writableFinished) await finished(stream);
          await fsyncPath(temp);
          await rename(temp, final);
          await fsyncPath(dirname(final));
          done = true;
        },
        async abort() {
          if (done) return;
          stream.destroy();
          await rm(temp, { force: true });
        },
      };
    },
    openRead: (key) => createReadStream(pathOf(key), { highWaterMark: 1024 * 1024 }),
    async stat(key) {
      try {
        return { bytes: (await stat(pathOf(key))).size };
      } catch {
        return null;
      }
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
