// Accounts through the panel: sign-up with a confirmed address, login and logout, password
// change and reset, two-factor authentication, suspension, and the answers that must never
// reveal whether an account exists.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { totpAt } from '../../src/accounts/index.js';
import { buildAccount, loggedIn, TEST_PASSWORD } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import { PanelClient } from '../support/clients.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

async function lastMailTo(email: string) {
  const [message] = (await t.app.mailer.list(50)).filter((m) => m.to_address === email);
  if (!message) throw new Error(`no mail to ${email}`);
  return message;
}

const linkIn = (body: string) =>
  /https?:\/\/\S+/.exec(body)![0].replace('http://localhost:8080', '');

describe('sign-up', () => {
  it('opens an account only once the emailed link is followed', async () => {
    const visitor = new PanelClient(t.app.panel);
    const reply = await visitor.post(
      '/signup',
      { email: 'New@Example.com', password: 'a long enough password', name: 'Newcomer' },
      { csrfFrom: '/signup' },
    );
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('Check your email');
    expect(await t.app.accounts.accounts.findByEmail('new@example.com')).toBeUndefined();

    const mail = await lastMailTo('new@example.com');
    expect(mail.transport).toBe('outbox');
    const confirmPage = await visitor.get(linkIn(mail.body));
    const token = /name="token" value="([^"]+)"/.exec(confirmPage.text)![1]!;
    const confirmed = await visitor.post(
      '/signup/confirm',
      { token },
      { csrfFrom: linkIn(mail.body) },
    );
    expect(confirmed.status).toBe(303);
    const dashboard = await visitor.follow(confirmed);
    expect(dashboard.text).toContain('Dashboard');
    expect(dashboard.text).toContain('Welcome! Your account is open.');
    expect((await t.app.accounts.accounts.findByEmail('new@example.com'))?.name).toBe('Newcomer');

    const again = await visitor.post('/signup/confirm', { token }, { csrfFrom: '/signup' });
    expect(again.status).toBe(400);
  });

  it('answers a sign-up for a taken address exactly as for a new one, and tells the owner', async () => {
    const existing = await buildAccount(t.app, { email: 'taken@example.com' });
    const visitor = new PanelClient(t.app.panel);
    const taken = await visitor.post(
      '/signup',
      { email: 'taken@example.com', password: 'a long enough password' },
      { csrfFrom: '/signup' },
    );
    const fresh = await visitor.post(
      '/signup',
      { email: 'fresh@example.com', password: 'a long enough password' },
      { csrfFrom: '/signup' },
    );
    const strip = (html: string) =>
      html.replace(/taken@example\.com|fresh@example\.com/g, 'X').replace(/value="[^"]+"/g, '');
    expect(taken.status).toBe(fresh.status);
    expect(strip(taken.text)).toBe(strip(fresh.text));
    expect((await lastMailTo(existing.email)).subject).toContain('already have');
  });

  it.each([
    ['not-an-email', 'a long enough password', 'valid email'],
    ['x@example.com', 'short', 'at least 10'],
    ['x@example.com', 'x@example.com', 'must not be your email'],
  ])(
    'refuses %s / %s with a clear message and creates nothing',
    async (email, password, message) => {
      const visitor = new PanelClient(t.app.panel);
      const reply = await visitor.post('/signup', { email, password }, { csrfFrom: '/signup' });
      expect(reply.status).toBe(400);
      expect(reply.text).toContain(message);
      expect(await t.app.mailer.list(10)).toHaveLength(0);
    },
  );
});

describe('login', () => {
  it('logs in, rotates the session, and logs out', async () => {
    const account = await buildAccount(t.app);
    const client = new PanelClient(t.app.panel);
    await client.get('/login');
    const reply = await client.post(
      '/login',
      { email: account.email, password: TEST_PASSWORD, next: '/account' },
      { csrfFrom: '/login' },
    );
    expect(reply.status).toBe(303);
    expect(reply.location).toBe('/account');
    const cookie = reply.headers.getSetCookie().find((c) => c.startsWith('bestiary_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    expect(cookie.split(';')[0]!.split('=')[1]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await client.get('/account')).text).toContain(account.email);

    const first = client.cookies.get('bestiary_session');
    await client.post(
      '/login',
      { email: account.email, password: TEST_PASSWORD },
      { csrfFrom: '/' },
    );
    expect(client.cookies.get('bestiary_session')).not.toBe(first);

    const out = await client.post('/logout', {});
    expect(out.status).toBe(303);
    expect((await client.get('/account')).status).toBe(303);
  });

  it('gives one answer for a wrong password and for an account that does not exist', async () => {
    const account = await buildAccount(t.app);
    const client = new PanelClient(t.app.panel);
    const wrong = await client.post(
      '/login',
      { email: account.email, password: 'not the password' },
      { csrfFrom: '/login' },
    );
    const missing = await client.post(
      '/login',
      { email: 'nobody@example.com', password: 'not the password' },
      { csrfFrom: '/login' },
    );
    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    const message = (html: string) => /role="alert">(.*?)<\/div>/s.exec(html)?.[1];
    expect(message(wrong.text)).toBe(message(missing.text));
  });

  it('only follows same-site paths after login', async () => {
    const account = await buildAccount(t.app);
    const client = new PanelClient(t.app.panel);
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const reply = await client.post(
        '/login',
        { email: account.email, password: TEST_PASSWORD, next },
        { csrfFrom: '/login' },
      );
      expect(reply.location).toBe('/');
    }
  });
});

describe('rate limits', () => {
  it('limits login attempts per account and per address, whether or not the account exists', async () => {
    const strict = await buildTestApp({
      relaxLimits: false,
      config: {
        rateLimits: {
          loginPerAccount: { limit: 3, windowSeconds: 900 },
          loginPerIp: { limit: 6, windowSeconds: 300 },
        },
      },
    });
    try {
      const account = await buildAccount(strict.app);
      const client = new PanelClient(strict.app.panel);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (
            await client.post(
              '/login',
              { email: account.email, password: 'wrong password!' },
              { csrfFrom: '/login' },
            )
          ).status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      const right = await client.post(
        '/login',
        { email: account.email, password: TEST_PASSWORD },
        { csrfFrom: '/login' },
      );
      expect(right.status).toBe(429);
      const other = await client.post(
        '/login',
        { email: 'nobody@example.com', password: 'x' },
        { csrfFrom: '/login' },
      );
      expect(other.status).toBe(401);
      const sixth = await client.post(
        '/login',
        { email: 'nobody2@example.com', password: 'x' },
        { csrfFrom: '/login' },
      );
      expect(sixth.status).toBe(429);
      strict.clock.advance(900_000);
      expect(
        (
          await client.post(
            '/login',
            { email: account.email, password: TEST_PASSWORD },
            { csrfFrom: '/login' },
          )
        ).status,
      ).toBe(303);
    } finally {
      await strict.close();
    }
  });
});

describe('passwords', () => {
  it('changes the password and ends every other session', async () => {
    const account = await buildAccount(t.app);
    const here = await loggedIn(t.app, account);
    const elsewhere = await loggedIn(t.app, account, '127.0.0.1');
    const reply = await here.post(
      '/account/password',
      { current: TEST_PASSWORD, password: 'a brand new password' },
      { csrfFrom: '/account' },
    );
    expect(reply.status).toBe(303);
    expect((await here.get('/account')).text).toContain('Your password has been changed');
    expect((await elsewhere.get('/account')).status).toBe(303);
    await expect(
      t.app.accounts.accounts.verifyLogin(account.email, 'a brand new password', '127.0.0.1'),
    ).resolves.toMatchObject({ id: account.id });
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const account = await buildAccount(t.app);
    const client = await loggedIn(t.app, account);
    const reply = await client.post(
      '/account/password',
      { current: 'not it at all', password: 'a brand new password' },
      { csrfFrom: '/account' },
    );
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('current password is not correct');
    await expect(
      t.app.accounts.accounts.verifyLogin(account.email, TEST_PASSWORD, '127.0.0.1'),
    ).resolves.toBeDefined();
  });

  it('resets a forgotten password by email, once, and logs out every session', async () => {
    const account = await buildAccount(t.app);
    const session = await loggedIn(t.app, account);
    const visitor = new PanelClient(t.app.panel);
    const asked = await visitor.post(
      '/password/forgot',
      { email: account.email },
      { csrfFrom: '/password/forgot' },
    );
    const unknown = await visitor.post(
      '/password/forgot',
      { email: 'nobody@example.com' },
      { csrfFrom: '/password/forgot' },
    );
    expect(asked.text.replace(/value="[^"]+"/g, '')).toBe(
      unknown.text.replace(/value="[^"]+"/g, ''),
    );

    const link = linkIn((await lastMailTo(account.email)).body);
    const form = await visitor.get(link);
    expect(form.status).toBe(200);
    const token = new URL(`http://x${link}`).searchParams.get('token')!;
    const done = await visitor.post(
      '/password/reset',
      { token, password: 'my recovered password' },
      { csrfFrom: link },
    );
    expect(done.text).toContain('Your password has been changed');
    expect((await session.get('/account')).status).toBe(303);
    const reused = await visitor.post(
      '/password/reset',
      { token, password: 'another password here' },
      { csrfFrom: '/' },
    );
    expect(reused.status).toBe(400);
    await expect(
      t.app.accounts.accounts.verifyLogin(account.email, 'my recovered password', '127.0.0.1'),
    ).resolves.toBeDefined();
  });

  it('makes the first administrator choose a new password before anything else', async () => {
    const admin = await t.app.accounts.accounts.ensureFirstAdmin('admin@bestiary.example', {
      accountId: null,
      ip: null,
      channel: 'system',
    });
    expect(admin).not.toBeNull();
    expect(
      await t.app.accounts.accounts.ensureFirstAdmin('admin@bestiary.example', {
        accountId: null,
        ip: null,
        channel: 'system',
      }),
    ).toBeNull();
    const client = new PanelClient(t.app.panel);
    const login = await client.post(
      '/login',
      { email: admin!.email, password: admin!.password, next: '/admin' },
      { csrfFrom: '/login' },
    );
    expect(login.status).toBe(303);
    expect((await client.get('/admin')).location).toBe('/account/password');
    await client.post(
      '/account/password',
      { current: admin!.password, password: 'the admin chose this' },
      { csrfFrom: '/account/password' },
    );
    expect((await client.get('/admin')).status).toBe(200);
  });
});

describe('two-factor authentication', () => {
  it('turns on with a code, then asks for a code at login, and accepts each recovery code once', async () => {
    const account = await buildAccount(t.app);
    const client = await loggedIn(t.app, account);
    const setup = await client.get('/account/2fa');
    const secret = /class="secret">([A-Z2-7]+)</.exec(setup.text)![1]!;
    const qr = await client.get('/account/2fa/qr.svg');
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
    const wrong = await client.post(
      '/account/2fa/enable',
      { code: '000000' },
      { csrfFrom: '/account/2fa' },
    );
    expect(wrong.status).toBe(401);
    const enabled = await client.post(
      '/account/2fa/enable',
      { code: totpAt(secret, t.clock.now()) },
      { csrfFrom: '/account/2fa' },
    );
    const codes = [
      ...enabled.text.matchAll(/<code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})<\/code>/g),
    ].map((m) => m[1]!);
    expect(codes).toHaveLength(10);

    const fresh = new PanelClient(t.app.panel);
    const login = await fresh.post(
      '/login',
      { email: account.email, password: TEST_PASSWORD, next: '/' },
      { csrfFrom: '/login' },
    );
    expect(login.location).toMatch(/^\/login\/2fa/);
    expect((await fresh.get('/account')).location).toBe('/login/2fa');
    t.clock.advance(30_000);
    const ok = await fresh.post(
      '/login/2fa',
      { code: totpAt(secret, t.clock.now()), next: '/account' },
      { csrfFrom: '/login/2fa' },
    );
    expect(ok.location).toBe('/account');
    expect((await fresh.get('/account')).status).toBe(200);

    const replay = new PanelClient(t.app.panel);
    await replay.post(
      '/login',
      { email: account.email, password: TEST_PASSWORD },
      { csrfFrom: '/login' },
    );
    expect(
      (
        await replay.post(
          '/login/2fa',
          { code: totpAt(secret, t.clock.now()) },
          { csrfFrom: '/login/2fa' },
        )
      ).status,
    ).toBe(401);
    expect(
      (await replay.post('/login/2fa', { code: codes[0]! }, { csrfFrom: '/login/2fa' })).status,
    ).toBe(303);

    const again = new PanelClient(t.app.panel);
    await again.post(
      '/login',
      { email: account.email, password: TEST_PASSWORD },
      { csrfFrom: '/login' },
    );
    expect(
      (await again.post('/login/2fa', { code: codes[0]! }, { csrfFrom: '/login/2fa' })).status,
    ).toBe(401);
  });
});

describe('administration', () => {
  it('lets an admin suspend an account, which ends its sessions and keys, and records it', async () => {
    const admin = await buildAccount(t.app, { role: 'admin' });
    const customer = await buildAccount(t.app);
    const customerSession = await loggedIn(t.app, customer);
    const adminClient = await loggedIn(t.app, admin, '127.0.0.9');
    expect((await adminClient.get('/admin')).text).toContain(customer.email);
    const reply = await adminClient.post(
      `/admin/accounts/${customer.id}/suspend`,
      {},
      { csrfFrom: `/admin/accounts/${customer.id}` },
    );
    expect(reply.status).toBe(303);
    expect((await customerSession.get('/account')).status).toBe(303);
    const login = await new PanelClient(t.app.panel).post(
      '/login',
      { email: customer.email, password: TEST_PASSWORD },
      { csrfFrom: '/login' },
    );
    expect(login.text).toContain('suspended');
    const [entry] = await t.app.accounts.audit.list({ ownerAccountId: customer.id, limit: 1 });
    expect(entry).toMatchObject({
      action: 'account.suspended',
      actorAccountId: admin.id,
      ip: '127.0.0.9',
      before: { status: 'active' },
      after: { status: 'suspended' },
    });
  });

  it('hides the admin pages from customers as 404', async () => {
    const customer = await loggedIn(t.app, await buildAccount(t.app));
    for (const path of ['/admin', '/admin/audit', '/admin/outbox', '/admin/jobs']) {
      expect((await customer.get(path)).status).toBe(404);
    }
  });
});
