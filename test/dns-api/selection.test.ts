// The selection model of apis.md §3.2 (URL, filters, select=, the template/generated exclusions)
// and the bodies of §3.3 and §3.6: records inheriting host/type from the URL, text/dns export and
// the whole-zone PUT dnscontrol makes, put-dns's single line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsApiSetup } from './support.js';
import { dnsApiSetup, lineOf, parse } from './support.js';

const template = [{ host: '@', type: 'MX', mx_priority: 10, data: 'mx.bestiary.example.' }];
const strip = (records: Record<string, unknown>[]) =>
  records.map(({ _template: _, ...rest }) => rest);

describe('selecting records (apis.md §3.2)', () => {
  let s: DnsApiSetup;
  const z = (zone: string, path = '') => `/dns/v2/zones/${zone}/records${path}`;
  beforeAll(async () => {
    s = await dnsApiSetup({ config: { dns: { template } } });
  });
  afterAll(() => s.t.close());

  /** A fresh zone with www A, mail A, www TXT beside the template's NS and MX. */
  async function zoneWithRecords(name: string) {
    await s.zoneNamed(name);
    const reply = await s.call('POST', z(name), {
      json: {
        records: [
          { host: 'www', type: 'A', ttl: 300, data: '192.0.2.1' },
          { host: 'mail', type: 'A', ttl: 300, data: '192.0.2.2' },
          { host: 'www', type: 'TXT', ttl: 300, data: 'hello world' },
        ],
      },
    });
    expect(reply.text).toBe('{"message":"3 records added","records_added":3}\n');
  }

  it('narrows by the URL: the zone, one host, one RRset', async () => {
    await zoneWithRecords('url.example');
    expect(await s.records('', 'url.example')).toHaveLength(6);
    expect((await s.records('/www', 'url.example')).map((r) => r.type)).toEqual(['A', 'TXT']);
    expect(await s.records('/www/TXT', 'url.example')).toEqual([
      { data: 'hello world', host: 'www', ttl: 300, type: 'TXT' },
    ]);
    expect(await s.records('/@/MX', 'url.example')).toEqual([
      {
        _template: true,
        data: 'mx.bestiary.example.',
        host: '@',
        mx_priority: 10,
        ttl: 3600,
        type: 'MX',
      },
    ]);
  });

  it('ANDs host, type and data filters with the URL, and refuses a contradiction', async () => {
    await zoneWithRecords('filters.example');
    expect((await s.records('?type=A', 'filters.example')).map((r) => r.host)).toEqual([
      'www',
      'mail',
    ]);
    expect(await s.records('?type=a&host=mail', 'filters.example')).toHaveLength(1);
    expect(await s.records('?data=hello%20world', 'filters.example')).toHaveLength(1);
    expect(await s.records('?data=hello', 'filters.example')).toEqual([]);
    // lexicon repeats host and type in the query; agreeing values are fine.
    expect(
      await s.records('/www/TXT?type=TXT&host=www&data=hello+world', 'filters.example'),
    ).toHaveLength(1);
    const clash = await s.call('GET', z('filters.example', '/www/A?host=mail'));
    expect(clash.status).toBe(400);
    expect(parse(clash).errors).toEqual([
      'The host in the query (mail) contradicts the one in the path (www)',
    ]);
  });

  it('replaces the union of select= sets with one PUT (libdns), and nothing outside them', async () => {
    await zoneWithRecords('select.example');
    const path = z('select.example', '?select=host%3Dwww%26type%3DA&select=host%3D%40%26type%3DMX');
    expect(
      await s.records(
        '?select=host%3Dwww%26type%3DA&select=host%3D%40%26type%3DMX',
        'select.example',
      ),
    ).toHaveLength(2);
    const outside = await s.call('PUT', path, {
      json: { records: [{ host: 'ftp', type: 'A', ttl: 300, data: '192.0.2.9' }] },
    });
    expect(outside.status).toBe(400);
    expect(parse(outside).errors).toEqual([
      "Record 'ftp 300 A 192.0.2.9' is outside the selection of this request",
    ]);
    const put = await s.call('PUT', path, {
      json: {
        records: [
          { host: 'www', type: 'A', ttl: 300, data: '192.0.2.9' },
          { host: '@', type: 'MX', ttl: 300, mx_priority: 20, data: 'mx2.example.net.' },
        ],
      },
    });
    expect(put.text).toBe('{"message":"2 records added","records_added":2,"records_removed":2}\n');
    expect(
      strip(await s.records('', 'select.example')).map((r) => lineOf(r, ['host', 'type', 'data'])),
    ).toEqual([
      '@ NS ns1.bestiary.example.',
      '@ NS ns2.bestiary.example.',
      'mail A 192.0.2.2',
      'www TXT hello world',
      'www A 192.0.2.9',
      '@ MX mx2.example.net.',
    ]);
    const bad = await s.call('GET', z('select.example', '?select=name%3Dwww'));
    expect(parse(bad).errors).toEqual(["select: unknown filter 'name' (use host, type and data)"]);
  });

  it('leaves template records alone with exclude-template, given bare, =1, =true or empty', async () => {
    await zoneWithRecords('exclude.example');
    for (const flag of [
      'exclude-template',
      'exclude-template=1',
      'exclude-template=true',
      'exclude-template=',
    ]) {
      expect(await s.records(`?${flag}`, 'exclude.example')).toHaveLength(3);
    }
    expect((await s.call('GET', z('exclude.example', '?exclude-template=maybe'))).status).toBe(400);
    // libdns's DELETE: everything of the customer's, nothing of the template's.
    const del = await s.call('DELETE', z('exclude.example', '?exclude-template&exclude-generated'));
    expect(del.text).toBe('{"records_removed":3}\n');
    expect((await s.records('', 'exclude.example')).every((r) => r._template === true)).toBe(true);
  });

  it('refuses a whole-zone DELETE that would take the apex NS with it, changing nothing', async () => {
    await zoneWithRecords('allgone.example');
    const del = await s.call('DELETE', z('allgone.example'));
    expect(del.status).toBe(400);
    expect(parse(del).errors).toEqual(['A zone needs at least one NS record at its apex (@).']);
    expect(await s.records('', 'allgone.example')).toHaveLength(6);
  });

  it('lets records on /{host}/{type} omit host and type, and refuses records outside the URL', async () => {
    await zoneWithRecords('inherit.example');
    // lexicon's update: stray top-level host/type, the record only data and ttl.
    const update = await s.call('PUT', z('inherit.example', '/www/TXT?type=TXT&host=www'), {
      json: { records: [{ data: 'new text', ttl: 600 }], type: 'TXT', host: 'www' },
    });
    expect(update.text).toBe(
      '{"message":"1 records added","records_added":1,"records_removed":1}\n',
    );
    expect(await s.records('/www/TXT', 'inherit.example')).toEqual([
      { data: 'new text', host: 'www', ttl: 600, type: 'TXT' },
    ]);
    const elsewhere = await s.call('POST', z('inherit.example', '/www/TXT'), {
      json: { records: [{ host: 'ftp', data: 'x' }] },
    });
    expect(parse(elsewhere).errors).toEqual([
      'Record \'ftp 3600 TXT "x"\' is outside the selection of this request',
    ]);
    const otherType = await s.call('POST', z('inherit.example', '/www/TXT'), {
      json: { records: [{ type: 'A', data: '192.0.2.7' }] },
    });
    expect(otherType.status).toBe(400);
  });

  it('treats an empty records list on PUT as deleting the selection', async () => {
    await zoneWithRecords('empty.example');
    const put = await s.call('PUT', z('empty.example', '/www'), { json: { records: [] } });
    expect(put.text).toBe('{"message":"0 records added","records_added":0,"records_removed":2}\n');
    expect(await s.records('/www', 'empty.example')).toEqual([]);
    const missing = await s.call('PUT', z('empty.example', '/www'), { json: { record: [] } });
    expect(parse(missing).errors).toEqual([
      'The body needs a \'records\' list: {"records": [{…}]}',
    ]);
  });
});

describe('zone files as text/dns (apis.md §3.6)', () => {
  let s: DnsApiSetup;
  const z = (zone: string, path = '') => `/dns/v2/zones/${zone}/records${path}`;
  beforeAll(async () => {
    s = await dnsApiSetup({ config: { dns: { template } } });
  });
  afterAll(() => s.t.close());

  it('exports the reference layout when Accept or Content-Type names text/dns, JSON otherwise', async () => {
    await s.zoneNamed('text.example');
    const want =
      '@                      86400 NS    ns1.bestiary.example.\n' +
      '@                      86400 NS    ns2.bestiary.example.\n' +
      '@                      3600 MX    10 mx.bestiary.example.\n';
    const asks: Record<string, string>[] = [{ accept: 'text/dns' }, { 'content-type': 'text/dns' }];
    for (const headers of asks) {
      const reply = await s.call('GET', z('text.example'), { headers });
      expect([reply.status, reply.headers.get('content-type'), reply.text]).toEqual([
        200,
        'text/dns; charset=utf-8',
        want,
      ]);
    }
    const json = await s.call('GET', z('text.example'), { headers: { accept: '*/*' } });
    expect(json.headers.get('content-type')).toBe('application/json');
  });

  it('round-trips every record type through export and a whole-zone text/dns PUT', async () => {
    await s.zoneNamed('round.example');
    const records = [
      { host: 'www', type: 'A', ttl: 300, data: '192.0.2.1' },
      { host: 'www', type: 'AAAA', ttl: 300, data: '2001:db8::1' },
      { host: 'ftp', type: 'CNAME', ttl: 300, data: 'www.round.example.' },
      { host: '@', type: 'MX', ttl: 300, mx_priority: 20, data: 'mx2.example.net.' },
      {
        host: '_sip._tcp',
        type: 'SRV',
        ttl: 300,
        srv_priority: 1,
        srv_weight: 2,
        srv_port: 5060,
        data: 'sip.example.net.',
      },
      { host: '@', type: 'CAA', ttl: 300, caa_flags: 0, caa_tag: 'issue', data: 'letsencrypt.org' },
      {
        host: '@',
        type: 'CAA',
        ttl: 300,
        caa_flags: 0,
        caa_tag: 'iodef',
        data: 'mailto:security@round.example',
      },
      { host: 'txt', type: 'TXT', ttl: 300, data: 'v=spf1 include:example.net ~all' },
      { host: 'long', type: 'TXT', ttl: 300, data: 'k'.repeat(400) },
      {
        host: 'ssh',
        type: 'SSHFP',
        ttl: 300,
        sshfp_algorithm: 4,
        sshfp_type: 2,
        data: 'ab'.repeat(32),
      },
      {
        host: '_443._tcp.www',
        type: 'TLSA',
        ttl: 300,
        tlsa_usage: 3,
        tlsa_selector: 1,
        tlsa_matching: 1,
        data: 'cd'.repeat(32),
      },
      { host: 'sub', type: 'NS', ttl: 300, data: 'ns.example.net.' },
    ];
    expect((await s.call('POST', z('round.example'), { json: { records } })).status).toBe(200);
    const before = await s.records('', 'round.example');
    const text = (await s.call('GET', z('round.example'), { headers: { accept: 'text/dns' } }))
      .text;
    const put = await s.call('PUT', z('round.example'), { text });
    expect(parse(put)).toEqual({
      message: `${before.length} records added`,
      records_added: before.length,
      records_removed: before.length,
    });
    // The same records; the template's lose their flag, since the customer now wrote them.
    expect(strip(await s.records('', 'round.example')).sort(byText)).toEqual(
      strip(before).sort(byText),
    );
  });

  it("takes dnscontrol's whole-zone PUT: FQDN owners, IN, tabs; records left out disappear", async () => {
    await s.zoneNamed('m0vfc.example');
    await s.call('POST', z('m0vfc.example', '/gone/A'), { form: { data: '192.0.2.50' } });
    const body = [
      'testignore.m0vfc.example.\t300\tIN\tA\t1.1.1.1',
      'm0vfc.example.\t300\tIN\tNS\tns1.bestiary.example.',
      'm0vfc.example.\t300\tIN\tNS\tns2.bestiary.example.',
      'm0vfc.example.\t300\tIN\tTXT\t"v=spf1 -all"',
      '',
    ].join('\n');
    const put = await s.call('PUT', z('m0vfc.example'), { text: body });
    expect(put.status).toBe(200);
    expect((await s.records('', 'm0vfc.example')).map((r) => lineOf(r))).toEqual([
      'testignore 300 A 1.1.1.1',
      '@ 300 NS ns1.bestiary.example.',
      '@ 300 NS ns2.bestiary.example.',
      '@ 300 TXT v=spf1 -all',
    ]);
  });

  it("takes put-dns's single TTL-less line, $ORIGIN and $TTL, and refuses names outside the zone", async () => {
    await s.zoneNamed('putdns.example');
    const line = await s.call('POST', z('putdns.example', '/host/TXT'), {
      text: 'host TXT "value"\n',
    });
    expect(line.text).toBe('{"message":"1 records added","records_added":1}\n');
    expect(await s.records('/host', 'putdns.example')).toEqual([
      { data: 'value', host: 'host', ttl: 3600, type: 'TXT' },
    ]);
    const directives = await s.call('POST', z('putdns.example'), {
      text: '$ORIGIN sub.putdns.example.\n$TTL 120\nwww A 192.0.2.3\n',
    });
    expect(directives.status).toBe(200);
    expect(await s.records('/www.sub', 'putdns.example')).toEqual([
      { data: '192.0.2.3', host: 'www.sub', ttl: 120, type: 'A' },
    ]);
    const outside = await s.call('POST', z('putdns.example'), {
      text: 'www.example.net. 300 A 192.0.2.4\n',
    });
    expect(outside.status).toBe(400);
    expect(parse(outside).errors).toEqual([
      'Zone file error: line 1: www.example.net. is outside the zone putdns.example.',
    ]);
  });
});

const byText = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;
