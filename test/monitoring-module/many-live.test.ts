// Many Pis going live at once (a burst of orders) on PostgreSQL: every one gets its two automatic
// checks. The checks' series ids are allocated one at a time per instance; racing inserts used to
// exhaust their retries and leave Pis unwatched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { buildAccount } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/databases.js';
import { actorFor, waitFor } from './support.js';

const hasPostgres = await postgresAvailable();

describe.skipIf(!hasPostgres)('automatic checks for a burst of Pis on PostgreSQL', () => {
  let t: TestApp;
  let customer: Account;

  beforeAll(async () => {
    t = await buildTestApp({ engine: 'postgres' });
    customer = await buildAccount(t.app);
    await t.app.monitoring.start();
  });
  afterAll(async () => {
    await t.app.monitoring.stop();
    await t.close();
  });

  it('gives each of 24 Pis announced live at once its ssh and web checks', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        t.app.events.emit('pi.live', {
          serverId: `server-${i}`,
          accountId: customer.id,
          name: `burst-${i}`,
          piId: `pi-${i}`,
          ipv6: `2001:db8:8000:${i + 1}::1`,
          sshHost: '127.0.0.1',
          sshPort: 22001 + i,
        }),
      ),
    );
    const labels = async () =>
      (await t.app.monitoring.checks.list(actorFor(customer.id))).map((c) => c.label);
    await waitFor(async () => (await labels()).length >= 48, 20_000, '48 automatic checks');
    const all = await labels();
    expect(all).toHaveLength(48);
    for (let i = 0; i < 24; i++) {
      expect(all).toContain(`managed pi:burst-${i}-ssh [server-${i}-ssh]`);
      expect(all).toContain(`managed pi:burst-${i}-web [server-${i}-web]`);
    }
  });
});
