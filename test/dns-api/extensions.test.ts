// Bestiary's own additions to the DNS API, marked as such in OpenAPI: adding a DNS-only zone,
// deleting a zone, and "who may issue" (RFC 8659) for a name; and the OpenAPI document itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsApiSetup } from './support.js';
import { dnsApiSetup, parse } from './support.js';

describe('DNS API extensions', () => {
  let s: DnsApiSetup;
  beforeAll(async () => {
    s = await dnsApiSetup();
  });
  afterAll(() => s.t.close());

  it('adds a DNS-only zone with the template records, and refuses it twice', async () => {
    const added = await s.call('POST', '/dns/v2/zones', { json: { zone: 'Example.ORG' } });
    expect([added.status, added.text]).toEqual([
      201,
      '{"message":"Zone example.org added","zone":"example.org"}\n',
    ]);
    expect((await s.call('GET', '/dns/v2/zones')).text).toBe(
      '{"zones":["example.com","example.org"]}\n',
    );
    expect((await s.records('/@/NS', 'example.org')).map((r) => r.data)).toEqual([
      'ns1.bestiary.example.',
      'ns2.bestiary.example.',
    ]);
    const again = await s.call('POST', '/dns/v2/zones', { form: { zone: 'example.org' } });
    expect([again.status, parse(again)]).toEqual([
      409,
      { error: 'example.org is already hosted here.' },
    ]);
    const bad = await s.call('POST', '/dns/v2/zones', { json: { name: 'x.example' } });
    expect(parse(bad).errors).toEqual(['The body needs {"zone": "example.org"}']);
    const tld = await s.call('POST', '/dns/v2/zones', { json: { zone: 'org' } });
    expect(tld.status).toBe(400);
  });

  it('adds and deletes zones only for keys that may write a whole zone', async () => {
    const narrow = await s.keyed(['dns:rw:zones=example.com']);
    const refused = await narrow('POST', '/dns/v2/zones', { json: { zone: 'narrow.example' } });
    expect([refused.status, parse(refused)]).toEqual([
      403,
      { error: 'Access denied: this key may not add the zone narrow.example' },
    ]);
    const txt = await s.keyed(['dns:rw:hosts=_acme-challenge:types=TXT']);
    expect((await txt('DELETE', '/dns/v2/zones/example.com')).status).toBe(404);
    expect((await s.call('GET', '/dns/v2/zones/example.com/records')).status).toBe(200);
  });

  it('deletes a zone: its records go and it is no longer found', async () => {
    await s.call('POST', '/dns/v2/zones', { json: { zone: 'short-lived.example' } });
    const del = await s.call('DELETE', '/dns/v2/zones/short-lived.example');
    expect([del.status, del.text]).toEqual([
      200,
      '{"message":"Zone short-lived.example deleted","zone":"short-lived.example"}\n',
    ]);
    expect((await s.call('GET', '/dns/v2/zones/short-lived.example/records')).status).toBe(404);
    expect(s.t.app.dns.server.lookup('short-lived.example.', 6).rcode).toBe(5); // REFUSED
  });

  it('says who may issue for a name, climbing to the apex CAA and reading issuewild', async () => {
    await s.call('POST', '/dns/v2/zones/example.com/records/@/CAA', {
      json: {
        records: [
          { ttl: 300, caa_flags: 0, caa_tag: 'issue', data: 'letsencrypt.org' },
          { ttl: 300, caa_flags: 0, caa_tag: 'issuewild', data: ';' },
        ],
      },
    });
    const reply = await s.call('GET', '/dns/v2/zones/example.com/caa?name=www');
    expect(reply.status).toBe(200);
    const evaluation = parse(reply) as {
      name: string;
      relevantName: string;
      normal: { kind: string; issuers: { domain: string }[] };
      wildcard: { kind: string };
    };
    expect(evaluation.name).toBe('www.example.com.');
    expect(evaluation.relevantName).toBe('example.com.');
    expect(evaluation.normal.kind).toBe('issuers');
    expect(evaluation.normal.issuers.map((i) => i.domain)).toEqual(['letsencrypt.org']);
    expect(evaluation.wildcard.kind).toBe('nobody');
    // The apex by default; a name outside the zone is bad input; a TXT-only key may not look.
    expect(
      (parse(await s.call('GET', '/dns/v2/zones/example.com/caa')) as { name: string }).name,
    ).toBe('example.com.');
    expect(
      (await s.call('GET', '/dns/v2/zones/example.com/caa?name=www.example.net.')).status,
    ).toBe(400);
    const txt = await s.keyed(['dns:rw:hosts=_acme-challenge:types=TXT']);
    expect((await txt('GET', '/dns/v2/zones/example.com/caa?name=www')).status).toBe(403);
  });

  it('documents every DNS route in OpenAPI, with the extensions marked', async () => {
    const doc = parse(await s.call('GET', '/openapi.json', { auth: null })) as {
      paths: Record<string, Record<string, { summary: string; 'x-bestiary-extension'?: boolean }>>;
    };
    for (const path of [
      '/dns/v2/zones',
      '/dns/v2/zones/{zone}/records',
      '/dns/v2/zones/{zone}/records/{host}',
      '/dns/v2/zones/{zone}/records/{host}/{type}',
    ])
      expect(Object.keys(doc.paths[path]!).sort()).toEqual(
        path === '/dns/v2/zones' ? ['get', 'post'] : ['delete', 'get', 'post', 'put'],
      );
    expect(Object.keys(doc.paths['/dns/v2/dynamic/{fqdn}']!).sort()).toEqual([
      'get',
      'post',
      'put',
    ]);
    const extensions = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op['x-bestiary-extension'])
        .map(([method, op]) => `${method} ${path}: ${op.summary}`),
    );
    expect(extensions.filter((e) => e.includes('/dns/'))).toEqual([
      'post /dns/v2/zones: Add a DNS-only zone (Bestiary extension)',
      'delete /dns/v2/zones/{zone}: Delete a zone and all its records (Bestiary extension)',
      'get /dns/v2/zones/{zone}/caa: Who may issue certificates for ?name= (RFC 8659), normal and wildcard (Bestiary extension)',
      'get /dns/v2/zones/{zone}/dnssec: DNSSEC of a zone: keys, the DS for the registrar, status at the parent, steps under way (Bestiary extension)',
      'post /dns/v2/zones/{zone}/dnssec: Act on DNSSEC: on, off (safely, step by step), keep, finish, check, roll-ksk (Bestiary extension)',
    ]);
  });
});
