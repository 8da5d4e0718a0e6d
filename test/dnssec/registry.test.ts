// The built-in registrar publishes the DS of a domain registered through it: signed at
// registration, both DS during a KSK rollover, none once turning off begins (RFC 8078 §4).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAccount } from '../fixtures/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { enginesUnderTest } from '../support/databases.js';

const engines = await enginesUnderTest();

describe.each(engines)('the built-in registry gets the DS (%s)', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp({ engine });
  });
  afterEach(() => t.close());

  it('publishes the DS at registration, follows a KSK rollover, and removes it to turn off', async () => {
    const customer = await buildAccount(t.app);
    await t.app.domains.addToCart(customer.id, 'kestrel.org');
    await t.app.domains.checkout(customer.id, {
      accountId: customer.id,
      ip: null,
      channel: 'panel',
    });
    await t.app.jobs.drain();
    const zone = await t.app.dns.zones.named('kestrel.org');
    const ksks = async () =>
      (await t.app.dns.dnssecKeys(zone)).filter((k) => k.role === 'ksk').map((k) => k.ds!);
    const registry = async () => (await t.app.domains.registryInfo('kestrel.org'))!.ds;

    expect(await registry()).toEqual(await ksks());
    expect(await registry()).toHaveLength(1);

    await t.app.dns.dnssecRollKsk(await t.app.dns.zones.named('kestrel.org'));
    expect((await registry()).sort()).toEqual((await ksks()).sort());
    expect(await registry()).toHaveLength(2);

    await t.app.dns.dnssecTurnOff(await t.app.dns.zones.named('kestrel.org'));
    expect(await registry()).toEqual([]);
  });

  it('leaves names it did not register alone', async () => {
    const customer = await buildAccount(t.app);
    await t.app.dns.zones.create(customer.id, 'elsewhere.org', 'dns-only', {
      accountId: customer.id,
      ip: null,
      channel: 'panel',
    });
    const zone = await t.app.dns.zones.named('elsewhere.org');
    await t.app.dns.setDnssec(zone, true);
    expect(await t.app.domains.registryInfo('elsewhere.org')).toBeNull();
  });
});
