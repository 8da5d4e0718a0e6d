// The DNSSEC extension of the DNS API on the API listener: keys, the DS for the registrar and the
// status at a local fake parent; actions scoped like the rest of the API (read vs write, zone
// narrowing); another account's zone answers exactly like a missing one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount } from '../fixtures/builders.js';
import { freePort } from '../support/server.js';
import { fakeParent } from '../dnssec/support.js';
import type { DnsApiSetup } from './support.js';
import { dnsApiSetup, parse } from './support.js';

describe('DNS API: DNSSEC extension', () => {
  let s: DnsApiSetup;
  let serial = 1;
  beforeAll(async () => {
    const port = await freePort();
    s = await dnsApiSetup({
      zone: 'secure.example.org',
      config: {
        dns: {
          listen: `127.0.0.1:${port}`,
          rrlPerSecond: 0,
          dnssec: { parentServers: [`127.0.0.1:${port}`] },
        },
      },
    });
    await s.t.app.dns.start();
  });
  afterAll(async () => {
    await s.t.app.dns.stop();
    await s.t.close();
  });
  const url = '/dns/v2/zones/secure.example.org/dnssec';

  it('shows the keys, the DS for the registrar, and the status after a check of the parent', async () => {
    const keys = await s.t.app.dns.dnssecKeys(s.zone);
    const ksk = keys.find((k) => k.role === 'ksk')!;
    const first = parse(await s.call('GET', url));
    expect(first).toMatchObject({
      zone: 'secure.example.org',
      signed: true,
      status: 'unknown',
      ds: [ksk.ds],
      turn_off: null,
      ksk_rollover: null,
    });
    expect(first.keys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          role: 'ksk',
          key_tag: ksk.keyTag,
          dnskey: ksk.dnskey,
          ds: ksk.ds,
        }),
        expect.objectContaining({ role: 'zsk', state: 'active' }),
      ]),
    );
    s.t.app.dns.server.replaceZone(fakeParent('secure', [ksk.ds!], ++serial));
    const checked = await s.call('POST', url, { json: { action: 'check' } });
    expect(checked.status).toBe(200);
    expect(parse(checked)).toMatchObject({
      status: 'secure',
      parent_ds: [ksk.ds],
      parent_ds_ttl: 3600,
    });
  });

  it('lets a read-only key look but not act, and a TXT-only key neither', async () => {
    const ro = await s.keyed(['dns:ro']);
    expect((await ro('GET', url)).status).toBe(200);
    const refused = await ro('POST', url, { json: { action: 'off' } });
    expect(refused.status).toBe(403);
    const txt = await s.keyed(['dns:rw:hosts=_acme-challenge:types=TXT']);
    expect((await txt('GET', url)).status).toBe(403);
    expect((await txt('POST', url, { json: { action: 'roll-ksk' } })).status).toBe(403);
    expect(parse(await s.call('GET', url)).turn_off).toBeNull();
  });

  it('answers another account’s zone, or one outside the key’s zones, exactly like a missing one', async () => {
    const missing = await s.call('GET', '/dns/v2/zones/nothing-here.example/dnssec');
    expect(missing.status).toBe(404);
    const other = await buildAccount(s.t.app);
    await s.t.app.dns.zones.create(other.id, 'theirs.example', 'dns-only', {
      accountId: other.id,
      ip: null,
      channel: 'panel',
    });
    const theirs = await s.call('GET', '/dns/v2/zones/theirs.example/dnssec');
    expect([theirs.status, theirs.text]).toEqual([
      404,
      missing.text.replace('nothing-here.example', 'theirs.example'),
    ]);
    const acted = await s.call('POST', '/dns/v2/zones/theirs.example/dnssec', {
      json: { action: 'off' },
    });
    expect([acted.status, acted.text]).toEqual([404, theirs.text]);
    const narrow = await s.keyed(['dns:rw:zones=other.example']);
    const outside = await narrow('GET', url);
    expect([outside.status, outside.text]).toEqual([
      404,
      missing.text.replace('nothing-here.example', 'secure.example.org'),
    ]);
  });

  it('walks turning off through its steps and refuses to finish early', async () => {
    const off = await s.call('POST', url, { json: { action: 'off' } });
    expect(parse(off).turn_off).toEqual({ step: 1, name: 'remove-ds', until: null });
    const early = await s.call('POST', url, { json: { action: 'finish' } });
    expect(early.status).toBe(409);
    expect(parse(early).error).toMatch(/remove it at the registrar first/);
    const kept = await s.call('POST', url, { form: { action: 'keep' } });
    expect(parse(kept)).toMatchObject({ signed: true, turn_off: null });
    const bad = await s.call('POST', url, { json: { action: 'explode' } });
    expect(bad.status).toBe(400);
  });

  it('starts a KSK rollover and says which DS to add', async () => {
    const reply = parse(await s.call('POST', url, { json: { action: 'roll-ksk' } }));
    const keys = await s.t.app.dns.dnssecKeys(s.zone);
    const fresh = keys.find((k) => k.role === 'ksk' && k.state === 'published')!;
    expect(reply.ksk_rollover).toEqual({
      stage: 'add-new-ds',
      key_tag: fresh.keyTag,
      ds: fresh.ds,
      until: null,
    });
  });
});
