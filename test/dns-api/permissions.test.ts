// Who may do what through the DNS API (apis.md §3.8): key scopes narrowed to zones, hosts,
// types and read-only; tenancy (another account's zone is a 404 exactly like a missing one);
// and bad input, which gets a clear `errors` list and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullAccess } from '../../src/dns/index.js';
import { buildAccount, buildApiKey } from '../fixtures/builders.js';
import { basic } from '../support/clients.js';
import type { DnsApiSetup } from './support.js';
import { callerFor, dnsApiSetup, parse } from './support.js';

const records = '/dns/v2/zones/example.com/records';

describe('DNS API permissions, tenancy and bad input', () => {
  let s: DnsApiSetup;
  /** The zone's records and serial, to prove that a refused request changed nothing. */
  const state = async (zone = 'example.com') => ({
    records: await s.records('', zone),
    serial: (
      await s.t.app.dns.zones.find(
        fullAccess(s.account.id, { accountId: s.account.id, ip: null, channel: 'panel' }),
        zone,
      )
    ).serial,
  });

  beforeAll(async () => {
    s = await dnsApiSetup();
    await s.call('POST', `${records}/www/A`, { form: { data: '192.0.2.1', ttl: '300' } });
  });
  afterAll(() => s.t.close());

  it('lets a TXT-only _acme-challenge key add and delete its TXT, and nothing else (403)', async () => {
    const key = await s.keyed(['dns:rw:zones=example.com:hosts=_acme-challenge:types=TXT']);
    expect((await key('GET', '/dns/v2/zones')).text).toBe('{"zones":["example.com"]}\n');
    const add = await key('POST', `${records}/_acme-challenge/TXT`, {
      json: { records: [{ host: '_acme-challenge', ttl: 120, type: 'TXT', data: 'tok' }] },
    });
    expect(add.text).toBe('{"message":"1 records added","records_added":1}\n');
    expect((await key('GET', `${records}/_acme-challenge/TXT`)).status).toBe(200);
    const before = await state();
    const refused: [string, string, Parameters<typeof key>[2]][] = [
      // lexicon #972: the whole-zone URL is refused even for a TXT at _acme-challenge.
      [
        'POST',
        records,
        { json: { records: [{ host: '_acme-challenge', type: 'TXT', data: 'x' }] } },
      ],
      ['POST', `${records}/www/TXT`, { form: { data: 'x' } }],
      ['POST', `${records}/_acme-challenge/A`, { form: { data: '192.0.2.9' } }],
      ['PUT', records, { text: '_acme-challenge 60 TXT "x"\n' }],
      ['DELETE', `${records}/_acme-challenge`, {}],
      ['DELETE', `${records}/www/A`, {}],
      ['GET', records, {}],
      ['GET', `${records}/www/A`, {}],
    ];
    for (const [method, path, options] of refused) {
      const reply = await key(method, path, options);
      expect([method, path, reply.status]).toEqual([method, path, 403]);
      expect(parse(reply).error).toMatch(/^Access denied: this key may not /);
    }
    expect(await state()).toEqual(before);
    const del = await key('DELETE', `${records}/_acme-challenge/TXT?data=tok`);
    expect(del.text).toBe('{"records_removed":1}\n');
  });

  it('lets a read-only key read but not write', async () => {
    const key = await s.keyed(['dns:ro']);
    expect((await key('GET', records)).status).toBe(200);
    const before = await state();
    for (const method of ['POST', 'PUT']) {
      const reply = await key(method, `${records}/www/A`, { form: { data: '192.0.2.2' } });
      expect(reply.status).toBe(403);
    }
    expect((await key('DELETE', `${records}/www/A`)).status).toBe(403);
    expect((await key('DELETE', '/dns/v2/zones/example.com')).status).toBe(404);
    expect(await state()).toEqual(before);
  });

  it('refuses a key without any DNS grant, and missing or wrong credentials', async () => {
    const pi = await s.keyed(['pi:rw']);
    const reply = await pi('GET', '/dns/v2/zones');
    expect([reply.status, reply.text]).toEqual([403, '{\n  "error": "Not authorised"\n}']);
    const none = await s.call('GET', records, { auth: null });
    expect([none.status, parse(none)]).toEqual([401, { error: 'Authentication required' }]);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="api"');
    expect((await s.call('GET', records, { auth: 'Bearer not-a-token' })).status).toBe(401);
  });

  it('answers a zone the key has no permission on exactly like a missing one (404)', async () => {
    await s.zoneNamed('private.example');
    const key = await s.keyed(['dns:rw:zones=example.com']);
    expect((await key('GET', '/dns/v2/zones')).text).toBe('{"zones":["example.com"]}\n');
    const hidden = await key('GET', '/dns/v2/zones/private.example/records');
    const missing = await key('GET', '/dns/v2/zones/missing.example/records');
    expect([hidden.status, hidden.text]).toEqual([404, '{\n  "error": "Zone not found"\n}']);
    expect(hidden.text).toBe(missing.text);
  });

  it("hides another account's zone as 404, identical to a missing one, and changes nothing", async () => {
    const other = await buildAccount(s.t.app);
    await s.t.app.dns.zones.create(other.id, 'theirs.example', 'dns-only', {
      accountId: other.id,
      ip: null,
      channel: 'panel',
    });
    const theirs = await buildApiKey(s.t.app, other, ['dns:rw']);
    const them = callerFor(s.t, basic(theirs.key.id, theirs.secret));
    await them('POST', '/dns/v2/zones/theirs.example/records/www/A', {
      form: { data: '198.51.100.1' },
    });
    const theirRecords = async () =>
      (await them('GET', '/dns/v2/zones/theirs.example/records')).text;
    const before = await theirRecords();
    // Our key even names their zone in its scope: it is still not ours.
    const nosy = await s.keyed(['dns:rw:zones=example.com,theirs.example']);
    const requests: [string, string, Parameters<typeof nosy>[2]][] = [
      ['GET', '/records', {}],
      ['GET', '/records/www/A?verify', {}],
      ['GET', '/records', { headers: { accept: 'text/dns' } }],
      ['POST', '/records/www/A', { form: { data: '203.0.113.66' } }],
      ['PUT', '/records', { text: '@ 300 NS ns.evil.example.\n' }],
      ['DELETE', '/records/www/A', {}],
      ['DELETE', '', {}],
      ['GET', '/caa?name=www', {}],
      ['POST', '/dynamic/www', {}],
    ];
    for (const [method, path, options] of requests) {
      const theirsReply = await nosy(method, `/dns/v2/zones/theirs.example${path}`, options);
      const missingReply = await nosy(method, `/dns/v2/zones/missing.example${path}`, options);
      expect([method, path, theirsReply.status, theirsReply.text]).toEqual([
        method,
        path,
        404,
        missingReply.text,
      ]);
    }
    expect((await nosy('GET', '/dns/v2/zones')).text).toBe('{"zones":["example.com"]}\n');
    expect(await theirRecords()).toBe(before);
  });

  it('refuses bad input with a clear errors list, and changes nothing', async () => {
    const before = await state();
    const cases: [Parameters<typeof s.call>[2] & { path?: string }, string][] = [
      [{ raw: '{"records": [', type: 'application/json' }, 'The request body is not valid JSON'],
      [
        {
          raw: 'data=%FF%FE',
          type: 'application/x-www-form-urlencoded',
        },
        'The request has malformed percent-encoding or invalid UTF-8.',
      ],
      [
        { raw: Uint8Array.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), type: 'application/json' },
        'The request body is not valid UTF-8.',
      ],
      [
        { json: { records: [{ host: 'x', type: 'FOO', data: 'bar' }] } },
        "Unsupported record type 'FOO'",
      ],
      [
        { json: { records: [{ host: '@', type: 'CNAME', data: 'elsewhere.example.net.' }] } },
        'CNAME',
      ],
      [
        { json: { records: [{ host: 'www', type: 'A', ttl: 300, data: '192.0.2.1' }] } },
        "Duplicate record 'www 300 A 192.0.2.1'",
      ],
      [{ json: { records: [{ host: 'x', type: 'A', data: '999.1.1.1' }] } }, 'A:'],
      [
        { json: { records: [{ host: 'x', type: 'A', ttl: 'soon', data: '192.0.2.1' }] } },
        "'ttl' must be a whole number of seconds",
      ],
      [
        { json: { records: [{ host: 'mx', type: 'MX', mx_priority: 10, data: '192.0.2.1' }] } },
        'must be a host name, not an IP address',
      ],
      [{ json: { records: 'none' } }, "The body needs a 'records' list"],
      [
        { raw: '<records/>', type: 'application/xml' },
        "Unsupported Content-Type 'application/xml'",
      ],
      [{ text: 'www 300 A not-an-address\n' }, 'Zone file error: line 1:'],
    ];
    for (const [options, message] of cases) {
      const reply = await s.call('POST', records, options);
      expect([reply.status, reply.text]).toEqual([400, expect.stringContaining(message)]);
      expect(reply.text).toMatch(/^\{\n {2}"errors": \[\n/);
    }
    // Several bad records: every problem is listed, each with its record's number.
    const many = await s.call('POST', records, {
      json: {
        records: [
          { host: 'a', type: 'A', data: 'x' },
          { host: 'b', type: 'TXT', data: 'ok' },
          { host: 'c', type: 'NOPE', data: 'y' },
        ],
      },
    });
    const errors = parse(many).errors as string[];
    expect(errors[0]).toMatch(/^Record 1: A: /);
    expect(errors.some((e) => e.startsWith("Record 3: Unsupported record type 'NOPE'"))).toBe(true);
    expect(await state()).toEqual(before);
  });
});
