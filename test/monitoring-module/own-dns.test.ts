// A DNS check against Bestiary's own authoritative server on the wire: a missing name is down,
// the record appearing through the DNS module brings it back, a wrong expectation says both answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullAccess, recordFromJson } from '../../src/dns/index.js';
import { buildAccount } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import { freePort } from '../support/server.js';
import { actorFor, probe, quick } from './support.js';

describe('a DNS check of our own DNS server', () => {
  let t: TestApp;
  let server: string;

  beforeAll(async () => {
    const port = await freePort();
    server = `127.0.0.1:${port}`;
    t = await buildTestApp({ config: { dns: { listen: server, rrlPerSecond: 0 } } });
    await t.app.dns.start();
    await t.app.monitoring.start();
  });
  afterAll(async () => {
    await t.app.monitoring.stop();
    await t.close();
  });

  it('is down while the name is missing, up once the DNS module publishes it, down on a wrong answer', async () => {
    const customer = await buildAccount(t.app);
    const admin = await buildAccount(t.app, { role: 'admin' });
    const access = fullAccess(customer.id, {
      accountId: customer.id,
      ip: null,
      channel: 'panel',
    });
    const zone = await t.app.dns.zones.create(customer.id, 'watched.org', 'dns-only', access.actor);
    const operator = actorFor(admin.id, true);
    const create = (name: string, expected: string) =>
      t.app.monitoring.checks.create(
        operator,
        {
          name,
          type: 'dns',
          params: { server, name: 'www.watched.org', type: 'A', expect: [expected] },
          ...quick,
        },
        { provider: true },
      );
    const good = await create('www answer', '192.0.2.10');
    const wrong = await create('www stale answer', '192.0.2.99');
    const last = (id: string) => {
      const s = t.app.monitoring.engine.state(id);
      return { hard: s?.hard, message: s?.last?.message };
    };

    await probe(t.app, t.clock, good.id);
    expect(last(good.id)).toEqual({
      hard: 'down',
      message: `www.watched.org A @${server}: NXDOMAIN`,
    });

    await t.app.dns.records.add(access, zone, [
      recordFromJson({ host: 'www', type: 'A', data: '192.0.2.10', ttl: 300 }, 'watched.org.'),
    ]);
    await probe(t.app, t.clock, good.id);
    await probe(t.app, t.clock, wrong.id);
    expect(last(good.id)).toEqual({
      hard: 'up',
      message: `www.watched.org A @${server}: 192.0.2.10`,
    });
    expect(last(wrong.id)).toEqual({
      hard: 'down',
      message: `www.watched.org A @${server} answered 192.0.2.10, expected 192.0.2.99`,
    });
    const alerts = (await t.app.monitoring.checks.get(operator, good.id)).alerts.map((a) => a.line);
    expect(alerts.reverse()).toEqual([
      `www answer [${good.ref}]: ${server} => www.watched.org A @${server}: NXDOMAIN`,
      `www answer [${good.ref}]: back to normal`,
    ]);
  });
});
