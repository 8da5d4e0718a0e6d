// A provider PostgreSQL database through the whole module: a scheduled backup, the scheduled
// restore test, and the scheduled re-verify catching a flipped bit in the stored artifact.
import { openSync, readSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextSlot, parseCron } from '../../src/backups/index.js';
import { postgresAvailable } from '../support/databases.js';
import { missingTools } from '../support/tools.js';
import { psql, uniqueName } from '../backups/support.js';
import { backupsWorld, mailTo, type BackupsWorld } from './support.js';

const ready =
  missingTools('pg_dump', 'pg_restore', 'psql', 'zstd').length === 0 && (await postgresAvailable());
const ops = 'ops@example.net';

describe.skipIf(!ready)('backups module on PostgreSQL', () => {
  const db = uniqueName('bkmpg');
  let w: BackupsWorld;
  let slot: number;

  beforeAll(async () => {
    psql(`CREATE DATABASE ${db}`);
    psql(
      `CREATE TABLE invoices (id int PRIMARY KEY, total numeric); INSERT INTO invoices SELECT g, g * 1.5 FROM generate_series(1, 1500) g;
       CREATE TABLE cache_pages (k text PRIMARY KEY); INSERT INTO cache_pages VALUES ('a');`,
      db,
    );
    w = await backupsWorld({ config: { backups: { operatorEmails: [ops] } } });
    await w.app.backups.addTarget(
      {
        name: db,
        owner: { kind: 'provider' },
        config: {
          kind: 'postgres',
          host: '127.0.0.1',
          port: 5432,
          user: 'postgres',
          databases: [db],
          ephemeral: ['*.public.cache_*'],
          globals: false,
        },
        schedule: '0 3 * * *',
        restoreTest: { query: 'SELECT count(*) FROM invoices' },
        restoreTestSchedule: '30 3 * * *',
        reverifySchedule: '45 3 * * *',
      },
      w.operator,
    );
    slot = nextSlot(parseCron('0 3 * * *'), w.clock.now())!;
  });
  afterAll(async () => {
    psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await w?.close();
  });

  it('backs up on schedule and mails the report to the operators', async () => {
    w.clock.set(slot + 1000);
    await w.app.backups.tick();
    await w.app.jobs.drain();
    const [run] = await w.app.backups.listRuns(w.operator, db);
    expect(run, 'a scheduled run').toBeDefined();
    const text = w.app.backups.reportText(run!.report);
    expect(run!.status, text).toBe('good');
    expect(text).toMatch(/ephemeral tables, data skipped, schema kept: .*cache_pages/);
    expect((await mailTo(w, ops)).map((m) => m.subject)).toContain(`[backup OK] ${db}: verified`);
    expect(w.events.map((e) => e.name)).toEqual(['backup.succeeded']);
    expect(w.events[0]!.payload).toMatchObject({ ownerKind: 'provider', accountId: null });
  });

  it('restore-tests the latest verified backup on its schedule', async () => {
    w.clock.set(slot + 30 * 60_000 + 1000);
    await w.app.backups.tick();
    await w.app.jobs.drain();
    const [test] = await w.app.backups.listRestores(w.operator, db);
    expect(test).toMatchObject({ mode: 'test', trigger: 'schedule', status: 'ok' });
    expect(w.app.backups.reportText(test!.report)).toMatch(/restore-test query ok: 1500/);
    expect(psql(`SELECT count(*) FROM pg_database WHERE datname LIKE 'rt_%${db}'`).trim()).toBe(
      '0',
    );
  });

  it('finds a flipped bit on the scheduled re-verify: the run stops counting, the alarm goes', async () => {
    const [run] = await w.app.backups.listRuns(w.operator, db);
    const file = join(w.dir, 'store', run!.artifacts[0]!.key);
    const fd = openSync(file, 'r+');
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, 200);
    writeSync(fd, Buffer.from([byte[0]! ^ 0x10]), 0, 1, 200);
    closeSync(fd);

    w.clock.set(slot + 45 * 60_000 + 1000);
    await w.app.backups.tick();
    await w.app.jobs.drain();
    const after = (await w.app.backups.getRun(w.operator, run!.id)).run;
    expect(after.status).toBe('failed');
    expect(w.app.backups.reportText(after.report)).toMatch(
      /ERROR - re-verify: .*(SHA-256|authentic)/i,
    );
    expect(w.events.at(-1)).toMatchObject({
      name: 'backup.failed',
      payload: { phase: 'reverify', runId: run!.id },
    });
    expect((await mailTo(w, ops))[0]!.subject).toBe(
      `[backup ERROR] ${db}: a stored backup failed its re-verify`,
    );
    // Once the slot's grace (2 h) has passed with no verified backup, monitoring sees an outage.
    const fresh = (await w.app.backups.freshness(slot + 3 * 3_600_000)).find((f) => f.name === db)!;
    expect(fresh).toMatchObject({
      stale: true,
      lastVerifiedAt: null,
      reason: 'no verified backup',
    });
  });
});
