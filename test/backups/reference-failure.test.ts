// The reference failure: the database server dies (SIGKILL, as the OOM killer would) mid-dump.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/tools.js';
import { createBackupEngine, type BackupTarget } from '../../src/backups/index.js';
import { startPrivateMariadb, type PrivateMariadb } from './private-mariadbd.js';
import { backupSetup, errors, mariadb, type BackupSetup } from './support.js';

const missing = missingTools('mariadbd', 'mariadb-install-db', 'mariadb', 'mariadb-dump', 'zstd');

describe.skipIf(missing.length > 0)('a database server killed in the middle of a dump', () => {
  let server: PrivateMariadb;
  let s: BackupSetup;
  let target: BackupTarget;

  beforeAll(async () => {
    server = await startPrivateMariadb();
    mariadb('CREATE DATABASE shop', { port: server.port });
    mariadb(
      "CREATE TABLE log (id INT PRIMARY KEY, msg VARCHAR(200)); INSERT INTO log SELECT seq, CONCAT('event ', seq, ' ', REPEAT(MD5(seq), 3)) FROM seq_1_to_400000;",
      { db: 'shop', port: server.port },
    );
    s = backupSetup();
    target = {
      id: 'private',
      name: 'private-mariadbd',
      config: {
        kind: 'mysql',
        host: '127.0.0.1',
        port: server.port,
        user: 'root',
        databases: 'all',
      },
      retention: { last: 1, daily: 0, weekly: 0, monthly: 0 },
    };
  });
  afterAll(() => {
    server?.stop();
    s?.cleanup();
  });

  it('reports ERROR naming the table and row, keeps the last good backup and beats as failed', async () => {
    const engine = createBackupEngine(s.deps);
    const good = await engine.run(target);
    expect(errors(good.report)).toEqual([]);

    const run = await engine.run(target, {
      onProgress: (p) => {
        if (p.bytes > 8e6) server.kill();
      },
    });
    const text = engine.reportText(run);
    expect(text).toMatch(
      /WARN - \[child\] mariadb-dump: Error 2013: Lost connection to server during query when dumping table `log` at row: \d+/,
    );
    expect(text).toMatch(
      /ERROR - mariadb-dump --single-transaction --routines --triggers --events --all-databases exited with 3/,
    );
    expect(run.status).toBe('failed');
    expect(s.beats.at(-1)).toMatchObject({ runId: run.id, ok: false, level: 'ERROR' });
    expect(await s.deps.storage.stat(good.artifacts[0]!.key)).not.toBeNull();
    expect((await engine.latestGood('private'))?.id).toBe(good.id);
    expect(await engine.prune(target)).toEqual([]);
    expect(errors(await engine.reverify(target, good))).toEqual([]);
  });
});
