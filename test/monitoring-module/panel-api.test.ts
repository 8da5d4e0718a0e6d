// Customers' and operators' checks through the panel and the API: validation, private targets
// refused, acknowledge and silence, push URLs, the public status page and the OpenAPI entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { buildAccount, buildApiKey, loggedIn } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import type { PanelClient } from '../support/clients.js';
import { ApiClient, basic } from '../support/clients.js';
import { actorFor, probe, waitFor } from './support.js';

/** The parts of API replies these tests read. */
interface Json {
  id: string;
  label: string;
  push_url: string;
  checks: Array<{ id: string }>;
  [k: string]: unknown;
}

describe('monitoring in the panel and the API', () => {
  let t: TestApp;
  let customer: Account;
  let admin: Account;
  let panel: PanelClient;
  let adminPanel: PanelClient;
  let api: (
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<{ status: number; json: Json }>;

  beforeAll(async () => {
    t = await buildTestApp();
    await t.app.monitoring.start();
    customer = await buildAccount(t.app);
    admin = await buildAccount(t.app, { role: 'admin' });
    panel = await loggedIn(t.app, customer);
    adminPanel = await loggedIn(t.app, admin);
    const { key, secret } = await buildApiKey(t.app, customer, ['monitoring:rw']);
    const client = new ApiClient(t.app.api);
    api = async (method, path, body) => {
      const r = await client.request(method, path, {
        headers: { authorization: basic(key.id, secret), 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: r.status, json: (r.text ? JSON.parse(r.text) : {}) as Json };
    };
  });
  afterAll(async () => {
    await t.app.monitoring.stop();
    await t.close();
  });

  it('refuses a customer’s check of a loopback address and adds nothing', async () => {
    const reply = await panel.post(
      '/monitoring/new',
      { type: 'tcp', name: 'sneaky', host: '127.0.0.1', port: '8080', enabled: 'on' },
      { csrfFrom: '/monitoring/new?type=tcp' },
    );
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('private or local address');
    expect(await t.app.monitoring.checks.list(actorFor(customer.id))).toHaveLength(0);
  });

  it('adds a customer’s check from the panel form and shows it on the dashboard and its page', async () => {
    const reply = await panel.post(
      '/monitoring/new',
      {
        type: 'http',
        name: 'shop front',
        url: 'https://192.0.2.10/',
        keyword: 'Welcome',
        verifyTls: 'on',
        enabled: 'on',
      },
      { csrfFrom: '/monitoring/new?type=http' },
    );
    expect(reply.status).toBe(303);
    const page = await panel.follow(reply);
    expect(page.text).toMatch(/shop front \[\d+-http\]/);
    expect(page.text).toContain('data-chart="/monitoring/checks/');
    expect(page.text).toContain('/vendor/uplot/uPlot.iife.min.js');
    const dash = await panel.get('/monitoring');
    expect(dash.text).toContain('shop front');
    const [row] = await t.app.monitoring.checks.list(actorFor(customer.id));
    const input = (await t.app.monitoring.checks.get(actorFor(customer.id), row!.id)).input;
    expect(input.params).toEqual({
      url: 'https://192.0.2.10/',
      keyword: 'Welcome',
      verifyTls: true,
    });
  });

  it('names every problem of a bad form and keeps what was typed', async () => {
    const reply = await panel.post(
      '/monitoring/new',
      { type: 'tcp', name: 'no port', host: '192.0.2.20', port: '99999', intervalSeconds: '5' },
      { csrfFrom: '/monitoring/new?type=tcp' },
    );
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('params.port');
    expect(reply.text).toContain('value="no port"');
  });

  it('lets an operator add a public provider check of a local service, shown on /status', async () => {
    const reply = await adminPanel.post(
      '/monitoring/new',
      {
        type: 'tcp',
        name: 'panel',
        host: '127.0.0.1',
        port: '1',
        enabled: 'on',
        public: 'on',
        provider: 'on',
      },
      { csrfFrom: '/monitoring/new?type=tcp' },
    );
    expect(reply.status).toBe(303);
    const status = await new (panel.constructor as typeof PanelClient)(t.app.panel).get('/status');
    expect(status.status).toBe(200);
    expect(status.text).toContain('panel');
    expect(status.text).not.toContain('shop front');
    expect(status.text).not.toContain('127.0.0.1');

    // Anyone may load it, so one answer serves everyone for 30 s: a new public check shows after.
    await t.app.monitoring.checks.create(
      actorFor(admin.id, true),
      { name: 'mail relay', type: 'tcp', params: { host: '127.0.0.1', port: 2 }, public: true },
      { provider: true },
    );
    const anyone = new (panel.constructor as typeof PanelClient)(t.app.panel);
    expect((await anyone.get('/status')).text).not.toContain('mail relay');
    t.clock.advance(31_000);
    expect((await anyone.get('/status')).text).toContain('mail relay');
  });

  it('acknowledges only a down check, and silences with a reason', async () => {
    const def = await t.app.monitoring.checks.create(
      actorFor(admin.id, true),
      {
        name: 'closed port',
        type: 'tcp',
        params: { host: '127.0.0.1', port: 1 },
        downRetries: 1,
      },
      { provider: true },
    );
    const base = `/monitoring/checks/${def.id}`;
    let page = await adminPanel.follow(
      await adminPanel.post(`${base}/acknowledge`, { comment: 'x' }, { csrfFrom: base }),
    );
    expect(page.text).toContain('is not down');
    await probe(t.app, t.clock, def.id);
    expect(t.app.monitoring.engine.state(def.id)?.hard).toBe('down');
    page = await adminPanel.follow(
      await adminPanel.post(`${base}/acknowledge`, { comment: 'on it' }, { csrfFrom: base }),
    );
    expect(page.text).toContain('Acknowledged by');
    page = await adminPanel.follow(
      await adminPanel.post(`${base}/silence`, { duration: '2h', reason: '' }, { csrfFrom: base }),
    );
    expect(page.text).toContain('Say why');
    page = await adminPanel.follow(
      await adminPanel.post(
        `${base}/silence`,
        { duration: '2h', reason: 'kernel upgrade' },
        { csrfFrom: base },
      ),
    );
    expect(page.text).toContain('Silenced by');
    expect(page.text).toContain('kernel upgrade');
    expect(t.app.monitoring.engine.state(def.id)?.silence?.reason).toBe('kernel upgrade');
  });

  it('creates, reads, changes and deletes a check through the API', async () => {
    const created = await api('POST', '/beta/monitoring/checks', {
      name: 'api check',
      type: 'ssh',
      params: { host: '192.0.2.30', pattern: '^SSH-2\\.0-OpenSSH_' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'api check',
      type: 'ssh',
      owner: 'account',
      status: 'unknown',
    });
    const id = created.json.id;
    expect((await api('GET', '/beta/monitoring/checks')).json.checks.map((c) => c.id)).toContain(
      id,
    );
    const changed = await api('PUT', `/beta/monitoring/checks/${id}`, {
      name: 'api check 2',
      type: 'ssh',
      params: { host: '192.0.2.31' },
    });
    expect(changed.status).toBe(200);
    expect(changed.json.label).toMatch(/^api check 2 \[\d+-ssh\]$/);
    const refused = await api('POST', '/beta/monitoring/checks', {
      name: 'x',
      type: 'tcp',
      params: { host: 'localhost', port: 22 },
    });
    expect(refused.status).toBe(400);
    expect((await api('DELETE', `/beta/monitoring/checks/${id}`)).status).toBe(204);
    expect((await api('GET', `/beta/monitoring/checks/${id}`)).status).toBe(404);
  });

  it('refuses a key without a monitoring grant', async () => {
    const { key, secret } = await buildApiKey(t.app, customer, ['dns:rw']);
    const r = await new ApiClient(t.app.api).request('GET', '/beta/monitoring/checks', {
      headers: { authorization: basic(key.id, secret) },
    });
    expect(r.status).toBe(403);
  });

  it('takes heartbeats at the push URL without a key, and a failed run turns the check down', async () => {
    const created = await api('POST', '/beta/monitoring/checks', {
      name: 'nightly job',
      type: 'push',
      params: { periodMs: 86_400_000, graceMs: 3_600_000 },
      downRetries: 1,
    });
    const url = new URL(created.json.push_url);
    const client = new ApiClient(t.app.api);
    expect((await client.request('GET', url.pathname)).status).toBe(200);
    const failed = await client.request('POST', `${url.pathname}/fail`, { body: 'disk full' });
    expect(failed.status).toBe(200);
    const id = created.json.id;
    await new Promise((r) => setTimeout(r, 300));
    expect(t.app.monitoring.engine.state(id)?.hard).toBe('down');
    expect(t.app.monitoring.engine.state(id)?.last?.message).toBe('disk full');
    expect((await client.request('GET', '/beta/monitoring/beat/nonsense')).status).toBe(404);
  });

  it('flags a run that finished too fast and a beat that came too early, at the push URL', async () => {
    const created = await api('POST', '/beta/monitoring/checks', {
      name: 'hourly sync',
      type: 'push',
      params: { periodMs: 3_600_000, graceMs: 600_000, earlyMs: 1_200_000, minRunMs: 120_000 },
      downRetries: 1,
    });
    const path = new URL(created.json.push_url).pathname;
    const client = new ApiClient(t.app.api);
    const id = created.json.id;
    const state = () => t.app.monitoring.engine.state(id);
    expect((await client.request('GET', `${path}/start`)).status).toBe(200);
    t.clock.advance(5_000);
    expect((await client.request('GET', path)).status).toBe(200);
    await waitFor(() => state()?.hard === 'down', 5_000, 'too fast');
    expect(state()?.last?.message).toBe('run took 5s, expected at least 2m (too fast)');

    t.clock.advance(3_600_000);
    await client.request('GET', `${path}/start`);
    t.clock.advance(300_000);
    await client.request('GET', path);
    await waitFor(() => state()?.hard === 'up', 5_000, 'a good run');
    t.clock.advance(1_800_000);
    await client.request('GET', path);
    await waitFor(() => state()?.hard === 'down', 5_000, 'too early');
    expect(state()?.last?.message).toBe('beat 30m early (too early)');
  });

  it('takes a pushed temperature at the metric URL and judges it against the threshold', async () => {
    const created = await api('POST', '/beta/monitoring/checks', {
      name: 'pi temperature',
      type: 'metric',
      params: { metric: 'temperature', unit: '°C', above: 70 },
      downRetries: 1,
    });
    expect(created.status).toBe(201);
    const path = new URL(created.json.push_url).pathname;
    expect(path).toMatch(/^\/beta\/monitoring\/metric\//);
    const client = new ApiClient(t.app.api);
    const id = created.json.id;
    const state = () => t.app.monitoring.engine.state(id);
    expect((await client.request('POST', path, { body: '75.5' })).status).toBe(200);
    await waitFor(() => state()?.hard === 'down', 5_000, 'too hot');
    expect(state()?.last?.message).toBe('temperature 75.5 °C above 70');
    expect((await client.request('GET', `${path}?value=48`)).status).toBe(200);
    await waitFor(() => state()?.hard === 'up', 5_000, 'cool again');
    expect((await client.request('GET', `${path}?value=hot`)).status).toBe(400);
    expect((await client.request('GET', '/beta/monitoring/metric/nonsense?value=1')).status).toBe(
      404,
    );
  });

  it('acknowledges and silences through the API, naming who', async () => {
    const created = await api('POST', '/beta/monitoring/checks', {
      name: 'api job',
      type: 'push',
      params: { periodMs: 86_400_000, graceMs: 3_600_000 },
      downRetries: 1,
    });
    const id = created.json.id;
    const refused = await api('POST', `/beta/monitoring/checks/${id}/acknowledge`, {
      comment: 'x',
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('is not down');
    const path = new URL(created.json.push_url).pathname;
    await new ApiClient(t.app.api).request('POST', `${path}/fail`, { body: 'disk full' });
    await waitFor(() => t.app.monitoring.engine.state(id)?.hard === 'down', 5_000, 'down');
    const acked = await api('POST', `/beta/monitoring/checks/${id}/acknowledge`, {
      comment: 'on it',
    });
    expect(acked.status).toBe(200);
    expect(t.app.monitoring.engine.state(id)?.ack).toMatchObject({
      by: `${customer.email} (API)`,
      comment: 'on it',
    });
    const silenced = await api('POST', `/beta/monitoring/checks/${id}/silence`, {
      duration: '3h',
      reason: 'moving racks',
    });
    expect(silenced.status).toBe(200);
    expect(t.app.monitoring.engine.state(id)?.silence).toMatchObject({
      reason: 'moving racks',
      until: t.clock.now() + 3 * 3_600_000,
    });
    expect((await api('DELETE', `/beta/monitoring/checks/${id}/silence`)).status).toBe(200);
    expect(t.app.monitoring.engine.state(id)?.silence ?? null).toBeNull();
  });

  it('documents the API as a Bestiary extension', async () => {
    const doc = JSON.parse(
      (await new ApiClient(t.app.api).request('GET', '/openapi.json')).text,
    ) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.paths['/beta/monitoring/checks']?.post?.['x-bestiary-extension']).toBe(true);
  });

  it('exposes every check and the scheduler on the /metrics endpoint', async () => {
    const def = await t.app.monitoring.checks.create(
      actorFor(admin.id, true),
      { name: 'metrics port', type: 'tcp', params: { host: '127.0.0.1', port: 1 }, downRetries: 1 },
      { provider: true },
    );
    await probe(t.app, t.clock, def.id);
    const reply = await new ApiClient(t.app.api).request('GET', '/metrics');
    expect(reply.status).toBe(200);
    const text = reply.text;
    // Every check has its state, named so a dashboard can show the label, not only the id.
    for (const c of await t.app.monitoring.checks.list(actorFor(admin.id, true)))
      expect(text).toContain(`bestiary_monitoring_check_up{check="${c.id}"`);
    expect(text).toMatch(
      new RegExp(`bestiary_monitoring_check_up\\{check="${def.id}"[^}]*\\} 0\\n`),
    );
    expect(text).toMatch(
      new RegExp(
        `bestiary_monitoring_check_info\\{check="${def.id}",ref="${def.ref}",name="metrics port",type="tcp"\\} 1`,
      ),
    );
    // The scheduler itself: lag, queue length, how many run, what was missed.
    for (const name of [
      'bestiary_monitoring_schedule_lag_seconds_bucket',
      'bestiary_monitoring_queue_length',
      'bestiary_monitoring_running',
      'bestiary_monitoring_missed_runs_total',
    ])
      expect(text).toMatch(new RegExp(`^${name}(\\{[^}]*\\})? \\d`, 'm'));
    // Not for anyone on the internet.
    const outside = new ApiClient(t.app.api);
    outside.ip = '203.0.113.9';
    expect((await outside.request('GET', '/metrics')).status).toBe(403);
  });
});
