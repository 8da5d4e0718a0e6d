// Migrations, stores and the job queue on every engine: SQLite and PostgreSQL (127.0.0.1:5432).
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { listMigrations, migrateToLatest } from '../../src/db/index.js';
import type { JobPayloads, Jobs } from '../../src/jobs/index.js';
import { createJobs, PermanentJobError } from '../../src/jobs/index.js';
import { buildAccount, buildApiKey } from '../fixtures/builders.js';
import { buildTestApp } from '../support/app.js';
import type { TestDatabase } from '../support/databases.js';
import { createTestDatabase, enginesUnderTest } from '../support/databases.js';

declare module '../../src/jobs/index.js' {
  interface JobPayloads {
    'test.record': { n: number };
    'test.flaky': { failTimes: number };
    'test.doomed': Record<string, never>;
  }
}

const engines = await enginesUnderTest();

describe.each(engines)('on %s', (engine) => {
  describe('migrations', () => {
    let d: TestDatabase;
    beforeEach(async () => {
      d = await createTestDatabase(engine);
    });
    afterEach(() => d.drop());

    it('creates every table from nothing, and a second run changes nothing', async () => {
      const first = await migrateToLatest(d.db.kysely, d.db.dialect);
      expect(first.results?.map((r) => r.migrationName)).toEqual(listMigrations());
      expect(first.results?.every((r) => r.status === 'Success')).toBe(true);
      const second = await migrateToLatest(d.db.kysely, d.db.dialect);
      expect(second.results).toEqual([]);
      const tables = (await d.db.kysely.introspection.getTables()).map((t) => t.name);
      expect(tables).toEqual(
        expect.arrayContaining([
          'accounts',
          'sessions',
          'api_keys',
          'api_tokens',
          'audit_log',
          'jobs',
          'domains',
          'registry_names',
          'mail_messages',
        ]),
      );
    });
  });

  describe('stores', () => {
    it('round-trips accounts, keys and audit entries, and enforces unique emails', async () => {
      const t = await buildTestApp({ engine });
      try {
        const account = await buildAccount(t.app, {
          email: 'Mixed.Case@Example.com',
          name: 'Zoë “quotes” <b>',
        });
        expect(account.email).toBe('mixed.case@example.com');
        expect((await t.app.accounts.accounts.get(account.id))?.name).toBe('Zoë “quotes” <b>');
        await expect(buildAccount(t.app, { email: 'mixed.case@example.com' })).rejects.toThrow(
          /already exists/,
        );
        const { key } = await buildApiKey(t.app, account, ['dns:rw:zones=example.com:types=TXT']);
        expect((await t.app.accounts.apiKeys.get(account.id, key.id)).scope).toEqual([
          { api: 'dns', write: true, zones: ['example.com'], types: ['TXT'] },
        ]);
        const audit = await t.app.accounts.audit.list({ ownerAccountId: account.id });
        expect(audit.map((e) => e.action)).toEqual(['api_key.created', 'account.created']);
      } finally {
        await t.close();
      }
    });

    it('registers a domain ordered through the cart, once, even when two customers race', async () => {
      const t = await buildTestApp({ engine });
      try {
        const [a, b] = [await buildAccount(t.app), await buildAccount(t.app)];
        await t.app.domains.addToCart(a.id, 'contested.com');
        await t.app.domains.addToCart(b.id, 'contested.com');
        const results = await Promise.allSettled([
          t.app.domains.checkout(a.id, { accountId: a.id, ip: null, channel: 'panel' }),
          t.app.domains.checkout(b.id, { accountId: b.id, ip: null, channel: 'panel' }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        await t.app.jobs.drain();
        const owners = [...(await t.app.domains.list(a.id)), ...(await t.app.domains.list(b.id))];
        expect(owners).toHaveLength(1);
        expect(owners[0]).toMatchObject({ name: 'contested.com', status: 'registered' });
        expect(owners[0]!.expires_at! > owners[0]!.created_at).toBe(true);
      } finally {
        await t.close();
      }
    });
  });

  describe('job queue', () => {
    let d: TestDatabase;
    const clock = createFakeClock();
    const runs: number[] = [];
    const make = (concurrency = 4): Jobs => {
      const jobs = createJobs({
        db: d.db,
        clock,
        logger: silentLogger,
        pollMs: 20,
        concurrency,
        leaseSeconds: 60,
      });
      jobs.define({ name: 'test.record', run: async ({ n }) => void runs.push(n) });
      let attempts = 0;
      jobs.define({
        name: 'test.flaky',
        maxAttempts: 4,
        run: async ({ failTimes }) => {
          attempts += 1;
          if (attempts <= failTimes) throw new Error(`flake ${attempts}`);
        },
      });
      jobs.define({
        name: 'test.doomed',
        run: async () => {
          throw new PermanentJobError('never going to work');
        },
      });
      return jobs;
    };

    beforeEach(async () => {
      d = await createTestDatabase(engine);
      await migrateToLatest(d.db.kysely, d.db.dialect);
      runs.length = 0;
    });
    afterEach(() => d.drop());

    it('keeps jobs across a restart and runs them once', async () => {
      const before = make();
      const id = await before.enqueue('test.record', { n: 1 } satisfies JobPayloads['test.record']);
      await before.stop();
      const after = make();
      expect(await after.drain()).toBe(1);
      expect(runs).toEqual([1]);
      expect((await after.get(id))?.state).toBe('done');
      expect(await after.drain()).toBe(0);
    });

    it('gives each job to exactly one of several concurrent runners', async () => {
      const runners = [make(8), make(8), make(8)];
      for (let n = 0; n < 60; n++) await runners[0]!.enqueue('test.record', { n });
      await Promise.all(runners.map((r) => r.drain()));
      expect(runs.sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, n) => n));
    });

    it('retries with backoff, and gives up on a permanent failure at once', async () => {
      const jobs = make();
      const flaky = await jobs.enqueue('test.flaky', { failTimes: 2 });
      await jobs.drain();
      let row = await jobs.get(flaky);
      expect(row).toMatchObject({ state: 'queued', attempts: 1, last_error: 'flake 1' });
      expect(Date.parse(row!.run_at) - clock.now()).toBeGreaterThanOrEqual(1600);
      clock.advance(10_000);
      await jobs.drain();
      clock.advance(10_000);
      await jobs.drain();
      row = await jobs.get(flaky);
      expect(row).toMatchObject({ state: 'done', attempts: 3 });

      const doomed = await jobs.enqueue('test.doomed', {});
      await jobs.drain();
      expect(await jobs.get(doomed)).toMatchObject({
        state: 'failed',
        attempts: 1,
        last_error: 'never going to work',
      });
    });

    it('takes over a job whose runner died once its lease runs out', async () => {
      const jobs = make();
      const id = await jobs.enqueue('test.record', { n: 7 });
      // A runner claimed it and died: simulate the claim without the run.
      await sql`update jobs set state = 'running', locked_by = 'dead-runner', locked_until = ${new Date(clock.now() + 60_000).toISOString()} where id = ${id}`.execute(
        d.db.kysely,
      );
      expect(await jobs.drain()).toBe(0);
      clock.advance(61_000);
      expect(await jobs.drain()).toBe(1);
      expect(runs).toEqual([7]);
    });

    it('never creates a second job for the same unique key', async () => {
      const jobs = make();
      const a = await jobs.enqueue('test.record', { n: 1 }, { uniqueKey: 'once' });
      const b = await jobs.enqueue('test.record', { n: 2 }, { uniqueKey: 'once' });
      expect(b).toBe(a);
      await jobs.drain();
      expect(runs).toEqual([1]);
    });
  });
});
