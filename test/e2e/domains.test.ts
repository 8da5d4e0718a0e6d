// Domain search and ordering through the panel, and the Domains API read calls (apis.md §5).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAccount, buildApiKey, loggedIn } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import { ApiClient, basic, PanelClient } from '../support/clients.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp({
    config: { domains: { freeSubdomainParents: ['students.example'], reservedLabels: ['www'] } },
  });
});
afterEach(() => t.close());

describe('searching', () => {
  it('shows availability and price across every TLD and free subdomain, to anyone', async () => {
    const reply = await new PanelClient(t.app.panel).get('/domains/search?q=kestrel');
    expect(reply.status).toBe(200);
    for (const name of ['kestrel.com', 'kestrel.org', 'kestrel.co.uk', 'kestrel.students.example'])
      expect(reply.text).toContain(name);
    expect(reply.text).toContain('£12.00 / year');
    expect(reply.text).toContain('Free');
    expect(reply.text).toContain('Log in to order');
  });

  it('shows taken and reserved names as taken', async () => {
    const owner = await buildAccount(t.app);
    await t.app.domains.addToCart(owner.id, 'kestrel.com');
    await t.app.domains.checkout(owner.id, { accountId: owner.id, ip: null, channel: 'panel' });
    const results = await t.app.domains.search('kestrel');
    expect(results.find((r) => r.name === 'kestrel.com')?.available).toBe(false);
    expect(results.find((r) => r.name === 'kestrel.org')?.available).toBe(true);
    expect((await t.app.domains.search('www')).every((r) => !r.available)).toBe(true);
  });

  it('echoes a bad search term back escaped, with a clear message', async () => {
    const reply = await new PanelClient(t.app.panel).get(
      `/domains/search?q=${encodeURIComponent('"><svg/onload=alert(1)>')}`,
    );
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('&quot;&gt;&lt;svg/onload=alert(1)&gt;');
    expect(reply.text).not.toContain('<svg/onload');
  });
});

describe('ordering', () => {
  it('goes from search to cart to order to a registered domain with an expiry', async () => {
    const account = await buildAccount(t.app);
    const client = await loggedIn(t.app, account);
    const search = await client.get('/domains/search?q=kestrel.org');
    expect(search.text).toContain('Add to cart');
    const added = await client.post(
      '/cart',
      { name: 'kestrel.org' },
      { csrfFrom: '/domains/search?q=kestrel.org' },
    );
    expect((await client.follow(added)).text).toContain('kestrel.org is in your cart');
    const placed = await client.post('/cart/checkout', {}, { csrfFrom: '/cart' });
    const order = await client.follow(placed);
    expect(order.text).toContain('Thank you');
    expect(order.text).toContain('£13.00');
    expect((await client.get('/domains')).text).toContain('pending');
    await t.app.jobs.drain();
    const list = await client.get('/domains');
    expect(list.text).toContain('registered');
    const detail = await client.get('/domains/kestrel.org');
    expect(detail.text).toContain('ns1.bestiary.example.');
    const audit = await t.app.accounts.audit.list({ ownerAccountId: account.id, limit: 5 });
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['domain.registered', 'zone.created']),
    );
  });

  it('gives each account its free subdomain, and no more than allowed', async () => {
    const account = await buildAccount(t.app);
    await t.app.domains.addToCart(account.id, 'alice.students.example');
    await t.app.domains.addToCart(account.id, 'alice2.students.example');
    await expect(
      t.app.domains.checkout(account.id, { accountId: account.id, ip: null, channel: 'panel' }),
    ).rejects.toThrow(/at most 1 free subdomain/);
    const items = await t.app.domains.cart(account.id);
    await t.app.domains.removeFromCart(account.id, items[1]!.id);
    await t.app.domains.checkout(account.id, { accountId: account.id, ip: null, channel: 'panel' });
    await t.app.jobs.drain();
    expect(await t.app.domains.list(account.id)).toMatchObject([
      { name: 'alice.students.example', status: 'active', expires_at: null },
    ]);
  });

  it('prices from its own list, never from the client, and refuses names it does not sell', async () => {
    const account = await buildAccount(t.app);
    const client = await loggedIn(t.app, account);
    await client.post('/cart', { name: 'kestrel.com', price: '1' }, { csrfFrom: '/' });
    expect((await t.app.domains.cart(account.id))[0]?.price).toBe(1200);
    const refused = await client.follow(
      await client.post('/cart', { name: 'kestrel.xyz' }, { csrfFrom: '/' }),
    );
    expect(refused.text).toContain('is not a name we offer');
    expect(await t.app.domains.cart(account.id)).toHaveLength(1);
  });
});

describe('Domains API', () => {
  it('lists and describes the domains a key may read', async () => {
    const account = await buildAccount(t.app);
    for (const name of ['kestrel.com', 'merlin.org'])
      await t.app.domains.addToCart(account.id, name);
    await t.app.domains.checkout(account.id, { accountId: account.id, ip: null, channel: 'panel' });
    await t.app.jobs.drain();
    const api = new ApiClient(t.app.api);
    const all = await buildApiKey(t.app, account, ['domains:ro']);
    const one = await buildApiKey(t.app, account, ['domains:ro:zones=merlin.org']);
    const get = (key: { key: { id: string }; secret: string }, path: string) =>
      api.request('GET', path, { headers: { authorization: basic(key.key.id, key.secret) } });

    expect((await get(all, '/beta/domains')).text).toBe(
      '{"domains":["kestrel.com","merlin.org"]}\n',
    );
    expect((await get(one, '/beta/domains')).text).toBe('{"domains":["merlin.org"]}\n');
    const info = JSON.parse((await get(all, '/beta/domains/kestrel.com')).text) as Record<
      string,
      unknown
    >;
    expect(info).toMatchObject({
      domain: 'kestrel.com',
      status: 'registered',
      registrar: 'builtin',
    });
    expect(info.expiry).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await get(one, '/beta/domains/kestrel.com')).status).toBe(403);
    expect(JSON.parse((await get(all, '/beta/domains/kestrel.com/nameservers')).text)).toEqual({
      nameservers: [{ name: 'ns1.bestiary.example.' }, { name: 'ns2.bestiary.example.' }],
    });
  });
});
