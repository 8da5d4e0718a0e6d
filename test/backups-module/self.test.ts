// Bestiary backs up its own database as a built-in provider target: on SQLite (a VACUUM INTO
// snapshot, length and integrity proofs, per-table hashes) and on PostgreSQL (pg_dump), then
// restores it into something new and over itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createFakeClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { buildApp, type App } from '../../src/main.js';
import { buildAccount } from '../fixtures/builders.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { missingTools } from '../support/tools.js';
import { psql } from '../backups/support.js';
import { operator } from './support.js';

const secretKey = 'self-backup-secret-key-self-backup-0123456789';

/** Back up, then check a restore test, a restore into something new, and an overwrite. */
async function roundTrip(app: App, into: string, countIn: (copy: string) => number) {
  const target = await app.backups.ensureSelfTarget();
  expect(target).toMatchObject({
    name: 'bestiary-database',
    ownerKind: 'provider',
    builtin: 'self',
  });
  expect(await app.backups.ensureSelfTarget()).toBeNull(); // once only
  const before = await buildAccount(app, { email: 'before@example.com' });
  const { runId } = await app.backups.runNow(operator, 'bestiary-database');
  await app.jobs.drain();
  const { run } = await app.backups.getRun(operator, runId);
  expect(run.status, app.backups.reportText(run.report)).toBe('good');
  await buildAccount(app, { email: 'after@example.com' });

  const test = await app.backups.restoreTest(operator, 'bestiary-database');
  await app.jobs.drain();
  const tested = (await app.backups.getRestore(operator, test)).restore;
  expect(tested.status, app.backups.reportText(tested.report)).toBe('ok');
  expect(app.backups.reportText(tested.report)).toMatch(
    /compared \d+ tables with the manifest: \d+ match/,
  );
  expect(app.backups.reportText(tested.report)).toMatch(/restore-test query ok: 1/);

  const copy = await app.backups.restore(operator, runId, { mode: 'new', into });
  await app.jobs.drain();
  expect((await app.backups.getRestore(operator, copy)).restore.status).toBe('ok');
  expect(countIn(into)).toBe(1); // the copy holds the account made before the backup only

  const { phrase } = await app.backups.confirmation(operator, runId);
  await expect(
    app.backups.restore(operator, runId, { mode: 'overwrite', confirm: 'yes' }),
  ).rejects.toThrow(/confirmation does not match/);
  expect(await app.accounts.accounts.findByEmail('after@example.com')).toBeDefined();
  const over = await app.backups.restore(operator, runId, { mode: 'overwrite', confirm: phrase });
  await app.jobs.drain();
  expect(await app.accounts.accounts.findByEmail('after@example.com')).toBeUndefined();
  expect((await app.accounts.accounts.findByEmail('before@example.com'))?.id).toBe(before.id);
  // The backup history survived being restored over: the run is good, the restore is recorded.
  expect((await app.backups.getRun(operator, runId)).run.status).toBe('good');
  expect((await app.backups.getRestore(operator, over)).restore.status).toBe('ok');
  const audit = await app.accounts.audit.list({ limit: 20 });
  expect(audit.map((a) => a.action)).toContain('backup.restored');
}

describe.skipIf(missingTools('zstd').length > 0)('backing up our own database', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bestiary-self-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on SQLite: a proven snapshot, restored into a new file and over itself', async () => {
    const config = parseConfig({
      dataDir: join(dir, 'data'),
      secretKey,
      logLevel: 'silent',
      jobs: { enabled: false },
      backups: { tmpDir: dir },
    });
    const app = buildApp(config, { clock: createFakeClock(Date.now()), logger: silentLogger });
    try {
      await app.migrate();
      const count = (file: string) => {
        const db = new SQLite(file, { readonly: true });
        try {
          return Number(
            db
              .prepare("SELECT count(*) FROM accounts WHERE email LIKE '%@example.com'")
              .pluck()
              .get(),
          );
        } finally {
          db.close();
        }
      };
      await roundTrip(app, join(dir, 'restored.sqlite'), count);
      const [run] = await app.backups.listRuns(operator, 'bestiary-database');
      const text = app.backups.reportText(run!.report);
      expect(text).toMatch(/INFO - SQLite length proof: \d+ pages of \d+ bytes/);
      expect(text).toMatch(/INFO - integrity_check on the copy: ok/);
      expect(run!.tables).toBeGreaterThan(10);
    } finally {
      await app.close();
    }
  });

  describe('on PostgreSQL', () => {
    let pg: TestDatabase | null = null;
    beforeAll(async () => {
      if (await postgresAvailable()) pg = await createTestDatabase('postgres');
    });
    afterAll(async () => {
      const name = pg?.url ? new URL(pg.url).pathname.slice(1) : null;
      if (name) psql(`DROP DATABASE IF EXISTS ${name}_r WITH (FORCE)`);
      await pg?.drop();
    });

    it('a pg_dump of its database, restored into a new database and over itself', async (ctx) => {
      if (!pg || missingTools('pg_dump', 'pg_restore', 'psql').length) return ctx.skip();
      const name = new URL(pg.url!).pathname.slice(1);
      const config = parseConfig({
        dataDir: ':memory:',
        databaseUrl: pg.url,
        secretKey,
        logLevel: 'silent',
        jobs: { enabled: false },
        backups: { storageDir: join(dir, 'pg-store'), tmpDir: dir },
      });
      const app = buildApp(config, {
        clock: createFakeClock(Date.now()),
        logger: silentLogger,
        db: pg.db,
      });
      await app.migrate();
      await roundTrip(app, `${name}_r`, (copy) =>
        Number(psql("SELECT count(*) FROM accounts WHERE email LIKE '%@example.com'", copy).trim()),
      );
      const target = (await app.backups.listTargets(operator))[0]!;
      expect(target.describe).toBe(`PostgreSQL 127.0.0.1:5432: ${name}`);
      await app.jobs.stop(0);
      await app.backups.stop();
    });
  });
});
