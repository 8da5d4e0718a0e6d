// Tenancy: for every route that names an object, another account's object answers exactly like
// one that does not exist, and asking changes nothing. Add a row here for every new such route.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { everything, fullAccess, recordFromJson } from '../../src/dns/index.js';
import { buildAccount, buildApiKey, loggedIn } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import type { PanelClient, Reply } from '../support/clients.js';
import { ApiClient, basic } from '../support/clients.js';

interface World {
  t: TestApp;
  owner: Account;
  intruder: PanelClient;
  intruderApi: (method: string, path: string) => Promise<Reply>;
  ownerKeyId: string;
  ownerOrderId: string;
  ownerCartItemId: string;
  ownerDomain: string;
  ownerZone: string;
  ownerRecordId: string;
  ownerTsigId: string;
  intruderZone: string;
  ownerPi: string;
  ownerSshKeyId: string;
  ownerBackupTarget: string;
  ownerBackupRun: string;
  ownerRestore: string;
  intruderBackupsApi: (method: string, path: string, body?: string) => Promise<Reply>;
}

/** The owner's backup target still has the same runs and restores. */
const backupsUnchanged = async (w: World) => {
  const cli = { accountId: null, ip: null, channel: 'cli' as const, isAdmin: true };
  expect((await w.t.app.backups.listRuns(cli, w.ownerBackupTarget)).length).toBe(1);
  expect((await w.t.app.backups.listRestores(cli, w.ownerBackupTarget)).length).toBe(1);
};
const none = '00000000000000000000000000';
const backupsPost = (w: World, path: string, fields: Record<string, string> = {}) =>
  w.intruder.post(path, fields, { csrfFrom: '/backups' });
/** A backups route: the owner's object against an id nobody has. */
const backupsCase = (
  route: string,
  id: (w: World) => string,
  send: (w: World, id: string) => Promise<Reply>,
): Case => ({
  route,
  theirs: (w) => send(w, id(w)),
  missing: (w) => send(w, none),
  echoed: (w) => [id(w), none],
  unchanged: backupsUnchanged,
});

/** The owner's zone is unchanged: still there, same serial, same records. */
const dnsUnchanged = (w: World) => async () => {
  const access = fullAccess(w.owner.id, { accountId: w.owner.id, ip: null, channel: 'cli' });
  const zone = await w.t.app.dns.zones.find(access, w.ownerZone);
  const records = await w.t.app.dns.records.list(access, zone, everything);
  expect(records.map((r) => r.id)).toContain(w.ownerRecordId);
  expect(records.filter((r) => r.origin === 'user')).toHaveLength(1);
};

/** A DNS panel route: the owner's zone (and record) against a zone nobody hosts. */
const dnsCase = (
  route: string,
  send: (w: World, zone: string, id: string) => Promise<Reply>,
): Case => ({
  route: `${route} (panel)`,
  theirs: (w) => send(w, w.ownerZone, w.ownerRecordId),
  missing: (w) => send(w, 'never-hosted.org', '00000000000000000000000000'),
  echoed: (w) => [w.ownerZone, w.ownerRecordId, 'never-hosted.org', '00000000000000000000000000'],
  unchanged: (w) => dnsUnchanged(w)(),
});
const dnsPost = (w: World, path: string, fields: Record<string, string> = {}) =>
  w.intruder.post(path, fields, { csrfFrom: '/dns' });

/** What a reply says, without the parts that differ per request (ids, tokens, the echoed name). */
const gist = (r: Reply, echoed: string[]) => {
  let text = r.text.replace(/value="[^"]+"/g, '').replace(/reference \w+/g, '');
  for (const e of echoed) text = text.split(e).join('X');
  return { status: r.status, text };
};

interface Case {
  route: string;
  theirs(w: World): Promise<Reply>;
  missing(w: World): Promise<Reply>;
  /** Values that appear in the URL and may be echoed back. */
  echoed(w: World): string[];
  unchanged(w: World): Promise<void>;
  /** The status both answer with (the Pi API answers 403, reference apis.md §4). */
  status?: number;
}

const cases: Case[] = [
  backupsCase(
    'GET /backups/targets/:id (panel)',
    (w) => w.ownerBackupTarget,
    (w, id) => w.intruder.get(`/backups/targets/${id}`),
  ),
  backupsCase(
    'POST /backups/targets/:id/run (panel)',
    (w) => w.ownerBackupTarget,
    (w, id) => backupsPost(w, `/backups/targets/${id}/run`),
  ),
  backupsCase(
    'GET /backups/runs/:id (panel)',
    (w) => w.ownerBackupRun,
    (w, id) => w.intruder.get(`/backups/runs/${id}`),
  ),
  backupsCase(
    'POST /backups/runs/:id/restore (panel)',
    (w) => w.ownerBackupRun,
    (w, id) =>
      backupsPost(w, `/backups/runs/${id}/restore`, { mode: 'overwrite', confirm: 'site' }),
  ),
  backupsCase(
    'GET /backups/restores/:id (panel)',
    (w) => w.ownerRestore,
    (w, id) => w.intruder.get(`/backups/restores/${id}`),
  ),
  backupsCase(
    'GET /beta/backups/targets/{target}/runs (Backups API)',
    (w) => w.ownerBackupTarget,
    (w, id) => w.intruderBackupsApi('GET', `/beta/backups/targets/${id}/runs`),
  ),
  backupsCase(
    'POST /beta/backups/targets/{target}/runs (Backups API)',
    (w) => w.ownerBackupTarget,
    (w, id) => w.intruderBackupsApi('POST', `/beta/backups/targets/${id}/runs`),
  ),
  backupsCase(
    'GET /beta/backups/runs/{run} (Backups API)',
    (w) => w.ownerBackupRun,
    (w, id) => w.intruderBackupsApi('GET', `/beta/backups/runs/${id}`),
  ),
  backupsCase(
    'POST /beta/backups/runs/{run}/restore (Backups API)',
    (w) => w.ownerBackupRun,
    (w, id) =>
      w.intruderBackupsApi(
        'POST',
        `/beta/backups/runs/${id}/restore`,
        '{"mode":"new","into":"stolen"}',
      ),
  ),
  backupsCase(
    'GET /beta/backups/restores/{restore} (Backups API)',
    (w) => w.ownerRestore,
    (w, id) => w.intruderBackupsApi('GET', `/beta/backups/restores/${id}`),
  ),
  {
    route: 'POST /account/keys/:id/revoke (panel)',
    theirs: (w) =>
      w.intruder.post(`/account/keys/${w.ownerKeyId}/revoke`, {}, { csrfFrom: '/account/keys' }),
    missing: (w) =>
      w.intruder.post('/account/keys/zzzzzzzzzzzzzzzz/revoke', {}, { csrfFrom: '/account/keys' }),
    echoed: (w) => [w.ownerKeyId, 'zzzzzzzzzzzzzzzz'],
    unchanged: async (w) =>
      expect((await w.t.app.accounts.apiKeys.get(w.owner.id, w.ownerKeyId)).revokedAt).toBeNull(),
  },
  {
    route: 'GET /orders/:id (panel)',
    theirs: (w) => w.intruder.get(`/orders/${w.ownerOrderId}`),
    missing: (w) => w.intruder.get('/orders/00000000000000000000000000'),
    echoed: (w) => [w.ownerOrderId, '00000000000000000000000000'],
    unchanged: async () => undefined,
  },
  {
    route: 'GET /domains/:name (panel)',
    theirs: (w) => w.intruder.get(`/domains/${w.ownerDomain}`),
    missing: (w) => w.intruder.get('/domains/never-registered.com'),
    echoed: (w) => [w.ownerDomain, 'never-registered.com'],
    unchanged: async () => undefined,
  },
  {
    route: 'POST /cart/:id/remove (panel)',
    theirs: (w) => w.intruder.post(`/cart/${w.ownerCartItemId}/remove`, {}, { csrfFrom: '/cart' }),
    missing: (w) =>
      w.intruder.post('/cart/00000000000000000000000000/remove', {}, { csrfFrom: '/cart' }),
    echoed: (w) => [w.ownerCartItemId, '00000000000000000000000000'],
    unchanged: async (w) =>
      expect((await w.t.app.domains.cart(w.owner.id)).map((i) => i.id)).toContain(
        w.ownerCartItemId,
      ),
  },
  {
    route: 'GET /beta/domains/{domain} (Domains API)',
    theirs: (w) => w.intruderApi('GET', `/beta/domains/${w.ownerDomain}`),
    missing: (w) => w.intruderApi('GET', '/beta/domains/never-registered.com'),
    echoed: (w) => [w.ownerDomain, 'never-registered.com'],
    unchanged: async () => undefined,
  },
  {
    route: 'GET /beta/domains/{domain}/nameservers (Domains API)',
    theirs: (w) => w.intruderApi('GET', `/beta/domains/${w.ownerDomain}/nameservers`),
    missing: (w) => w.intruderApi('GET', '/beta/domains/never-registered.com/nameservers'),
    echoed: (w) => [w.ownerDomain, 'never-registered.com'],
    unchanged: async () => undefined,
  },
  dnsCase('GET /dns/:zone', (w, z) => w.intruder.get(`/dns/${z}`)),
  dnsCase('GET /dns/:zone/caa', (w, z) => w.intruder.get(`/dns/${z}/caa`)),
  dnsCase('GET /dns/:zone/issue', (w, z) => w.intruder.get(`/dns/${z}/issue?name=www`)),
  dnsCase('GET /dns/:zone/export', (w, z) => w.intruder.get(`/dns/${z}/export?style=classic`)),
  dnsCase('GET /dns/:zone/import', (w, z) => w.intruder.get(`/dns/${z}/import`)),
  dnsCase('GET /dns/:zone/records/:id/edit', (w, z, id) =>
    w.intruder.get(`/dns/${z}/records/${id}/edit`),
  ),
  dnsCase('POST /dns/:zone/records', (w, z) =>
    dnsPost(w, `/dns/${z}/records`, { host: 'evil', type: 'A', data: '192.0.2.66' }),
  ),
  dnsCase('POST /dns/:zone/records/:id', (w, z, id) =>
    dnsPost(w, `/dns/${z}/records/${id}`, { host: 'www', type: 'A', data: '192.0.2.66' }),
  ),
  dnsCase('POST /dns/:zone/records/:id/delete', (w, z, id) =>
    dnsPost(w, `/dns/${z}/records/${id}/delete`),
  ),
  dnsCase('POST /dns/:zone/caa', (w, z) =>
    dnsPost(w, `/dns/${z}/caa`, { 'ca-digicert': 'on', action: 'save', previewed: 'x' }),
  ),
  dnsCase('POST /dns/:zone/import', (w, z) =>
    dnsPost(w, `/dns/${z}/import`, { text: 'evil 60 IN A 192.0.2.66', mode: 'add' }),
  ),
  dnsCase('POST /dns/:zone/delete', (w, z) => dnsPost(w, `/dns/${z}/delete`, { confirm: z })),
  {
    route: 'POST /dns/:zone/records/:id with their record in my zone (panel)',
    theirs: (w) => dnsPost(w, `/dns/${w.intruderZone}/records/${w.ownerRecordId}/delete`),
    missing: (w) => dnsPost(w, `/dns/${w.intruderZone}/records/00000000000000000000000000/delete`),
    echoed: (w) => [w.ownerRecordId, '00000000000000000000000000'],
    unchanged: (w) => dnsUnchanged(w)(),
  },
  {
    route: 'POST /dns/tsig/:id/revoke (panel)',
    theirs: (w) => dnsPost(w, `/dns/tsig/${w.ownerTsigId}/revoke`),
    missing: (w) => dnsPost(w, '/dns/tsig/00000000000000000000000000/revoke'),
    echoed: (w) => [w.ownerTsigId, '00000000000000000000000000'],
    unchanged: async (w) =>
      expect((await w.t.app.dns.tsig.list(w.owner.id))[0]!.revokedAt).toBeNull(),
  },
  {
    route: 'GET /pi/:name (panel)',
    theirs: (w) => w.intruder.get(`/pi/${w.ownerPi}`),
    missing: (w) => w.intruder.get('/pi/no-such-pi'),
    echoed: (w) => [w.ownerPi, 'no-such-pi'],
    unchanged: async () => undefined,
  },
  {
    route: 'GET /pi/:name/progress.json (panel)',
    theirs: (w) => w.intruder.get(`/pi/${w.ownerPi}/progress.json`),
    missing: (w) => w.intruder.get('/pi/no-such-pi/progress.json'),
    echoed: (w) => [w.ownerPi, 'no-such-pi'],
    unchanged: async () => undefined,
  },
  {
    route: 'POST /pi/:name/cancel (panel)',
    theirs: (w) =>
      w.intruder.post(`/pi/${w.ownerPi}/cancel`, { confirm: w.ownerPi }, { csrfFrom: '/pi' }),
    missing: (w) =>
      w.intruder.post('/pi/no-such-pi/cancel', { confirm: 'no-such-pi' }, { csrfFrom: '/pi' }),
    echoed: (w) => [w.ownerPi, 'no-such-pi'],
    unchanged: async (w) =>
      expect((await w.t.app.picloud.servers.get(w.owner.id, w.ownerPi)).status).toBe(
        'provisioning',
      ),
  },
  {
    route: 'POST /account/ssh-keys/:id/delete (panel)',
    theirs: (w) =>
      w.intruder.post(`/account/ssh-keys/${w.ownerSshKeyId}/delete`, {}, { csrfFrom: '/pi' }),
    missing: (w) =>
      w.intruder.post(
        '/account/ssh-keys/00000000000000000000000000/delete',
        {},
        { csrfFrom: '/pi' },
      ),
    echoed: (w) => [w.ownerSshKeyId, '00000000000000000000000000'],
    unchanged: async (w) =>
      expect((await w.t.app.picloud.keys.list(w.owner.id)).map((k) => k.id)).toEqual([
        w.ownerSshKeyId,
      ]),
  },
  {
    route: 'GET /beta/pi/servers/{identifier} (Pi API: 403, as the reference answers)',
    status: 403,
    theirs: (w) => w.intruderApi('GET', `/beta/pi/servers/${w.ownerPi}`),
    missing: (w) => w.intruderApi('GET', '/beta/pi/servers/no-such-pi'),
    echoed: (w) => [w.ownerPi, 'no-such-pi'],
    unchanged: async () => undefined,
  },
  {
    route: 'DELETE /beta/pi/servers/{identifier} (Pi API)',
    status: 403,
    theirs: (w) => w.intruderApi('DELETE', `/beta/pi/servers/${w.ownerPi}`),
    missing: (w) => w.intruderApi('DELETE', '/beta/pi/servers/no-such-pi'),
    echoed: (w) => [w.ownerPi, 'no-such-pi'],
    unchanged: async (w) =>
      expect((await w.t.app.picloud.servers.get(w.owner.id, w.ownerPi)).status).toBe(
        'provisioning',
      ),
  },
];

describe('tenancy', () => {
  const w = {} as World;
  beforeAll(async () => {
    w.t = await buildTestApp();
    const { app } = w.t;
    w.owner = await buildAccount(app);
    w.ownerKeyId = (await buildApiKey(app, w.owner)).key.id;
    w.ownerDomain = 'owned-by-someone.com';
    await app.domains.addToCart(w.owner.id, w.ownerDomain);
    w.ownerOrderId = (
      await app.domains.checkout(w.owner.id, { accountId: w.owner.id, ip: null, channel: 'panel' })
    ).id;
    await app.jobs.drain();
    w.ownerCartItemId = (await app.domains.addToCart(w.owner.id, 'still-in-cart.org')).id;
    const ownerActor = { accountId: w.owner.id, ip: null, channel: 'panel' as const };
    w.ownerZone = (
      await app.dns.zones.create(w.owner.id, 'owner-zone.org', 'dns-only', ownerActor)
    ).name;
    const ownerAccess = fullAccess(w.owner.id, ownerActor);
    const zone = await app.dns.zones.find(ownerAccess, w.ownerZone);
    const www = recordFromJson(
      { host: 'www', type: 'A', ttl: 300, data: '192.0.2.1' },
      'owner-zone.org.',
    );
    await app.dns.records.add(ownerAccess, zone, [www]);
    w.ownerRecordId = (await app.dns.records.list(ownerAccess, zone, everything)).find(
      (r) => r.origin === 'user',
    )!.id;
    w.ownerTsigId = (
      await app.dns.tsig.create(w.owner.id, { label: 'owner key' }, ownerActor)
    ).key.id;

    await app.picloud.start();
    const ownerKey =
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPCs/qR8hAQeQCiT9KpII9lLl5P7vmTdzvO5DweWKhS3 owner';
    w.ownerSshKeyId = (
      await app.picloud.keys.add(w.owner.id, ownerKey, 'owner', ownerActor)
    )[0]!.id;
    w.ownerPi = (
      await app.picloud.servers.order(
        w.owner.id,
        { name: 'owners-pi', keys: [ownerKey] },
        ownerActor,
      )
    ).server.name;

    // A customer's server backed up once (a small directory) and restore-tested once.
    const site = mkdtempSync(join(tmpdir(), 'tenancy-site-'));
    writeFileSync(join(site, 'index.html'), '<p>hi</p>');
    const cli = { accountId: null, ip: null, channel: 'cli' as const, isAdmin: true };
    w.ownerBackupTarget = (
      await app.backups.addTarget(
        {
          name: 'site',
          owner: { kind: 'server', accountId: w.owner.id, serverId: 'srv-1' },
          config: { kind: 'files', paths: [site] },
        },
        cli,
      )
    ).id;
    w.ownerBackupRun = (await app.backups.runNow(cli, w.ownerBackupTarget)).runId;
    await app.jobs.drain();
    w.ownerRestore = await app.backups.restoreTest(cli, w.ownerBackupTarget);
    await app.jobs.drain();
    rmSync(site, { recursive: true, force: true });

    const intruder = await buildAccount(app);
    w.intruderZone = (
      await app.dns.zones.create(intruder.id, 'intruder-zone.org', 'dns-only', {
        accountId: intruder.id,
        ip: null,
        channel: 'panel',
      })
    ).name;
    w.intruder = await loggedIn(app, intruder);
    const { key, secret } = await buildApiKey(app, intruder);
    const api = new ApiClient(app.api);
    w.intruderApi = (method, path) =>
      api.request(method, path, { headers: { authorization: basic(key.id, secret) } });
    const backupsKey = await buildApiKey(app, intruder, ['backups:rw']);
    w.intruderBackupsApi = (method, path, body) =>
      api.request(method, path, {
        headers: { authorization: basic(backupsKey.key.id, backupsKey.secret) },
        ...(body === undefined ? {} : { body }),
      });
  });
  afterAll(async () => {
    await w.t.app.backups.stop();
    await w.t.app.picloud.stop(0);
    await w.t.close();
  });

  it.each(cases.map((c) => [c.route, c] as const))(
    '%s: theirs answers like missing, and nothing changes',
    async (_, c) => {
      const theirs = await c.theirs(w);
      const missing = await c.missing(w);
      expect(theirs.status).toBe(c.status ?? 404);
      expect(gist(theirs, c.echoed(w))).toEqual(gist(missing, c.echoed(w)));
      await c.unchanged(w);
    },
  );

  it('lists none of the owner’s objects to the intruder', async () => {
    expect((await w.intruder.get('/domains')).text).not.toContain(w.ownerDomain);
    expect((await w.intruder.get('/backups')).text).not.toContain(w.ownerBackupTarget);
    expect(JSON.parse((await w.intruderBackupsApi('GET', '/beta/backups/targets')).text)).toEqual({
      targets: [],
    });
    expect((await w.intruder.get('/account/keys')).text).not.toContain(w.ownerKeyId);
    expect((await w.intruder.get('/cart')).text).not.toContain('still-in-cart.org');
    expect((await w.intruder.get('/dns')).text).not.toContain(w.ownerZone);
    const owners = await w.t.app.dns.tsig.list(w.owner.id);
    expect((await w.intruder.get('/dns/tsig')).text).not.toContain(owners[0]!.name);
    expect(JSON.parse((await w.intruderApi('GET', '/beta/domains')).text)).toEqual({ domains: [] });
  });
});
