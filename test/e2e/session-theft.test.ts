// A stolen cookie or token is worth nothing from another address: sessions and bearer tokens
// are bound to the client's network (IPv4 exactly, IPv6 by /64), over real sockets.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildApiKey, TEST_PASSWORD } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import { ApiClient, PanelClient } from '../support/clients.js';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';

/** An HTTP request sent from a chosen local source address. */
function requestFrom(
  source: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; body: string; setCookie: string[] }>((resolve, reject) => {
    const req = http.request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, localAddress: source },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, body, setCookie: res.headers['set-cookie'] ?? [] }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('over real sockets', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ host: '127.0.0.1' });
  });
  afterAll(() => s.close());

  it('refuses a session cookie obtained from 127.0.0.1 when it is replayed from 127.0.0.2', async () => {
    const account = await buildAccount(s.app);
    const page = await requestFrom('127.0.0.1', `${s.panelUrl}/login`);
    const anon = page.setCookie.map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const login = await requestFrom('127.0.0.1', `${s.panelUrl}/login`, {
      method: 'POST',
      headers: {
        cookie: anon,
        origin: s.panelUrl,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        _csrf: csrf,
        email: account.email,
        password: TEST_PASSWORD,
      }).toString(),
    });
    expect(login.status).toBe(303);
    const cookie = login.setCookie.find((c) => c.startsWith('bestiary_session='))!.split(';')[0]!;

    const mine = await requestFrom('127.0.0.1', `${s.panelUrl}/account`, { headers: { cookie } });
    expect(mine.status).toBe(200);
    expect(mine.body).toContain(account.email);

    const stolen = await requestFrom('127.0.0.2', `${s.panelUrl}/account`, { headers: { cookie } });
    expect(stolen.status).toBe(303);
    expect(stolen.body).not.toContain(account.email);

    // The rightful owner is still logged in: the replay did not end their session.
    expect(
      (await requestFrom('127.0.0.1', `${s.panelUrl}/account`, { headers: { cookie } })).status,
    ).toBe(200);
  });

  it('refuses a bearer token obtained from 127.0.0.1 when it is replayed from 127.0.0.2', async () => {
    const { key, secret } = await buildApiKey(s.app, await buildAccount(s.app));
    const login = await requestFrom('127.0.0.1', `${s.apiUrl}/login`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${key.id}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const token = (JSON.parse(login.body) as { access_token: string }).access_token;
    const headers = { authorization: `Bearer ${token}` };
    expect((await requestFrom('127.0.0.1', `${s.apiUrl}/beta/domains`, { headers })).status).toBe(
      200,
    );
    const stolen = await requestFrom('127.0.0.2', `${s.apiUrl}/beta/domains`, { headers });
    expect(stolen.status).toBe(401);
    expect(stolen.body).toContain('another address');
  });
});

describe('IPv6 binding by /64', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('keeps a session within its /64 and refuses it from the next /64', async () => {
    const account = await buildAccount(t.app);
    const client = new PanelClient(t.app.panel, '2001:db8:1:2::10');
    await client.post(
      '/login',
      { email: account.email, password: TEST_PASSWORD },
      { csrfFrom: '/login' },
    );
    expect((await client.get('/account')).status).toBe(200);
    client.ip = '2001:db8:1:2:ffff:ffff:ffff:ffff';
    expect((await client.get('/account')).status).toBe(200);
    client.ip = '2001:db8:1:3::10';
    expect((await client.get('/account')).status).toBe(303);
  });

  it('does the same for bearer tokens', async () => {
    const { key, secret } = await buildApiKey(t.app, await buildAccount(t.app));
    const api = new ApiClient(t.app.api, '2001:db8:1:2::10');
    const token = await api.token(key.id, secret);
    const headers = { authorization: `Bearer ${token}` };
    api.ip = '2001:db8:1:2::99';
    expect((await api.request('GET', '/beta/domains', { headers })).status).toBe(200);
    api.ip = '2001:db8:9:2::10';
    expect((await api.request('GET', '/beta/domains', { headers })).status).toBe(401);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const account = await buildAccount(t.app);
    const client = new PanelClient(t.app.panel, '127.0.0.1');
    await client.post(
      '/login',
      { email: account.email, password: TEST_PASSWORD },
      { csrfFrom: '/login' },
    );
    const cookie = `bestiary_session=${client.cookies.get('bestiary_session')}`;
    const spoofed = await t.app.panel.request(
      'http://localhost:8080/account',
      { headers: { cookie, host: 'localhost:8080', 'x-forwarded-for': '127.0.0.1' } },
      { incoming: { socket: { remoteAddress: '203.0.113.5' } } },
    );
    expect(spoofed.status).toBe(303);
  });
});
