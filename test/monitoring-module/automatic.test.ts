// Automatic checks: a Pi that goes live gets ssh and web checks named in the reference style (and
// its ssh check probes the Pi's real SSH banner); cancelling it takes them away. A backup target
// gets a heartbeat that a failed run turns down and the next good run brings back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { buildAccount } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { piConfig, settle, startPiApp } from '../picloud/support.js';
import { actorFor, probe, waitFor } from './support.js';

describe('automatic checks', () => {
  let t: TestApp;
  let customer: Account;
  const operator = actorFor('nobody', true);
  const actor = () => ({ accountId: customer.id, ip: null, channel: 'panel' as const });

  beforeAll(async () => {
    t = await startPiApp({ config: { ...piConfig(), monitoring: { automatic: { web: true } } } });
    customer = await buildAccount(t.app);
    await t.app.monitoring.start();
  });
  afterAll(async () => {
    await t.app.monitoring.stop();
    await t.close();
  });

  const checksOf = async (a = actorFor(customer.id)) =>
    (await t.app.monitoring.checks.list(a)).map((c) => c.label).sort();

  it('watches a Pi from the moment it is live until it is cancelled', async () => {
    const { server } = await t.app.picloud.servers.order(
      customer.id,
      { name: 'alpha', keys: [] },
      actor(),
    );
    expect((await settle(t.app, customer.id, 'alpha')).status).toBe('live');
    await waitFor(async () => (await checksOf()).length === 2, 10_000, 'the automatic checks');
    expect(await checksOf()).toEqual([
      `managed pi:alpha-ssh [${server.id}-ssh]`,
      `managed pi:alpha-web [${server.id}-web]`,
    ]);
    // The customer owns them (their alerts reach the customer), and operators see them too.
    expect(await checksOf(operator)).toEqual(await checksOf());

    const [ssh] = (await t.app.monitoring.checks.list(actorFor(customer.id))).filter(
      (c) => c.type === 'ssh',
    );
    await probe(t.app, t.clock, ssh!.id);
    expect(t.app.monitoring.engine.state(ssh!.id)?.last?.status).toBe('up');

    // A reboot announces the Pi live again: still two checks, not four.
    await t.app.events.emit('pi.live', {
      serverId: server.id,
      accountId: customer.id,
      name: 'alpha',
      piId: 'whatever',
      ipv6: '2001:db8:8000:1::1',
      sshHost: '127.0.0.1',
      sshPort: 22001,
    });
    expect(await checksOf()).toHaveLength(2);

    await t.app.picloud.servers.cancel(customer.id, 'alpha', actor());
    await waitFor(async () => (await checksOf()).length === 0, 10_000, 'the checks to go');
    await t.app.picloud.drain();
  });

  it('turns a backup heartbeat down on a failed run and up on the next good one', async () => {
    const fact = {
      targetId: 'tgt1',
      name: 'alpha-db',
      ownerKind: 'pi' as const,
      ownerId: 'srv',
      accountId: customer.id,
    };
    await t.app.events.emit('backup.target_added', { ...fact, schedule: '17 3 * * *' });
    const [hb] = await t.app.monitoring.checks.list(actorFor(customer.id));
    expect(hb?.label).toBe('backup alpha-db [tgt1-backup]');
    const def = await t.app.monitoring.checks.get(actorFor(customer.id), hb!.id);
    expect(def.input.params).toEqual({ periodMs: 86_400_000, graceMs: 120 * 60_000 });

    await t.app.events.emit('backup.failed', {
      ...fact,
      runId: 'r1',
      at: t.clock.now(),
      phase: 'run',
      summary: 'mysqldump: Error 2013: Lost connection',
    });
    await waitFor(() => t.app.monitoring.engine.state(hb!.id)?.hard === 'down', 5_000, 'down');
    expect(t.app.monitoring.engine.state(hb!.id)?.last?.message).toBe(
      'mysqldump: Error 2013: Lost connection',
    );

    await t.app.events.emit('backup.succeeded', {
      ...fact,
      runId: 'r2',
      level: 'INFO',
      at: t.clock.now(),
    });
    await waitFor(() => t.app.monitoring.engine.state(hb!.id)?.hard === 'up', 5_000, 'up');

    await t.app.events.emit('backup.target_changed', {
      ...fact,
      schedule: '17 3 * * *',
      enabled: false,
    });
    expect(await checksOf()).toEqual([]);
  });
});
