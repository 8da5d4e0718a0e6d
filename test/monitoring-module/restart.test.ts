// Restarting Bestiary (a new app over the same database) neither re-alerts a check already known to
// be down nor forgets a change that was half confirmed: on SQLite and on PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createFakeClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { App } from '../../src/main.js';
import { buildApp } from '../../src/main.js';
import { portTarget } from '../monitoring/support/targets.js';
import type { TestDatabase } from '../support/databases.js';
import { createTestDatabase, enginesUnderTest } from '../support/databases.js';
import { actorFor, probe, quick, waitFor } from './support.js';

const engines = await enginesUnderTest();

describe.each(engines)('restart on %s', (engine) => {
  const cleanup: Array<() => unknown> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('neither re-alerts a known-down check nor loses a pending transition', async () => {
    const database: TestDatabase = await createTestDatabase(engine);
    cleanup.push(() => database.drop());
    const clock = createFakeClock(Date.UTC(2026, 10, 27, 12));
    const config = parseConfig({
      dataDir: ':memory:',
      secretKey: 'test-secret-key-test-secret-key-0123456789',
      logLevel: 'silent',
      jobs: { enabled: false },
      monitoring: { operators: { emails: ['ops@example.net'] } },
    });
    const boot = async (): Promise<App> => {
      const app = buildApp(config, { clock, logger: silentLogger, db: database.db });
      await app.migrate();
      await app.monitoring.start();
      return app;
    };
    const mails = async (app: App) => (await app.mailer.list(100)).map((m) => m.subject).reverse();

    const dead = await portTarget();
    const shaky = await portTarget();
    cleanup.push(
      () => dead.close(),
      () => shaky.close(),
    );

    const one = await boot();
    const operator = actorFor('ops', true);
    const deadCheck = await one.monitoring.checks.create(
      operator,
      { name: 'gamma', type: 'tcp', params: { host: '127.0.0.1', port: dead.port }, ...quick },
      { provider: true },
    );
    const shakyCheck = await one.monitoring.checks.create(
      operator,
      {
        name: 'delta',
        type: 'tcp',
        params: { host: '127.0.0.1', port: shaky.port },
        ...quick,
        downRetries: 2,
      },
      { provider: true },
    );
    await probe(one, clock, deadCheck.id);
    await probe(one, clock, shakyCheck.id);
    await dead.stop();
    await shaky.stop();
    await probe(one, clock, deadCheck.id);
    await probe(one, clock, shakyCheck.id);
    await waitFor(async () => (await mails(one)).length === 1, 10_000, 'the first alert');
    expect(one.monitoring.engine.state(shakyCheck.id)?.streak).toBe(1);
    await one.monitoring.stop();

    const two = await boot();
    cleanup.push(() => two.monitoring.stop());
    expect(two.monitoring.engine.state(deadCheck.id)?.hard).toBe('down');
    expect(two.monitoring.engine.state(shakyCheck.id)?.streak).toBe(1);
    await probe(two, clock, deadCheck.id);
    await probe(two, clock, shakyCheck.id);
    await waitFor(async () => (await mails(two)).length === 2, 10_000, 'the confirmed alert');
    await dead.start();
    await shaky.start();
    await probe(two, clock, deadCheck.id);
    await probe(two, clock, shakyCheck.id);
    await waitFor(async () => (await mails(two)).length === 4, 10_000, 'both recoveries');
    await new Promise((r) => setTimeout(r, 500));

    expect(await mails(two)).toEqual([
      `[PROBLEM] gamma [${deadCheck.ref}]`,
      `[PROBLEM] delta [${shakyCheck.ref}]`,
      `[RECOVERY] gamma [${deadCheck.ref}]`,
      `[RECOVERY] delta [${shakyCheck.ref}]`,
    ]);
    // The history of each check survives the restart too.
    const history = await two.monitoring.checks.get(operator, deadCheck.id);
    expect(history.alerts.map((a) => a.kind).reverse()).toEqual(['problem', 'recovery']);
  }, 90_000);
});
