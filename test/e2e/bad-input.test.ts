// Bad input gets a clear error and changes nothing: oversized bodies, invalid UTF-8, malformed
// query strings and paths, forged forms (CSRF), including from IPv6 hosts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAccount, loggedIn, TEST_PASSWORD } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import { ApiClient, PanelClient } from '../support/clients.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp({ config: { limits: { bodyBytes: 4096 } } });
});
afterEach(() => t.close());

const env = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };

async function rawPost(
  client: PanelClient,
  path: string,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
) {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const all: Record<string, string> = {
    cookie,
    host: 'localhost:8080',
    origin: 'http://localhost:8080',
    'content-type': 'application/x-www-form-urlencoded',
    ...headers,
  };
  for (const [k, v] of Object.entries(all)) if (v === '') delete all[k];
  const init = { method: 'POST', body, headers: all, duplex: 'half' } as RequestInit;
  return t.app.panel.request(`http://localhost:8080${path}`, init, env);
}

describe('request bodies', () => {
  it('refuses an oversized form with 413 and a clear message, creating nothing', async () => {
    const account = await buildAccount(t.app);
    const client = await loggedIn(t.app, account);
    const csrf = await client.csrfToken('/account/keys');
    const body = `_csrf=${csrf}&label=${'x'.repeat(5000)}&access_dns=write`;
    const res = await rawPost(client, '/account/keys', body);
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('larger than the limit of 4096 bytes');
    expect(await t.app.accounts.apiKeys.list(account.id)).toHaveLength(0);
  });

  it('refuses a body that claims to be small but is not', async () => {
    const client = new PanelClient(t.app.panel);
    const csrf = await client.csrfToken('/login');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`_csrf=${csrf}&email=`));
        for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(1000).fill(97));
        controller.close();
      },
    });
    const res = await rawPost(client, '/login', stream as unknown as Uint8Array, {
      'content-length': '10',
    });
    expect(res.status).toBe(413);
  });

  it('refuses invalid UTF-8 instead of guessing, and changes nothing', async () => {
    const account = await buildAccount(t.app);
    const client = await loggedIn(t.app, account);
    const csrf = await client.csrfToken('/account/keys');
    const body = Buffer.concat([
      Buffer.from(`_csrf=${csrf}&access_dns=write&label=`),
      Buffer.from([0xc3, 0x28, 0xff]),
    ]);
    const res = await rawPost(client, '/account/keys', new Uint8Array(body));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('not valid UTF-8');
    expect(await t.app.accounts.apiKeys.list(account.id)).toHaveLength(0);
  });

  it('refuses percent-encoded invalid UTF-8 in a form field', async () => {
    const client = new PanelClient(t.app.panel);
    const csrf = await client.csrfToken('/signup');
    const res = await rawPost(
      client,
      '/signup',
      `_csrf=${csrf}&email=a%FF%FE@example.com&password=long+enough+pw`,
    );
    expect(res.status).toBe(400);
    expect(await t.app.mailer.list(5)).toHaveLength(0);
  });
});

describe('addresses', () => {
  it.each(['/domains/search?q=%E0%A4%A', '/domains/search?q=%FF', '/domains/%C0%AFetc'])(
    'refuses the malformed address %s with 400',
    async (path) => {
      const client = new PanelClient(t.app.panel);
      const reply = await client.get(path);
      expect(reply.status).toBe(400);
      expect(reply.text).toContain('malformed percent-encoding or invalid UTF-8');
    },
  );

  it('answers an unknown API path with JSON 404', async () => {
    const reply = await new ApiClient(t.app.api).request('GET', '/no/such/thing');
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.text)).toEqual({ error: 'Not found' });
  });
});

describe('CSRF', () => {
  async function attempt(origin: string | null, opts: { csrf?: string; host?: string } = {}) {
    const account = await buildAccount(t.app);
    const client = await loggedIn(t.app, account);
    const csrf = opts.csrf ?? (await client.csrfToken('/account/keys'));
    const headers: Record<string, string> = {
      host: opts.host ?? 'localhost:8080',
      origin: origin ?? '',
    };
    const res = await rawPost(
      client,
      '/account/keys',
      `_csrf=${csrf}&label=forged&access_dns=write`,
      headers,
    );
    return { res, keys: await t.app.accounts.apiKeys.list(account.id) };
  }

  it('accepts a form from our own origin with the right token', async () => {
    const { res, keys } = await attempt('http://localhost:8080');
    expect(res.status).toBe(200);
    expect(keys).toHaveLength(1);
  });

  it.each([
    ['another site', 'https://evil.example'],
    ['a look-alike port', 'http://localhost:8081'],
    ['an opaque origin', 'null'],
  ])('refuses a form from %s', async (_, origin) => {
    const { res, keys } = await attempt(origin);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('sent from another site');
    expect(keys).toHaveLength(0);
  });

  it('refuses a form with no Origin or Referer', async () => {
    const { res, keys } = await attempt(null);
    expect(res.status).toBe(403);
    expect(keys).toHaveLength(0);
  });

  it('refuses a form with a token from another session', async () => {
    const other = await loggedIn(t.app, await buildAccount(t.app));
    const { res, keys } = await attempt('http://localhost:8080', {
      csrf: await other.csrfToken('/account'),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('security token');
    expect(keys).toHaveLength(0);
  });

  it('accepts the same form from an IPv6 literal host', async () => {
    const { res, keys } = await attempt('http://[::1]:8080', { host: '[::1]:8080' });
    expect(res.status).toBe(200);
    expect(keys).toHaveLength(1);
  });

  it('protects forms of visitors who are not logged in too', async () => {
    const account = await buildAccount(t.app);
    const visitor = new PanelClient(t.app.panel);
    const reply = await visitor.post(
      '/login',
      { email: account.email, password: TEST_PASSWORD },
      { csrf: 'forged' },
    );
    expect(reply.status).toBe(403);
    expect(visitor.cookies.has('bestiary_session')).toBe(false);
  });
});
