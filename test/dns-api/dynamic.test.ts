// Dynamic DNS (apis.md §3.9) over real sockets on 127.0.0.1 and ::1: the source address of the
// request becomes the host's A (IPv4) or AAAA (IPv6); credentials in any of the four ways the
// clients send them. Also a GET with a body over a real socket, as lexicon sends it.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { freePort, startTestServer } from '../support/server.js';
import { buildAccount, buildApiKey } from '../fixtures/builders.js';
import { basic } from '../support/clients.js';

interface Key {
  id: string;
  secret: string;
}

describe('dynamic DNS over real sockets', () => {
  let server: TestServer;
  let v4: string;
  let v6: string;
  let key: Key;
  const auth = (k: Key) => ({ authorization: basic(k.id, k.secret) });
  const call = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, init);
    return { status: res.status, text: await res.text() };
  };
  const records = async (zone: string, host: string) =>
    (
      (await (
        await fetch(`${v4}/dns/v2/zones/${zone}/records/${host}`, { headers: auth(key) })
      ).json()) as { records: { type: string; data: string; ttl: number }[] }
    ).records.map((r) => `${r.type} ${r.data} ${r.ttl}`);

  beforeAll(async () => {
    const port = await freePort();
    v4 = `http://127.0.0.1:${port}`;
    v6 = `http://[::1]:${port}`;
    server = await startTestServer({
      config: { api: { listen: [`127.0.0.1:${port}`, `[::1]:${port}`], publicUrl: v4 } },
    });
    const account = await buildAccount(server.app);
    const actor = { accountId: account.id, ip: null, channel: 'panel' as const };
    await server.app.dns.zones.create(account.id, 'example.com', 'dns-only', actor);
    await server.app.dns.zones.create(account.id, 'sub.example.com', 'dns-only', actor);
    const made = await buildApiKey(server.app, account, ['dns:rw']);
    key = { id: made.key.id, secret: made.secret };
  });
  afterAll(() => server?.close());

  it('sets A from an IPv4 client and AAAA from an IPv6 client', async () => {
    const first = await call(`${v4}/dns/v2/dynamic/home.example.com`, {
      method: 'POST',
      headers: auth(key),
    });
    expect(first).toEqual({
      status: 200,
      text: '{"message":"1 records added","records_added":1,"records_removed":0}\n',
    });
    const six = await call(`${v6}/dns/v2/dynamic/home.example.com`, {
      method: 'POST',
      headers: auth(key),
    });
    expect(six.status).toBe(200);
    expect(await records('example.com', 'home')).toEqual(['A 127.0.0.1 300', 'AAAA ::1 300']);
    // Again from the same address: the A RRset is replaced, not added to.
    const again = await call(`${v4}/dns/v2/dynamic/home.example.com`, {
      method: 'POST',
      headers: auth(key),
    });
    expect(again.text).toBe(
      '{"message":"1 records added","records_added":1,"records_removed":1}\n',
    );
    expect(await records('example.com', 'home')).toEqual(['AAAA ::1 300', 'A 127.0.0.1 300']);
  });

  it('takes credentials as Basic, Bearer, form fields or query parameters, on GET, POST and PUT', async () => {
    const query = new URLSearchParams({ username: key.id, password: key.secret });
    expect((await call(`${v4}/dns/v2/dynamic/q.example.com?${query.toString()}`)).status).toBe(200);
    const form = await call(`${v4}/dns/v2/dynamic/f.example.com`, {
      method: 'POST',
      body: query,
    });
    expect(form.status).toBe(200);
    const login = await fetch(`${v4}/login`, {
      method: 'POST',
      headers: auth(key),
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const bearer = await call(`${v4}/dns/v2/dynamic/b.example.com`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bearer.status).toBe(200);
    for (const host of ['q', 'f', 'b'])
      expect(await records('example.com', host)).toEqual(['A 127.0.0.1 300']);
  });

  it("finds the zone by the longest suffix among the key's zones, and answers the zone alias", async () => {
    await call(`${v4}/dns/v2/dynamic/pi.sub.example.com`, { method: 'POST', headers: auth(key) });
    expect(await records('sub.example.com', 'pi')).toEqual(['A 127.0.0.1 300']);
    expect(await records('example.com', 'pi.sub')).toEqual([]);
    const alias = await call(`${v6}/dns/v2/zones/example.com/dynamic/router`, {
      method: 'PUT',
      headers: auth(key),
    });
    expect(alias.status).toBe(200);
    expect(await records('example.com', 'router')).toEqual(['AAAA ::1 300']);
  });

  it('refuses with {"error": …}: bad credentials 401, another host 403, a name in no zone 404', async () => {
    const wrong = await call(`${v4}/dns/v2/dynamic/home.example.com`, {
      method: 'POST',
      headers: auth({ id: key.id, secret: 'wrong' }),
    });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toEqual({ error: 'Invalid credentials' });
    expect((await call(`${v4}/dns/v2/dynamic/home.example.com`, { method: 'POST' })).status).toBe(
      401,
    );
    const account = await buildAccount(server.app);
    await server.app.dns.zones.create(account.id, 'narrow.example', 'dns-only', {
      accountId: account.id,
      ip: null,
      channel: 'panel',
    });
    const made = await buildApiKey(server.app, account, [
      'dns:rw:zones=narrow.example:hosts=home:types=A,AAAA',
    ]);
    const narrow = { id: made.key.id, secret: made.secret };
    expect(
      (
        await call(`${v4}/dns/v2/dynamic/home.narrow.example`, {
          method: 'POST',
          headers: auth(narrow),
        })
      ).status,
    ).toBe(200);
    const other = await call(`${v4}/dns/v2/dynamic/www.narrow.example`, {
      method: 'POST',
      headers: auth(narrow),
    });
    expect(other.status).toBe(403);
    expect(JSON.parse(other.text)).toEqual({
      error: 'Access denied: this key may not change A records at www in narrow.example',
    });
    const nowhere = await call(`${v4}/dns/v2/dynamic/home.example.com`, {
      method: 'POST',
      headers: auth(narrow),
    });
    expect([nowhere.status, JSON.parse(nowhere.text)]).toEqual([404, { error: 'Zone not found' }]);
  });

  it('accepts a GET with a JSON body, as lexicon sends one on every request', async () => {
    const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${v4}/dns/v2/zones/example.com/records/home/A`,
        {
          method: 'GET',
          headers: { ...auth(key), 'content-type': 'application/json', 'content-length': '2' },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(reply).toEqual({
      status: 200,
      text: '{"records":[{"data":"127.0.0.1","host":"home","ttl":300,"type":"A"}]}\n',
    });
  });
});
