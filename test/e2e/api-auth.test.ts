// POST /login and API authentication, as the reference clients use them (apis.md §1): HTTP Basic
// with the quirks of acme.sh and dnscontrol, compact JSON, 300 s tokens bound to the address.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAccount, buildApiKey } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import { ApiClient, basic } from '../support/clients.js';

let t: TestApp;
let api: ApiClient;
beforeEach(async () => {
  t = await buildTestApp();
  api = new ApiClient(t.app.api);
});
afterEach(() => t.close());

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('POST /login', () => {
  it('answers like the reference: compact sorted JSON, a trailing newline, lower-case bearer', async () => {
    const { key, secret } = await buildApiKey(t.app, await buildAccount(t.app));
    const reply = await api.request('POST', '/login', {
      headers: { ...form, authorization: basic(key.id, secret) },
      body: 'grant_type=client_credentials',
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.text).toMatch(
      /^\{"access_token":"[0-9a-z]+\.[0-9a-z]+","expires_in":300,"token_type":"bearer"\}\n$/,
    );
    expect(reply.headers.get('cache-control')).toBe('no-store');
  });

  it("tolerates acme.sh's trailing newline and misspelt Accepts header", async () => {
    const { key, secret } = await buildApiKey(t.app, await buildAccount(t.app));
    const encoded = Buffer.from(`${key.id}:${secret}\n`).toString('base64');
    const reply = await api.request('POST', '/login', {
      headers: { ...form, authorization: `Basic ${encoded}`, accepts: 'application/json' },
      body: 'grant_type=client_credentials',
    });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('"token_type":"bearer"');
  });

  it("ignores dnscontrol's scope parameter and answers JSON even to Accept: */*", async () => {
    const { key, secret } = await buildApiKey(t.app, await buildAccount(t.app));
    const reply = await api.request('POST', '/login', {
      headers: { ...form, authorization: basic(key.id, secret), accept: '*/*' },
      body: 'grant_type=client_credentials&scope=client_credentials',
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
  });

  it.each([
    [
      'a wrong secret',
      (id: string) => ({ authorization: basic(id, 'wrong') }),
      'grant_type=client_credentials',
      401,
      'invalid_client',
    ],
    [
      'an unknown key',
      () => ({ authorization: basic('aaaaaaaaaaaaaaaa', 'x') }),
      'grant_type=client_credentials',
      401,
      'invalid_client',
    ],
    ['no credentials', () => ({}), 'grant_type=client_credentials', 401, 'invalid_client'],
    [
      'no grant type',
      (id: string) => ({ authorization: basic(id, 'x') }),
      '',
      400,
      'invalid_request',
    ],
    [
      'another grant type',
      (id: string) => ({ authorization: basic(id, 'x') }),
      'grant_type=password',
      400,
      'unsupported_grant_type',
    ],
  ])('refuses %s with an OAuth2 error', async (_, headers, body, status, error) => {
    const { key } = await buildApiKey(t.app, await buildAccount(t.app));
    const reply = await api.request('POST', '/login', {
      headers: { ...form, ...headers(key.id) },
      body,
    });
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.text)).toMatchObject({ error });
  });

  it('refuses a revoked key and the tokens it had', async () => {
    const account = await buildAccount(t.app);
    const { key, secret } = await buildApiKey(t.app, account);
    const token = await api.token(key.id, secret);
    await t.app.accounts.apiKeys.revoke(account.id, key.id, {
      accountId: account.id,
      ip: null,
      channel: 'cli',
    });
    expect(
      (await api.request('GET', '/beta/domains', { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(401);
    await expect(api.token(key.id, secret)).rejects.toThrow(/401/);
  });
});

describe('using the API', () => {
  it('takes a bearer token until it expires after 300 s', async () => {
    const { key, secret } = await buildApiKey(t.app, await buildAccount(t.app));
    const token = await api.token(key.id, secret);
    const headers = { authorization: `Bearer ${token}` };
    expect((await api.request('GET', '/beta/domains', { headers })).status).toBe(200);
    t.clock.advance(299_000);
    expect((await api.request('GET', '/beta/domains', { headers })).status).toBe(200);
    t.clock.advance(2_000);
    const expired = await api.request('GET', '/beta/domains', { headers });
    expect(expired.status).toBe(401);
    expect(JSON.parse(expired.text)).toHaveProperty('error');
  });

  it('takes HTTP Basic with the key itself, and records when and from where a key was used', async () => {
    const account = await buildAccount(t.app);
    const { key, secret } = await buildApiKey(t.app, account);
    const client = new ApiClient(t.app.api, '192.0.2.55');
    expect(
      (
        await client.request('GET', '/beta/domains', {
          headers: { authorization: basic(key.id, secret) },
        })
      ).status,
    ).toBe(200);
    const used = await t.app.accounts.apiKeys.get(account.id, key.id);
    expect(used.lastUsedIp).toBe('192.0.2.55');
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('refuses a key without a grant for the API it calls', async () => {
    const { key, secret } = await buildApiKey(t.app, await buildAccount(t.app), ['dns:rw']);
    const reply = await api.request('GET', '/beta/domains', {
      headers: { authorization: basic(key.id, secret) },
    });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.text)).toEqual({ error: 'Not authorised' });
  });

  it('serves OpenAPI at /openapi.json', async () => {
    const reply = await api.request('GET', '/openapi.json');
    const doc = JSON.parse(reply.text) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/login', '/beta/domains', '/beta/domains/{domain}']),
    );
  });
});
