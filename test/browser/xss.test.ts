// Every user-controlled value the panel shows, tried with every payload in real Chromium: the
// search term, names and emails, API key labels and DNS narrowing, the domain ordered, the login
// `next`, reset and confirmation tokens, admin search and unknown paths. The context bypasses
// the CSP, so these tests judge the escaping itself (with the CSP on, a slip would hide behind
// it); the CSP is checked on every response instead. Most payloads use quick loads and one in
// sixteen a real navigation or click (see xss-watch.ts).
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { normaliseEmail } from '../../src/accounts/index.js';
import { buildAccount, TEST_PASSWORD } from '../fixtures/builders.js';
import { chromiumMissing, useBrowser } from '../support/browser.js';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import { emailPayloads, payloads } from './payloads.js';
import type { Watch } from './xss-watch.js';
import { inTabs, submitWith, watchPage } from './xss-watch.js';

const SLOW = 300_000; // generous for a busy machine; idle, no test here takes a minute
const q = encodeURIComponent;
const isEmail = (p: string) => {
  try {
    return normaliseEmail(p) === p.trim().toLowerCase();
  } catch {
    return false;
  }
};
/** The same-site paths that /login keeps as `next`; anything else becomes "/". */
const keptNext = (next: string) => (/^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/');
/** One payload in sixteen loads the page for real (navigation or click); the rest quickly. */
const real = (i: number) => i % 16 === 0;

describe.skipIf(chromiumMissing)('XSS payloads rendered in Chromium', () => {
  let t: TestServer;
  let admin: Account;
  beforeAll(async () => {
    t = await startTestServer();
    admin = await buildAccount(t.app, { role: 'admin', email: 'root@admin.example' });
  });
  afterAll(() => t?.close());
  const browser = useBrowser(() => ({ baseURL: t.panelUrl, bypassCSP: true }));

  /** Try every payload through `visit`; the test fails listing every finding. */
  async function tryAll<T>(
    items: readonly T[],
    visit: (watch: Watch, item: T, index: number) => Promise<void>,
    options: { tabs?: number; start?: string } = {},
  ) {
    const findings: string[] = [];
    const done = await inTabs(browser.context, t.panelUrl, findings, items, visit, options);
    expect(findings).toEqual([]);
    expect(done).toBe(items.length);
  }

  async function logIn(context: BrowserContext, email: string) {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await submitWith(page, page.getByRole('button', { name: 'Log in', exact: true }));
    expect(await page.locator('header .email').innerText()).toBe(email);
    await page.close();
  }

  it('has over 200 distinct payloads, and a strict CSP on the pages that show them', async () => {
    expect(payloads.length).toBeGreaterThanOrEqual(200);
    const page = await browser.newPage();
    for (const path of ['/', '/login', '/signup', '/domains/search?q=%3Cb%3E', '/nowhere']) {
      const csp = (await page.goto(path))!.headers()['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
    }
  });

  it('shows a search term as text', { timeout: SLOW }, async () => {
    await tryAll(payloads, async (w, p, i) => {
      const page = { path: `/domains/search?q=${q(p)}` };
      const { shown } = await w.load(`search #${i}`, page, real(i), { term: '#q@value' });
      w.expectShown(`search #${i}`, shown.term, p);
    });
  });

  it('echoes a refused sign-up name and email as text', { timeout: SLOW }, async () => {
    const form = { form: 'form[action="/signup"]', from: '/signup' };
    await tryAll(
      payloads,
      async (w, p, i) => {
        const fields = { email: p, name: p, password: 'short' };
        const read = { email: '#email@value', name: '#name@value' };
        const { sent, shown } = await w.load(`sign-up #${i}`, { ...form, fields }, real(i), read);
        w.expectShown(`sign-up email #${i}`, shown.email, sent.email!);
        w.expectShown(`sign-up name #${i}`, shown.name, sent.name!);
      },
      { start: '/signup' },
    );
  });

  it(
    'shows the name and email of a real sign-up on the account page',
    { timeout: SLOW },
    async () => {
      const names = [
        '<svg/onload=alert``>',
        '"><b>',
        "'-alert(1)-'",
        '</title><script>alert(1)</script>',
      ];
      const signups = emailPayloads.slice(0, 6).map((email, i) => ({
        email: email.replace('@xss.example', '@signup.example'),
        name: names[i % names.length]!,
      }));
      await tryAll(
        signups,
        async (w, { email, name }, i) => {
          const { page } = w;
          await page.context().clearCookies();
          await page.goto('/signup');
          await page.getByLabel('Email').fill(email);
          await page.getByLabel('Your name').fill(name);
          await page.getByLabel('Password').fill(TEST_PASSWORD);
          await submitWith(page, page.getByRole('button', { name: 'Create account' }));
          await w.check(`check-your-email #${i}`);
          w.expectShown(
            `check-your-email #${i}`,
            await page.locator('main strong').innerText(),
            email.toLowerCase(),
          );
          const mail = (await t.app.mailer.list(100)).find(
            (m) => m.to_address === email.toLowerCase(),
          )!;
          await page.goto(/https?:\/\/\S+/.exec(mail.body)![0]);
          await submitWith(page, page.getByRole('button', { name: 'Open my account' }));
          await page.goto('/account');
          await w.check(`account page #${i}`);
          const details = page.locator('main dl dd');
          w.expectShown(
            `account email #${i}`,
            await details.nth(0).textContent(),
            email.toLowerCase(),
          );
          w.expectShown(`account name #${i}`, await details.nth(1).textContent(), name);
          w.expectShown(
            `header email #${i}`,
            await page.locator('header .email').textContent(),
            email.toLowerCase(),
          );
        },
        { tabs: 1 },
      );
    },
  );

  it('shows stored names and emails as text in the admin lists', { timeout: SLOW }, async () => {
    const accounts = (
      await Promise.all(
        payloads.map(async (name, i) => {
          const email = isEmail(name) ? name : `name-${i}@xss-${i % 2 ? 'a' : 'b'}.example`;
          if (name.trim().length > 200) return null;
          return buildAccount(t.app, { name, email });
        }),
      )
    ).filter((a) => a !== null);
    expect(accounts.length).toBeGreaterThanOrEqual(200);
    await logIn(browser.context, admin.email);
    const byEmail = new Map(accounts.map((a) => [a.email, a]));
    await tryAll(['xss-a.example', 'xss-b.example', 'xss.example'], async (w, search) => {
      await w.load(`admin list ${search}`, { path: `/admin?q=${q(search)}` }, true);
      for (const row of await w.page.locator('main tbody tr').all()) {
        const [email, name] = await row.locator('td').allTextContents();
        const account = byEmail.get(email ?? '');
        if (!account) continue; // the admin, or an account of another test
        byEmail.delete(account.email);
        w.expectShown(`admin list name of ${account.email}`, name ?? null, account.name);
      }
    });
    expect([...byEmail.keys()]).toEqual([]);
    const detailed = accounts.filter(
      (a) => !a.email.endsWith('xss-a.example') && !a.email.endsWith('xss-b.example'),
    );
    await tryAll(detailed.concat(accounts.slice(0, 40)), async (w, a, i) => {
      const read = { title: 'h1', name: 'main dd' };
      const page = { path: `/admin/accounts/${a.id}` };
      const { shown } = await w.load(`admin page of ${a.email}`, page, real(i), read);
      w.expectShown(`admin page title of ${a.email}`, shown.title, a.email);
      w.expectShown(`admin page name of ${a.email}`, shown.name, a.name);
    });
  });

  it('shows an admin account search as text', { timeout: SLOW }, async () => {
    await logIn(browser.context, admin.email);
    await tryAll(payloads, async (w, p, i) => {
      const page = { path: `/admin?q=${q(p)}` };
      const { shown } = await w.load(`admin search #${i}`, page, real(i), { term: '#q@value' });
      w.expectShown(`admin search #${i}`, shown.term, p.slice(0, 200));
    });
  });

  it('shows API key labels and DNS narrowing as text', { timeout: SLOW }, async () => {
    const owner = await buildAccount(t.app);
    await logIn(browser.context, owner.email);
    const split = (s: string) => s.split(/[\s,]+/).filter(Boolean);
    /** What the key list shows for a DNS grant narrowed by `text` in all three fields. */
    const access = (text: string) => {
      const zones = split(text).map((z) => z.toLowerCase().replace(/\.$/, ''));
      const hosts = split(text).map((h) => h.toLowerCase());
      const types = split(text).map((x) => x.toUpperCase());
      const parts = ['DNS read-only'];
      if (zones.length) parts.push(`zones ${zones.join(', ')}`, `hosts ${hosts.join(', ')}`);
      if (types.length) parts.push(`types ${types.join(', ')}`);
      return parts.join('; ');
    };
    const created = new Map<string, { label: string; narrowing: string }>();
    const form = { form: 'form[action="/account/keys"]', from: '/account/keys' };
    const noAccess = { access_dns: 'none', access_pi: 'none', access_domains: 'none' };
    // Refused for want of access, before there are keys to list: the label comes back.
    await tryAll(
      payloads,
      async (w, p, i) => {
        const request = { ...form, fields: { ...noAccess, label: p } };
        const read = { label: '#label@value' };
        const { sent, shown } = await w.load(`refused key #${i}`, request, real(i), read);
        w.expectShown(`refused key label #${i}`, shown.label, sent.label!);
      },
      { start: '/account/keys' },
    );
    // Created, narrowed by the payload: the label is shown with the secret, then in the list.
    await tryAll(
      payloads,
      async (w, p, i) => {
        const narrowing = { dns_zones: p, dns_hosts: p, dns_types: p };
        const fields = { ...noAccess, access_dns: 'read', label: p, ...narrowing };
        const read = { id: '[data-testid="key-id"]', label: 'main dd', refused: '#label@value' };
        const { sent, shown } = await w.load(`key #${i}`, { ...form, fields }, real(i), read);
        if (shown.id === null) {
          w.expectShown(`refused key label #${i}`, shown.refused, sent.label!);
          return;
        }
        const label = sent.label!.trim();
        created.set(shown.id!, { label, narrowing: sent.dns_zones! });
        w.expectShown(`new key label #${i}`, shown.label, label);
      },
      { start: '/account/keys' },
    );
    expect(created.size).toBeGreaterThan(payloads.length / 2);

    const page = await browser.newPage();
    const findings: string[] = [];
    const w = watchPage(page, t.panelUrl, findings);
    await page.goto('/account/keys');
    await w.check('the key list');
    for (const row of await page.locator('main tbody tr').all()) {
      const [label, id, shown] = await row.locator('td').allTextContents();
      const sent = created.get(id ?? '');
      if (!sent) continue;
      created.delete(id!);
      w.expectShown(`key list label of ${id}`, label ?? null, sent.label);
      w.expectShown(`key list access of ${id}`, shown ?? null, access(sent.narrowing));
    }
    expect(findings).toEqual([]);
    expect([...created.keys()]).toEqual([]);
  });

  it('echoes a refused domain order as text', { timeout: SLOW }, async () => {
    const buyer = await buildAccount(t.app);
    await t.app.domains.addToCart(buyer.id, 'xss-buyer.com');
    await logIn(browser.context, buyer.email);
    // One tab: the message comes back as the session's flash, which tabs would share.
    await tryAll(
      payloads,
      async (w, p, i) => {
        // The order form, tampered as an attacker would: it sends the payload as the name.
        const order = { form: 'form[action="/cart/checkout"]', from: '/cart', action: '/cart' };
        const request = { ...order, fields: { name: p } };
        const { shown } = await w.load(`order #${i}`, request, real(i), { flash: '.flash' });
        if (p.length <= 300)
          w.expectShown(`order #${i}`, shown.flash, `“${p}” is not a name we offer.`);
      },
      { tabs: 1, start: '/cart' },
    );
  });

  it('shows the login page’s next as text', { timeout: SLOW }, async () => {
    await tryAll(payloads, async (w, p, i) => {
      const page = { path: `/login?next=${q(`/${p}`)}` };
      const read = { next: 'input[name="next"]@value' };
      const { shown } = await w.load(`login next #${i}`, page, real(i), read);
      w.expectShown(`login next #${i}`, shown.next, keptNext(`/${p}`));
    });
  });

  it('shows reset and confirmation tokens as text', { timeout: SLOW }, async () => {
    await tryAll(payloads, async (w, p, i) => {
      await w.load(`reset token #${i}`, { path: `/password/reset?token=${q(p)}` }, real(i));
      const confirm = { path: `/signup/confirm?token=${q(p)}` };
      const read = { token: 'input[name="token"]@value' };
      const { shown } = await w.load(`confirm token #${i}`, confirm, real(i), read);
      w.expectShown(`confirm token #${i}`, shown.token, p);
    });
  });

  it('answers unknown paths without running them', { timeout: SLOW }, async () => {
    await tryAll(payloads, async (w, p, i) => {
      const page = { path: `/x/${q(p)}` };
      const { shown } = await w.load(`path #${i}`, page, real(i), { title: 'h1' });
      w.expectShown(`path #${i}`, shown.title, 'Not found');
    });
  });
});
