// MariaDB round trips and faults on the shared server (127.0.0.1:3306): dump, prove, store,
// restore-test and compare; every injected fault must end as an ERROR run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/tools.js';
import {
  createBackupEngine,
  type BackupTarget,
  type MysqlTargetConfig,
} from '../../src/backups/index.js';
import { backupSetup, errors, mariadb, uniqueName, type BackupSetup } from './support.js';

const missing = missingTools('mariadb', 'mariadb-dump', 'zstd');

describe.skipIf(missing.length > 0)('MariaDB backups', () => {
  const db = uniqueName('bk');
  const broken = uniqueName('bkbrk');
  let s: BackupSetup;
  const conn = { host: '127.0.0.1', port: 3306, user: 'root' };
  const target = (
    over: Partial<MysqlTargetConfig> = {},
    extra: Partial<BackupTarget> = {},
  ): BackupTarget => ({
    id: `t-${db}`,
    name: db,
    config: {
      kind: 'mysql',
      ...conn,
      databases: [db],
      ephemeral: ['*.sessions', '*.cache_*'],
      ...over,
    },
    restoreTest: { query: 'SELECT COUNT(*) FROM orders', database: db },
    ...extra,
  });

  beforeAll(() => {
    mariadb(`CREATE DATABASE \`${db}\``);
    mariadb(
      `CREATE TABLE orders (id INT PRIMARY KEY, note TEXT, amount DECIMAL(10,2), blob_data VARBINARY(64));
       INSERT INTO orders SELECT seq, CONCAT('it''s (',seq,'),(', '\\\\', CHAR(10), ' "q"'), seq/7, UNHEX(SHA2(seq,256)) FROM seq_1_to_3000;
       CREATE TABLE sessions (id INT PRIMARY KEY, data TEXT);
       INSERT INTO sessions SELECT seq, 'secret' FROM seq_1_to_500;
       CREATE TABLE cache_pages (k VARCHAR(20) PRIMARY KEY);
       INSERT INTO cache_pages VALUES ('a'),('b');
       CREATE TABLE empty_one (id INT PRIMARY KEY);
       CREATE VIEW big_orders AS SELECT id FROM orders WHERE amount > 100;
       CREATE PROCEDURE touch() SELECT 1;`,
      { db },
    );
    mariadb(`CREATE DATABASE \`${broken}\``);
    mariadb(
      'CREATE TABLE t (id INT); INSERT INTO t VALUES (1); CREATE VIEW v AS SELECT id FROM t; DROP TABLE t; CREATE TABLE u (id INT); INSERT INTO u VALUES (7);',
      { db: broken },
    );
    s = backupSetup();
  });
  afterAll(() => {
    mariadb(`DROP DATABASE IF EXISTS \`${db}\``);
    mariadb(`DROP DATABASE IF EXISTS \`${broken}\``);
    s.cleanup();
  });

  it('dumps, proves, stores and restore-tests a database with a clean report', async () => {
    const engine = createBackupEngine(s.deps);
    const run = await engine.run(target());
    expect(errors(run.report)).toEqual([]);
    expect(run.status).toBe('good');
    const text = engine.reportText(run);
    expect(text).toMatch(/INFO - trailer present: -- Dump completed on /);
    expect(text).toMatch(
      new RegExp(`ephemeral tables, data skipped, schema kept: ${db}.cache_pages, ${db}.sessions`),
    );
    const tables = Object.fromEntries(
      run.artifacts[0]!.tables.map((t) => [t.relation ?? '', t] as const),
    );
    expect(tables.orders!.rows).toBe(3000);
    expect(tables.sessions).toMatchObject({ rows: 0, dataSkipped: true });
    expect(tables.empty_one!.rows).toBe(0);
    expect(s.beats.at(-1)).toMatchObject({ ok: true, runId: run.id });

    const test = await engine.restoreTest(target());
    expect(errors(test.report)).toEqual([]);
    expect(test.ok).toBe(true);
    expect(test.report.map((l) => l.text).join('\n')).toMatch(
      /compared 4 tables with the manifest: 4 match/,
    );
    expect(mariadb("SHOW DATABASES LIKE 'rt\\_%'")).not.toContain(db);
  });

  it('restores into a new database with the same rows', async () => {
    const engine = createBackupEngine(s.deps);
    const run = (await engine.latestGood(target().id))!;
    const copy = uniqueName('bkcopy');
    try {
      const rec = await engine.restore(target(), run, { mode: 'new', databaseMap: { [db]: copy } });
      expect(errors(rec.report)).toEqual([]);
      expect(mariadb('SELECT COUNT(*), SUM(amount) FROM orders', { db: copy }).trim()).toBe(
        mariadb('SELECT COUNT(*), SUM(amount) FROM orders', { db }).trim(),
      );
    } finally {
      mariadb(`DROP DATABASE IF EXISTS \`${copy}\``);
    }
  });

  it('restores over the original after naming exactly what will be replaced', async () => {
    const engine = createBackupEngine(s.deps);
    const run = (await engine.latestGood(target().id))!;
    expect(engine.confirmation(target(), run)).toEqual({ databases: [db], phrase: db });
    mariadb(
      "UPDATE orders SET note = 'vandalised' WHERE id = 1; DELETE FROM orders WHERE id > 2000;",
      { db },
    );
    const rec = await engine.restore(target(), run, { mode: 'overwrite' });
    expect(errors(rec.report)).toEqual([]);
    expect(mariadb("SELECT COUNT(*), SUM(note = 'vandalised') FROM orders", { db }).trim()).toBe(
      '3000\t0',
    );
    expect(s.deps.persistence.restores().at(-1)).toMatchObject({
      mode: 'overwrite',
      ok: true,
      runId: run.id,
    });
  });

  it('fails a restore test whose copy differs from the manifest', async () => {
    const engine = createBackupEngine(s.deps);
    const run = (await engine.latestGood(target().id))!;
    const orders = run.artifacts[0]!.tables.find((t) => t.relation === 'orders')!;
    orders.sha256 = orders.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const cache = run.artifacts[0]!.tables.find((t) => t.relation === 'empty_one')!;
    cache.rows = 1;
    const test = await engine.restoreTest(target(), run);
    expect(test.ok).toBe(false);
    const text = errors(test.report).join('\n');
    expect(text).toMatch(new RegExp(`table ${db}.orders: checksum of the restored data differs`));
    expect(text).toMatch(new RegExp(`table ${db}.empty_one: 0 rows restored, manifest says 1`));
  });

  it('refuses a --compact configuration before dumping anything', async () => {
    const engine = createBackupEngine(s.deps);
    const run = await engine.run(target({ extraArgs: ['--compact'] }, { id: 'compact' }));
    expect(run.status).toBe('failed');
    expect(errors(run.report)[0]).toMatch(
      /configuration refused: --compact refused: it removes the "-- Dump completed" trailer/,
    );
    expect(run.artifacts).toEqual([]);
  });

  it('fails a --force dump of a broken view although the trailer is present', async () => {
    const engine = createBackupEngine(s.deps);
    const run = await engine.run({
      id: 'broken',
      name: broken,
      config: {
        kind: 'mysql',
        ...conn,
        databases: [broken],
        allowForce: true,
        extraArgs: ['--force'],
      },
    });
    const text = engine.reportText(run);
    expect(text).toMatch(/WARN - \[child\] mariadb-dump: .*Couldn.t execute .*\(1356\)/);
    expect(text).toMatch(
      /ERROR - mariadb-dump --single-transaction .* --force --databases \S+ exited with 2/,
    );
    expect(text).toMatch(/INFO - trailer present/);
    expect(run.status).toBe('failed');
    expect(s.beats.at(-1)).toMatchObject({ ok: false, targetId: 'broken' });
  });

  it('fails the run when the dump process is killed, and keeps the last good backup', async () => {
    const engine = createBackupEngine(s.deps);
    const good = (await engine.latestGood(target().id))!;
    const big = uniqueName('bkbig');
    mariadb(`CREATE DATABASE \`${big}\``);
    try {
      mariadb(
        'CREATE TABLE log (id INT PRIMARY KEY, msg TEXT); INSERT INTO log SELECT seq, REPEAT(MD5(seq), 8) FROM seq_1_to_100000;',
        { db: big },
      );
      let pid = 0;
      const run = await engine.run(target({ databases: [big] }), {
        onSpawn: (p) => (pid = p),
        onProgress: (p) => {
          if (p.bytes > 2e6 && pid) process.kill(pid, 'SIGKILL');
        },
      });
      expect(run.status).toBe('failed');
      expect(engine.reportText(run)).toMatch(/ERROR - mariadb-dump .* killed by SIGKILL/);
      expect(errors(run.report).join('\n')).toMatch(/no "-- Dump completed" trailer/);
      expect(await s.deps.storage.stat(good.artifacts[0]!.key)).not.toBeNull();
      expect((await engine.latestGood(target().id))!.id).toBe(good.id);
    } finally {
      mariadb(`DROP DATABASE IF EXISTS \`${big}\``);
    }
  });

  it('finds a bit flip and a truncation in stored artifacts on re-verify', async () => {
    const engine = createBackupEngine(s.deps);
    const run = await engine.run(target({}, { id: 'rot' }));
    expect(run.status).toBe('good');
    const clean = await engine.reverify(target({}, { id: 'rot' }), run, { deep: true });
    expect(errors(clean)).toEqual([]);
    const { readFileSync, writeFileSync } = await import('node:fs');
    const path = `${s.dir}/store/${run.artifacts[0]!.key}`;
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x04;
    writeFileSync(path, bytes);
    const flipped = errors(await engine.reverify(target({}, { id: 'rot' }), run));
    expect(flipped.join('\n')).toMatch(/SHA-256 mismatch/);
    expect(flipped.join('\n')).toMatch(/failed authentication/);
    writeFileSync(path, bytes.subarray(0, bytes.length - 100));
    const cut = errors(await engine.reverify(target({}, { id: 'rot' }), run));
    expect(cut.join('\n')).toMatch(/truncated/);
  });

  it('reports no ERROR over repeated clean runs once history allows plausibility checks', async () => {
    const engine = createBackupEngine(s.deps);
    const t = target({}, { id: 'repeat', retention: { last: 2, daily: 1, weekly: 0, monthly: 0 } });
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push(await engine.run(t));
    for (const r of runs) expect(errors(r.report)).toEqual([]);
    expect(engine.reportText(runs[3]!)).toMatch(/INFO - dump size .* of the recent median/);
    const live = (await s.deps.persistence.listRuns('repeat')).filter((r) => r.prunedAt === null);
    expect(live.map((r) => r.id)).toEqual([runs[3]!.id, runs[2]!.id]);
  });
});
