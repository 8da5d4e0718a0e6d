// The compatibility checklist of apis.md §3.7, item by item, with the exact bytes real clients
// check: lego wants records_added == 1, acme.sh greps "1 records added", lexicon reads
// errors[0] for "Duplicate record", dnscontrol and libdns build URLs their own way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullAccess } from '../../src/dns/index.js';
import type { DnsApiSetup } from './support.js';
import { dnsApiSetup } from './support.js';

const acme = '/dns/v2/zones/example.com/records/_acme-challenge/TXT';

describe('DNS API v2 quirks (apis.md §3.7)', () => {
  let s: DnsApiSetup;
  beforeAll(async () => {
    s = await dnsApiSetup();
  });
  afterAll(() => s.t.close());

  it('1-2. answers a POST with "N records added", plural even for one, and no records_removed', async () => {
    const one = await s.call('POST', acme, {
      json: { records: [{ host: '_acme-challenge', ttl: 120, type: 'TXT', data: 'one' }] },
    });
    expect(one.status).toBe(200);
    expect(one.headers.get('content-type')).toBe('application/json');
    expect(one.text).toBe('{"message":"1 records added","records_added":1}\n');
    const two = await s.call('POST', acme, {
      json: { records: [{ data: 'two' }, { data: 'three' }] },
    });
    expect(two.text).toBe('{"message":"2 records added","records_added":2}\n');
  });

  it('2. answers a PUT with both counters, records_removed even when it is 0', async () => {
    const first = await s.call('PUT', '/dns/v2/zones/example.com/records/put/A', {
      json: { records: [{ ttl: 300, data: '192.0.2.1' }] },
    });
    expect(first.text).toBe(
      '{"message":"1 records added","records_added":1,"records_removed":0}\n',
    );
    const again = await s.call('PUT', '/dns/v2/zones/example.com/records/put/A', {
      json: { records: [{ ttl: 300, data: '192.0.2.2' }] },
    });
    expect(again.text).toBe(
      '{"message":"1 records added","records_added":1,"records_removed":1}\n',
    );
    expect(await s.records('/put/A')).toEqual([
      { data: '192.0.2.2', host: 'put', ttl: 300, type: 'A' },
    ]);
  });

  it('1. answers a DELETE with records_removed only, and 200 when nothing matched', async () => {
    await s.call('POST', '/dns/v2/zones/example.com/records/del/TXT', { form: { data: 'x' } });
    const removed = await s.call('DELETE', '/dns/v2/zones/example.com/records/del/TXT?data=x');
    expect(removed.status).toBe(200);
    expect(removed.text).toBe('{"records_removed":1}\n');
    const none = await s.call('DELETE', '/dns/v2/zones/example.com/records/del/TXT?data=x');
    expect([none.status, none.text]).toEqual([200, '{"records_removed":0}\n']);
  });

  it('3. refuses a duplicate with a pretty-printed 400 whose errors[0] starts "Duplicate record \'"', async () => {
    const path = '/dns/v2/zones/example.com/records/_acme-challenge.noop/TXT';
    await s.call('POST', path, { form: { data: 'challengetoken' } });
    const serial = (await s.t.app.dns.zones.find(fullAccessOf(s), 'example.com')).serial;
    const dup = await s.call('POST', path, { form: { data: 'challengetoken' } });
    expect(dup.status).toBe(400);
    expect(dup.text).toBe(
      '{\n  "errors": [\n    "Duplicate record \'_acme-challenge.noop 3600 TXT \\"challengetoken\\"\'"\n  ]\n}',
    );
    // The same record twice in one body is a duplicate too, and nothing of the body is added.
    const twice = await s.call('POST', '/dns/v2/zones/example.com/records/twice/TXT', {
      json: { records: [{ data: 'a' }, { data: 'b' }, { data: 'a' }] },
    });
    expect(twice.status).toBe(400);
    expect((JSON.parse(twice.text) as { errors: string[] }).errors[0]).toMatch(
      /^Duplicate record '/,
    );
    expect(await s.records('/twice')).toEqual([]);
    expect((await s.t.app.dns.zones.find(fullAccessOf(s), 'example.com')).serial).toBe(serial);
  });

  it('4. returns {"records":[]} for filters that match nothing, never 404', async () => {
    for (const path of [
      '/records?type=TXT&host=_acme-challenge.nothing',
      '/records?type=TXT&host=x&data=challengetoken',
      '/records/nowhere',
      '/records/nowhere/MX',
    ]) {
      const reply = await s.call('GET', `/dns/v2/zones/example.com${path}`);
      expect([reply.status, reply.text]).toEqual([200, '{"records":[]}\n']);
    }
  });

  it('5. accepts bodies on GET and DELETE, and ignores unknown top-level JSON keys (lexicon)', async () => {
    // lexicon sends `{}` as application/json on every request (a GET with a body needs a real
    // socket: sockets.test.ts), and stray host/type at the top level.
    const post = await s.call('POST', '/dns/v2/zones/example.com/records', {
      json: { type: 'TXT', host: 'ignored', records: [{ host: 'lex', type: 'TXT', data: 'v' }] },
    });
    expect(post.text).toBe('{"message":"1 records added","records_added":1}\n');
    expect(await s.records('/lex')).toEqual([{ data: 'v', host: 'lex', ttl: 3600, type: 'TXT' }]);
    const del = await s.call(
      'DELETE',
      '/dns/v2/zones/example.com/records/lex/TXT?type=TXT&host=lex&data=v',
      {
        json: {},
      },
    );
    expect(del.text).toBe('{"records_removed":1}\n');
  });

  it('6. takes a form-encoded single record on POST and PUT (acme.sh, put-dns)', async () => {
    // acme.sh: data= only, to /records/{host}/TXT; the zone's default TTL applies.
    const acmeSh = await s.call(
      'POST',
      '/dns/v2/zones/example.com/records/_acme-challenge.sh/TXT',
      {
        form: { data: 'token-value' },
      },
    );
    expect(acmeSh.text).toContain('1 records added');
    // put-dns: an apex MX with host, type and mx_priority as fields, to /records.
    const mx = await s.call('POST', '/dns/v2/zones/example.com/records', {
      form: { host: '@', type: 'MX', mx_priority: '10', data: 'mx.example.net.' },
    });
    expect(mx.status).toBe(200);
    const put = await s.call('PUT', '/dns/v2/zones/example.com/records/_acme-challenge.sh/TXT', {
      form: { data: 'other', ttl: '60' },
    });
    expect(put.text).toBe('{"message":"1 records added","records_added":1,"records_removed":1}\n');
    expect(await s.records('/@/MX')).toEqual([
      { data: 'mx.example.net.', host: '@', mx_priority: 10, ttl: 3600, type: 'MX' },
    ]);
    expect(await s.records('/_acme-challenge.sh')).toEqual([
      { data: 'other', host: '_acme-challenge.sh', ttl: 60, type: 'TXT' },
    ]);
  });

  it('5-6. treats a DELETE form body as a filter: data= removes only that value (acme.sh)', async () => {
    const path = '/dns/v2/zones/example.com/records/formdel/TXT';
    await s.call('POST', path, { json: { records: [{ data: 'keep' }, { data: 'drop' }] } });
    const del = await s.call('DELETE', path, { form: { data: 'drop' } });
    expect(del.text).toBe('{"records_removed":1}\n');
    expect((await s.records('/formdel/TXT')).map((r) => r.data)).toEqual(['keep']);
  });

  it('7. answers ?verify with 409 per nameserver until our server serves the selection, then 200', async () => {
    const path = '/dns/v2/zones/example.com/records/_acme-challenge.verify/TXT';
    await s.call('POST', path, { form: { data: 'v1' } });
    const ok = await s.call('GET', `${path}?verify`);
    expect([ok.status, ok.text]).toEqual([
      200,
      '{"records":[{"data":"v1","host":"_acme-challenge.verify","ttl":3600,"type":"TXT"}]}\n',
    ]);
    // As if the change had not reached the server yet: it serves nothing for the zone.
    s.t.app.dns.server.removeZone('example.com.');
    const pending = await s.call('GET', `${path}?verify`);
    expect(pending.status).toBe(409);
    expect(pending.text).toBe(
      '{\n  "errors": [\n    "Received 0 record(s), expected 1 from ns1.bestiary.example.",\n    "Received 0 record(s), expected 1 from ns2.bestiary.example."\n  ]\n}',
    );
    // The next change republishes the zone, and the selection is served again.
    await s.call('POST', path, { form: { data: 'v2' } });
    for (const value of ['', '=1', '=true']) {
      expect((await s.call('GET', `${path}?verify${value}`)).status).toBe(200);
    }
    // A data filter verifies one record among the RRset's others.
    expect((await s.call('GET', `${path}?data=v2&verify`)).status).toBe(200);
    // After a delete the whole RRset is expected to be gone, and it is.
    await s.call('DELETE', path);
    expect((await s.call('GET', `${path}?verify`)).text).toBe('{"records":[]}\n');
  });

  it('8. takes dotted and underscored hosts, @ for the apex, and percent-escaped segments (libdns)', async () => {
    await s.call('POST', '/dns/v2/zones/example.com/records/_imap._tcp.sub/SRV', {
      json: {
        records: [
          { ttl: 300, srv_priority: 0, srv_weight: 5, srv_port: 993, data: 'mail.example.com.' },
        ],
      },
    });
    expect(await s.records('/_imap._tcp.sub/SRV')).toEqual([
      {
        data: 'mail.example.com.',
        host: '_imap._tcp.sub',
        srv_port: 993,
        srv_priority: 0,
        srv_weight: 5,
        ttl: 300,
        type: 'SRV',
      },
    ]);
    // Go's url.PathEscape, and curl users who escape everything.
    expect(await s.records('/%5Fimap%2E_tcp.sub/SRV')).toHaveLength(1);
    const apex = await s.call('POST', '/dns/v2/zones/example.com/records/%40/TXT', {
      form: { data: 'apex' },
    });
    expect(apex.status).toBe(200);
    expect(await s.records('/@/TXT')).toEqual([
      { data: 'apex', host: '@', ttl: 3600, type: 'TXT' },
    ]);
    expect((await s.call('DELETE', '/dns/v2/zones/example.com/records/@/TXT')).text).toBe(
      '{"records_removed":1}\n',
    );
  });

  it('9. accepts HTTP Basic credentials whose secret ends in a newline (acme.sh), and tokens', async () => {
    const [id, secret] = Buffer.from(s.call.authorization.slice(6), 'base64').toString().split(':');
    const withNewline = `Basic ${Buffer.from(`${id}:${secret}\n`).toString('base64')}`;
    const reply = await s.call('GET', '/dns/v2/zones', { auth: withNewline });
    expect([reply.status, reply.text]).toEqual([200, '{"zones":["example.com"]}\n']);
    const login = await s.call('POST', '/login', {
      form: { grant_type: 'client_credentials' },
      auth: withNewline,
    });
    const token = (JSON.parse(login.text) as { access_token: string }).access_token;
    const bearer = await s.call('GET', '/dns/v2/zones', { auth: `Bearer ${token}` });
    expect(bearer.text).toBe('{"zones":["example.com"]}\n');
    const wrong = await s.call('GET', '/dns/v2/zones', {
      auth: `Basic ${Buffer.from(`${id}:nope`).toString('base64')}`,
    });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toEqual({ error: 'Invalid credentials' });
  });

  it('10. names the zone without a trailing dot (and tolerates one, in any case)', async () => {
    for (const zone of ['example.com', 'Example.COM', 'example.com.']) {
      expect((await s.call('GET', `/dns/v2/zones/${zone}/records/@/NS`)).text).toBe(
        '{"records":[{"_template":true,"data":"ns1.bestiary.example.","host":"@","ttl":86400,"type":"NS"},{"_template":true,"data":"ns2.bestiary.example.","host":"@","ttl":86400,"type":"NS"}]}\n',
      );
    }
  });

  it('serves the same API under /beta/dns for clients from the beta (apis.md §0.1)', async () => {
    const beta = await s.call('GET', '/beta/dns/zones');
    expect([beta.status, beta.text]).toEqual([200, '{"zones":["example.com"]}\n']);
    expect((await s.call('GET', '/beta/dns/zones/example.com/records/@/NS')).status).toBe(200);
  });
});

const fullAccessOf = (s: DnsApiSetup) =>
  fullAccess(s.account.id, { accountId: s.account.id, ip: null, channel: 'panel' });
