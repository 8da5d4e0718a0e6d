// Disk full while storing: the artifact write fails with ENOSPC (errno 28) on a small tmpfs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/tools.js';
import { createBackupEngine, createLocalStorage } from '../../src/backups/index.js';
import { backupSetup, errors, mariadb, uniqueName, type BackupSetup } from './support.js';

const missing = missingTools('mariadb', 'mariadb-dump', 'zstd', 'mount');

function tryMount(dir: string): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

describe.skipIf(missing.length > 0)('a full disk', () => {
  const db = uniqueName('bkfull');
  let s: BackupSetup;
  let mountDir = '';
  let refused: string | null = null;

  beforeAll(() => {
    s = backupSetup();
    mountDir = join(s.dir, 'small');
    mkdirSync(mountDir);
    refused = tryMount(mountDir);
    if (refused) console.warn(`skipping disk-full test: mount not permitted (${refused})`);
    mariadb(`CREATE DATABASE \`${db}\``);
    // SHA-512 hex does not compress much: about 10 MB of dump, well over 2 MB after zstd.
    mariadb(
      'CREATE TABLE big (id INT PRIMARY KEY, h TEXT); INSERT INTO big SELECT seq, CONCAT(SHA2(seq, 512), SHA2(seq + 1e6, 512)) FROM seq_1_to_40000;',
      { db },
    );
  });
  afterAll(() => {
    if (!refused) execFileSync('umount', [mountDir]);
    mariadb(`DROP DATABASE IF EXISTS \`${db}\``);
    s.cleanup();
  });

  it('fails the run with errno 28 and leaves no partial file behind', async (ctx) => {
    if (refused) ctx.skip();
    const engine = createBackupEngine({ ...s.deps, storage: createLocalStorage(mountDir) });
    const run = await engine.run({
      id: 'full',
      name: db,
      config: { kind: 'mysql', host: '127.0.0.1', port: 3306, user: 'root', databases: [db] },
    });
    expect(run.status).toBe('failed');
    expect(errors(run.report).join('\n')).toMatch(
      /writing artifact to local:.* failed: .*no space left on device.*\(errno 28\)/i,
    );
    const leftovers = readdirSync(join(mountDir, 'full'), { recursive: true }).filter((f) =>
      String(f).includes('.tmp-'),
    );
    expect(leftovers).toEqual([]);
  });
});
