// DNSSEC on a zone page: the status at the parent (checked against a local fake parent served by
// Bestiary), the DS and DNSKEY in the fields a registrar asks for, turning off as three steps that
// cannot be skipped, a KSK rollover's instructions, and another account's zone as 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, loggedIn } from '../fixtures/builders.js';
import { freePort } from '../support/server.js';
import { fakeParent } from '../dnssec/support.js';
import type { World } from './setup.js';
import { setup, textOf } from './setup.js';

describe('DNS panel: DNSSEC', () => {
  let w: World;
  let serial = 1;
  const page = async () => textOf((await w.client.get('/dns/secure.example.org')).text);
  const activeKsk = async () =>
    (await w.t.app.dns.dnssecKeys(await w.row('secure.example.org'))).find(
      (k) => k.role === 'ksk' && k.state === 'active',
    )!;

  beforeAll(async () => {
    const port = await freePort();
    w = await setup({
      config: {
        dns: {
          listen: `127.0.0.1:${port}`,
          rrlPerSecond: 0,
          dnssec: { parentServers: [`127.0.0.1:${port}`] },
        },
      },
    });
    await w.t.app.dns.start();
    await w.zone('secure.example.org');
  });
  afterAll(async () => {
    await w.t.app.dns.stop();
    await w.t.close();
  });

  it('shows the DS and DNSKEY field by field, and "waiting" until the parent has the DS', async () => {
    const ksk = await activeKsk();
    const [tag, alg, type, digest] = ksk.ds!.split(' ');
    w.t.app.dns.server.replaceZone(fakeParent('secure', [], ++serial));
    expect((await w.post('/dns/secure.example.org/dnssec/check', {})).status).toBe(303);
    const text = await page();
    expect(text).toContain('Status: Waiting for the DS at the parent');
    expect(text).toContain(`Key tag ${tag}`);
    expect(text).toContain(`Algorithm ${alg} ECDSA P-256 with SHA-256`);
    expect(text).toContain(`Digest type ${type} SHA-256`);
    expect(text).toContain(`Digest ${digest}`);
    expect(text).toContain(`Public key ${ksk.dnskey.split(' ')[3]}`);

    w.t.app.dns.server.replaceZone(fakeParent('secure', [ksk.ds!], ++serial));
    await w.post('/dns/secure.example.org/dnssec/check', {});
    expect(await page()).toContain('Status: Secure');
  });

  it('walks through turning off and refuses to skip a step', async () => {
    expect((await w.post('/dns/secure.example.org/dnssec/off', {})).status).toBe(303);
    expect(await page()).toContain('Step 1 of 3: the parent zone still has a DS');
    const early = await w.post('/dns/secure.example.org/dnssec/finish', {});
    expect(early.status).toBe(409);
    expect(textOf(early.text)).toContain('remove it at the registrar first');
    expect((await w.row('secure.example.org')).dnssec).toBe(1);

    w.t.app.dns.server.replaceZone(fakeParent('secure', [], ++serial));
    await w.post('/dns/secure.example.org/dnssec/check', {});
    expect(await page()).toContain('Step 2 of 3: the DS is gone from the parent. Waiting until');
    expect((await w.post('/dns/secure.example.org/dnssec/finish', {})).status).toBe(409);

    expect((await w.post('/dns/secure.example.org/dnssec/keep', {})).status).toBe(303);
    expect(await page()).not.toContain('Turning DNSSEC off');
    expect((await w.row('secure.example.org')).dnssec).toBe(1);
  });

  it('tells the customer which new DS to add when a KSK rollover starts', async () => {
    expect((await w.post('/dns/secure.example.org/dnssec/roll-ksk', {})).status).toBe(303);
    const keys = await w.t.app.dns.dnssecKeys(await w.row('secure.example.org'));
    const fresh = keys.find((k) => k.role === 'ksk' && k.state === 'published')!;
    const text = await page();
    expect(text).toContain('Add this new DS record at your registrar');
    expect(text).toContain(`As one record ${fresh.ds!}`);
    const again = await w.post('/dns/secure.example.org/dnssec/roll-ksk', {});
    expect(again.status).toBe(409);
  });

  it('answers 404 for another account’s zone and changes nothing', async () => {
    const other = await buildAccount(w.t.app);
    const client = await loggedIn(w.t.app, other);
    for (const action of ['off', 'on', 'check', 'roll-ksk', 'finish']) {
      const reply = await client.post(
        `/dns/secure.example.org/dnssec/${action}`,
        {},
        {
          csrfFrom: '/dns',
        },
      );
      expect(reply.status, action).toBe(404);
    }
    expect((await client.get('/dns/secure.example.org')).status).toBe(404);
  });
});
