// PostgreSQL round trips (custom and plain) and the faults simple checks miss: a half-truncated
// custom archive (pg_restore -l still passes it) and a plain dump without its \unrestrict line.
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/tools.js';
import {
  createBackupEngine,
  type BackupTarget,
  type PostgresTargetConfig,
} from '../../src/backups/index.js';
import { backupSetup, errors, psql, uniqueName, type BackupSetup } from './support.js';

const missing = missingTools('psql', 'pg_dump', 'pg_dumpall', 'pg_restore', 'zstd');

describe.skipIf(missing.length > 0)('PostgreSQL backups', () => {
  const db = uniqueName('bkpg');
  let s: BackupSetup;
  const target = (over: Partial<PostgresTargetConfig> = {}, id = `pg-${db}`): BackupTarget => ({
    id,
    name: db,
    config: {
      kind: 'postgres',
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      databases: [db],
      ephemeral: ['*.sessions'],
      ...over,
    },
    restoreTest: { query: 'SELECT count(*) FROM items', database: db },
  });
  const wrapper = (name: string, body: string): string => {
    const path = join(s.dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  beforeAll(() => {
    psql(`CREATE DATABASE ${db}`);
    psql(
      `CREATE TABLE items (id int PRIMARY KEY, note text);
       INSERT INTO items SELECT g, 'tab' || chr(9) || 'nl' || chr(10) || 'bs\\' || g FROM generate_series(1, 5000) g;
       CREATE TABLE "Users" (id int PRIMARY KEY, name text);
       INSERT INTO "Users" VALUES (1, 'ann'), (2, 'bob');
       CREATE TABLE sessions (id int PRIMARY KEY, data text);
       INSERT INTO sessions SELECT g, 'secret' FROM generate_series(1, 300) g;
       CREATE VIEW many AS SELECT count(*) FROM items;`,
      db,
    );
    s = backupSetup();
  });
  afterAll(() => {
    psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    s.cleanup();
  });

  it('dumps custom format with globals, proves it by a full read-back and restore-tests it', async () => {
    const engine = createBackupEngine(s.deps);
    const run = await engine.run(target());
    expect(errors(run.report)).toEqual([]);
    const text = engine.reportText(run);
    expect(text).toMatch(/INFO - whole archive read back: pg_restore -f - exited with 0/);
    expect(text).toMatch(/INFO - end marker present: -- PostgreSQL database cluster dump complete/);
    expect(text).toMatch(new RegExp(`data skipped, schema kept: ${db}\\.public\\.sessions`));
    const tables = new Map(run.artifacts[0]!.tables.map((t) => [t.relation ?? '', t]));
    expect(tables.get('public.items')?.rows).toBe(5000);
    expect(tables.get('public."Users"')?.rows).toBe(2);
    expect(tables.get('public.sessions')).toMatchObject({ rows: 0, dataSkipped: true });
    expect(errors(await engine.reverify(target(), run, { deep: true }))).toEqual([]);

    const test = await engine.restoreTest(target());
    expect(errors(test.report)).toEqual([]);
    expect(test.report.map((l) => l.text).join('\n')).toMatch(
      /compared 3 tables with the manifest: 3 match\n.*restore-test query ok: 5000/s,
    );
    expect(psql(`SELECT count(*) FROM pg_database WHERE datname LIKE 'rt\\_%${db}'`).trim()).toBe(
      '0',
    );
  });

  it('dumps and restore-tests plain format with the \\restrict pair proven', async () => {
    const engine = createBackupEngine(s.deps);
    const t = target({ format: 'plain', globals: false }, 'pg-plain');
    const run = await engine.run(t);
    expect(errors(run.report)).toEqual([]);
    expect(engine.reportText(run)).toMatch(/\\restrict\/\\unrestrict pair matches/);
    const test = await engine.restoreTest(t);
    expect(errors(test.report)).toEqual([]);
  });

  it('fails a half-truncated custom dump that pg_restore -l accepts', async () => {
    const cut = wrapper(
      'pg_dump_cut',
      'f=$(mktemp); /usr/bin/pg_dump "$@" > "$f"; n=$(stat -c %s "$f"); head -c $((n / 2)) "$f"; rm -f "$f"; exit 0',
    );
    const file = join(s.dir, 'half.pgdump');
    execFileSync('sh', ['-c', `${cut} -Fc -h 127.0.0.1 -U postgres -d ${db} > ${file}`]);
    expect(() => execFileSync('pg_restore', ['-l', file], { stdio: 'pipe' })).not.toThrow();

    const engine = createBackupEngine({ ...s.deps, tools: { pgDump: cut } });
    const run = await engine.run(target({ globals: false }, 'pg-cut'));
    expect(run.status).toBe('failed');
    const text = engine.reportText(run);
    expect(text).toMatch(/ERROR - archive read-back failed: pg_restore -f - exited with 1/);
    expect(text).toMatch(/\[child\] pg_restore: error: could not read from input file/);
  });

  it('fails a plain dump that is missing its \\unrestrict line', async () => {
    const strip = wrapper(
      'pg_dump_strip',
      '/usr/bin/pg_dump "$@" | grep -v \'^\\\\unrestrict\'; exit 0',
    );
    const engine = createBackupEngine({ ...s.deps, tools: { pgDump: strip } });
    const run = await engine.run(target({ format: 'plain', globals: false }, 'pg-strip'));
    expect(run.status).toBe('failed');
    expect(errors(run.report).join('\n')).toMatch(
      /dump opens with \\restrict but does not end with \\unrestrict/,
    );
  });
});
