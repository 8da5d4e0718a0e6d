// A customer's managed MariaDB through the whole module on the shared server (127.0.0.1:3306):
// scheduled run end to end, retention that never loses the last good backup, and restores that
// refuse a wrong confirmation and change nothing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { nextSlot, parseCron } from '../../src/backups/index.js';
import { buildAccount } from '../fixtures/builders.js';
import { missingTools } from '../support/tools.js';
import { mariadb, uniqueName } from '../backups/support.js';
import { backupsWorld, mailTo, type BackupsWorld } from './support.js';

const missing = missingTools('mariadb', 'mariadb-dump', 'zstd');
const hour = 3_600_000;

describe.skipIf(missing.length > 0)('backups module on MariaDB', () => {
  const db = uniqueName('bkm');
  let w: BackupsWorld;
  let customer: Account;
  const count = () => Number(mariadb('SELECT COUNT(*) FROM orders', { db }).trim());

  beforeAll(async () => {
    mariadb(`CREATE DATABASE \`${db}\``);
    mariadb(
      `CREATE TABLE orders (id INT PRIMARY KEY, note TEXT);
       INSERT INTO orders SELECT seq, CONCAT('order ', seq) FROM seq_1_to_2000;
       CREATE TABLE sessions (id INT PRIMARY KEY, data TEXT);
       INSERT INTO sessions SELECT seq, 'secret' FROM seq_1_to_50;`,
      { db },
    );
    w = await backupsWorld();
    customer = await buildAccount(w.app);
  });
  afterAll(async () => {
    mariadb(`DROP DATABASE IF EXISTS \`${db}\``);
    mariadb(`DROP DATABASE IF EXISTS \`${db}_copy\``);
    await w?.close();
  });

  it('runs a scheduled backup end to end: job, stored report, mail to the owner, event', async () => {
    const target = await w.app.backups.addTarget(
      {
        name: db,
        owner: { kind: 'server', accountId: customer.id, serverId: 'srv-1' },
        config: {
          kind: 'mysql',
          host: '127.0.0.1',
          port: 3306,
          user: 'root',
          databases: [db],
          ephemeral: ['*.sessions'],
        },
        schedule: '0 * * * *',
        retention: { last: 1, daily: 0, weekly: 0, monthly: 0 },
        restoreTestSchedule: null,
        reverifySchedule: null,
      },
      w.operator,
    );
    const slot = nextSlot(parseCron('0 * * * *'), w.clock.now())!;
    await w.app.backups.tick(slot - 60_000);
    expect(await w.app.jobs.drain()).toBe(1); // only the daily summary: the backup is not due yet
    w.clock.set(slot + 5_000);
    await w.app.backups.tick();
    await w.app.backups.tick(); // a second instance (or tick) queues nothing new
    await w.app.jobs.drain();

    const runs = await w.app.backups.listRuns(w.operator, target.id);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run).toMatchObject({ status: 'good', trigger: 'schedule' });
    expect(run.excludedData).toEqual([`${db}.sessions`]);
    const text = w.app.backups.reportText(run.report);
    expect(text).toMatch(/INFO - trailer present: -- Dump completed/);
    expect(text).toMatch(/verified backup of/);

    const mail = await mailTo(w, customer.email);
    expect(mail[0]!.subject).toBe(`[backup OK] ${db}: verified`);
    expect(mail[0]!.body).toContain('-- Dump completed');
    expect(mail[0]!.body).toContain(`/backups/runs/${run.id}`);
    const beats = w.events.filter((e) => e.name === 'backup.succeeded');
    expect(beats.map((e) => e.payload)).toMatchObject([
      {
        targetId: target.id,
        runId: run.id,
        accountId: customer.id,
        ownerKind: 'server',
        ownerId: 'srv-1',
      },
    ]);
    const fresh = (await w.app.backups.freshness()).find((f) => f.targetId === target.id)!;
    expect(fresh).toMatchObject({ stale: false, lastVerifiedAt: run.startedAt });
    expect(
      (await w.app.backups.freshness(slot + 2 * hour + 3 * hour)).find(
        (f) => f.targetId === target.id,
      )!.stale,
    ).toBe(true);
  });

  it('never rotates out the last good backup when later runs fail', async () => {
    const [good] = await w.app.backups.listRuns(w.operator, db);
    mariadb(`DROP DATABASE \`${db}\``); // every dump from now on fails
    for (const h of [1, 2]) {
      w.clock.advance(hour);
      await w.app.backups.tick();
      await w.app.jobs.drain();
      const latest = (await w.app.backups.listRuns(w.operator, db))[0]!;
      expect(latest.status, `failed run ${h}`).toBe('failed');
    }
    const runs = await w.app.backups.listRuns(w.operator, db);
    const kept = runs.find((r) => r.id === good!.id)!;
    expect(kept).toMatchObject({ status: 'good', prunedAt: null });
    for (const a of kept.artifacts) expect(existsSync(join(w.dir, 'store', a.key))).toBe(true);
    expect(w.events.filter((e) => e.name === 'backup.failed')).toHaveLength(2);
    expect((await mailTo(w, customer.email))[0]!.subject).toBe(`[backup ERROR] ${db}: FAILED`);
    // The daily summary says the latest run failed, naming the last good one.
    expect(await w.app.backups.dailySummary()).toMatch(
      new RegExp(`WARN - ${db}: latest run failed; last good`),
    );
  });

  it('refuses an overwrite with the wrong confirmation and changes nothing, then restores', async () => {
    const [good] = (await w.app.backups.listRuns(w.operator, db)).filter(
      (r) => r.status === 'good',
    );
    mariadb(`CREATE DATABASE \`${db}\``);
    mariadb(
      'CREATE TABLE orders (id INT PRIMARY KEY, note TEXT); INSERT INTO orders VALUES (1, "changed since")',
      { db },
    );
    const { phrase } = await w.app.backups.confirmation(w.operator, good!.id);
    expect(phrase).toBe(db);
    const restoresBefore = await w.app.backups.listRestores(w.operator, db);
    const auditBefore = await w.app.accounts.audit.list({ limit: 500 });
    await expect(
      w.app.backups.restore(w.operator, good!.id, { mode: 'overwrite', confirm: `${db}x` }),
    ).rejects.toThrow(/confirmation does not match/);
    expect(await w.app.jobs.drain()).toBe(0);
    expect(await w.app.backups.listRestores(w.operator, db)).toEqual(restoresBefore);
    expect(await w.app.accounts.audit.list({ limit: 500 })).toEqual(auditBefore);
    expect(count()).toBe(1);

    const id = await w.app.backups.restore(w.operator, good!.id, {
      mode: 'overwrite',
      confirm: phrase,
    });
    await w.app.jobs.drain();
    const { restore } = await w.app.backups.getRestore(w.operator, id);
    expect(restore.status).toBe('ok');
    expect(count()).toBe(2000);
    const audit = (await w.app.accounts.audit.list({ limit: 50 })).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['backup.restore_requested', 'backup.restored']));

    const copy = await w.app.backups.restore(w.operator, good!.id, {
      mode: 'new',
      into: `${db}_copy`,
    });
    await w.app.jobs.drain();
    expect((await w.app.backups.getRestore(w.operator, copy)).restore.status).toBe('ok');
    expect(mariadb('SELECT COUNT(*) FROM orders', { db: `${db}_copy` }).trim()).toBe('2000');
    expect(w.events.filter((e) => e.name === 'backup.restored').map((e) => e.payload.ok)).toEqual([
      true,
      true,
    ]);
  });
});
