// Backups in the panel and the API: a customer sees their target's runs and reports (WARN and
// ERROR lines included), starts runs and restores; a wrong confirmation is refused and changes
// nothing; the API needs a backups grant, and writes a read-write one.
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { buildAccount, buildApiKey, loggedIn } from '../fixtures/builders.js';
import { ApiClient, basic, type PanelClient } from '../support/clients.js';
import { missingTools } from '../support/tools.js';
import { backupsWorld, siteWithHistory, type BackupsWorld } from './support.js';

describe.skipIf(missingTools('tar', 'zstd').length > 0)('backups in the panel and the API', () => {
  let w: BackupsWorld;
  let customer: Account;
  let panel: PanelClient;
  let history: Awaited<ReturnType<typeof siteWithHistory>>;
  let api: (
    method: string,
    path: string,
    body?: unknown,
    key?: { id: string; secret: string },
  ) => ReturnType<ApiClient['request']>;
  let rw: { id: string; secret: string };

  beforeAll(async () => {
    w = await backupsWorld();
    customer = await buildAccount(w.app);
    history = await siteWithHistory(w, customer);
    panel = await loggedIn(w.app, customer);
    const client = new ApiClient(w.app.api);
    const made = await buildApiKey(w.app, customer, ['backups:rw']);
    rw = { id: made.key.id, secret: made.secret };
    api = (method, path, body, key = rw) =>
      client.request(method, path, {
        headers: { authorization: basic(key.id, key.secret), 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
  });
  afterAll(() => w?.close());

  it('shows the customer their target, its runs, and reports with WARN and ERROR lines', async () => {
    const list = await panel.get('/backups');
    expect(list.status).toBe(200);
    expect(list.text).toContain('site');
    expect(history.warned).toMatchObject({ status: 'good', level: 'WARN' });
    expect(history.failed).toMatchObject({ status: 'failed', level: 'ERROR' });
    const warned = await panel.get(`/backups/runs/${history.warned.id}`);
    expect(warned.text).toContain('has WARN lines');
    expect(warned.text).toMatch(/row count 4 is 40% of the recent median 10/);
    const failed = await panel.get(`/backups/runs/${history.failed.id}`);
    expect(failed.text).toContain('has ERROR lines');
    expect(failed.text).toContain('FAILED (ERROR)');
    expect(failed.text).not.toContain('Restore over the original'); // a failed run offers no restore
  });

  it('refuses an overwrite with the wrong phrase in the panel, changing nothing', async () => {
    const path = `/backups/runs/${history.warned.id}`;
    const reply = await panel.post(
      `${path}/restore`,
      { mode: 'overwrite', confirm: 'site please' },
      { csrfFrom: path },
    );
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('The confirmation does not match: type &quot;site&quot;');
    expect(await w.app.backups.listRestores(w.operator, 'site')).toEqual([]);
    expect(await w.app.jobs.drain()).toBe(0);
  });

  it('restores into a new directory from the panel, with the result on the restore page', async () => {
    const path = `/backups/runs/${history.warned.id}`;
    const into = join(w.dir, 'restored');
    const reply = await panel.post(`${path}/restore`, { mode: 'new', into }, { csrfFrom: path });
    expect(reply.status).toBe(303);
    await w.app.jobs.drain();
    const page = await panel.get(reply.location!);
    expect(page.text).toContain('Passed');
    expect(
      (await w.app.accounts.audit.list({ ownerAccountId: customer.id })).map((a) => a.action),
    ).toContain('backup.restore_requested');
  });

  it('lists, runs and reports through the API extension', async () => {
    const targets = JSON.parse((await api('GET', '/beta/backups/targets')).text) as {
      targets: { id: string; name: string }[];
    };
    expect(targets.targets.map((t) => t.name)).toEqual(['site']);
    const started = await api('POST', `/beta/backups/targets/${history.target.id}/runs`);
    expect(started.status).toBe(202);
    const { run_id } = JSON.parse(started.text) as { run_id: string };
    await w.app.jobs.drain();
    const run = JSON.parse((await api('GET', `/beta/backups/runs/${run_id}`)).text) as {
      status: string;
      report: unknown[];
    };
    expect(run.status).toBe('good');
    const report = await api('GET', `/beta/backups/runs/${history.failed.id}/report`);
    expect(report.headers.get('content-type')).toContain('text/plain');
    expect(report.text).toMatch(/^ERROR - /m);
    const wrong = await api('POST', `/beta/backups/runs/${run_id}/restore`, {
      mode: 'overwrite',
      confirm: 'nope',
    });
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.text)).toEqual({
      error: 'The confirmation does not match: type "site" to restore over the original',
    });
    const doc = JSON.parse((await api('GET', '/openapi.json')).text) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.paths['/beta/backups/targets']!.get!['x-bestiary-extension']).toBe(true);
  });

  it('lets an operator add a target for a customer and read the daily summary', async () => {
    const admin = await loggedIn(w.app, await buildAccount(w.app, { role: 'admin' }));
    const form = {
      name: 'shop-db',
      owner_kind: 'server',
      owner_email: customer.email,
      owner_ref: 'srv-9',
      kind: 'mysql',
      host: '10.0.0.5',
      port: '3306',
      user: 'backup',
      password: 'hunter2-hunter2',
      databases: 'shop, crm',
      ephemeral: '*.sessions',
      schedule: '0 2 * * *',
    };
    const bad = await admin.post(
      '/admin/backups/targets',
      { ...form, name: 'Shop DB', schedule: '0 25 * * *' },
      { csrfFrom: '/admin/backups' },
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('name: lower-case letters');
    expect(bad.text).toContain('hour: &quot;25&quot; is not between 0 and 23');
    expect(bad.text).not.toContain('hunter2');
    const added = await admin.post('/admin/backups/targets', form, { csrfFrom: '/admin/backups' });
    expect(added.status).toBe(303);
    // The password is sealed at rest: not in the config, and bound to the target's id.
    const { rows } = await sql<{
      config: string;
      secret: string;
    }>`select config, secret from backup_targets where name = 'shop-db'`.execute(w.app.db.kysely);
    expect(JSON.stringify(rows)).not.toContain('hunter2');
    expect(rows[0]!.secret).toMatch(/^bcred1\./);
    const page = await admin.get('/admin/backups');
    expect(page.text).toContain('MariaDB/MySQL 10.0.0.5:3306: shop, crm; ephemeral *.sessions');
    expect(page.text).toMatch(/ERROR - shop-db: no verified backup/);
    // The customer sees their new target, but not the operators' page.
    expect((await panel.get('/backups')).text).toContain('shop-db');
    expect((await panel.get('/admin/backups')).status).toBe(404);
  });

  it('needs a backups grant, and a read-write one to change anything', async () => {
    const ro = await buildApiKey(w.app, customer, ['backups:ro']);
    const dnsOnly = await buildApiKey(w.app, customer, ['dns:rw']);
    const roKey = { id: ro.key.id, secret: ro.secret };
    expect((await api('GET', '/beta/backups/targets', undefined, roKey)).status).toBe(200);
    expect(
      (await api('POST', `/beta/backups/targets/${history.target.id}/runs`, undefined, roKey))
        .status,
    ).toBe(403);
    expect(
      (
        await api('GET', '/beta/backups/targets', undefined, {
          id: dnsOnly.key.id,
          secret: dnsOnly.secret,
        })
      ).status,
    ).toBe(403);
  });
});
