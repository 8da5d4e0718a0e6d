// The Pi Provisioning API as hostedpi and the Go client drive it (apis.md §4, §7.5): exact
// requests, the 202 + absolute Location + 303 queue dance, every server-info field, error shapes,
// and a second account that is answered exactly as for a server that does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { buildAccount, buildApiKey } from '../fixtures/builders.js';
import type { Reply } from '../support/clients.js';
import { ApiClient } from '../support/clients.js';
import { missingTools } from '../support/tools.js';
import { keyPair, ssh, startPiApp } from './support.js';

const missing = missingTools('ssh', 'ssh-keygen');
const api = 'http://localhost:8081';
const body = (r: Reply) => JSON.parse(r.text) as Record<string, unknown>;

describe.skipIf(missing.length > 0)('the Pi Provisioning API', () => {
  let t: Awaited<ReturnType<typeof startPiApp>>;
  let owner: Account;
  let call: (method: string, path: string, json?: unknown) => Promise<Reply>;
  let intruder: (method: string, path: string, json?: unknown) => Promise<Reply>;
  let keys: { file: string; pub: string }[];

  const client = async (account: Account, scope: string[]) => {
    const { key, secret } = await buildApiKey(t.app, account, scope);
    const c = new ApiClient(t.app.api);
    const token = await c.token(key.id, secret);
    return (method: string, path: string, json?: unknown) =>
      c.request(method, path.replace(api, ''), {
        headers: {
          authorization: `Bearer ${token}`,
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
  };

  /** Poll the queue as hostedpi does (drain stands in for its 5 s sleeps) until it answers 303. */
  async function untilDone(location: string): Promise<Reply> {
    for (let i = 0; i < 200; i++) {
      const r = await call('GET', location);
      if (r.status !== 200) return r;
      await t.app.picloud.drain();
    }
    throw new Error('the queue never finished');
  }

  beforeAll(async () => {
    t = await startPiApp();
    owner = await buildAccount(t.app);
    call = await client(owner, ['pi:rw']);
    intruder = await client(await buildAccount(t.app), ['pi:rw']);
    keys = [await keyPair(), await keyPair(undefined, 'second')];
  });
  afterAll(() => t.close());

  it('provisions with hostedpi 0.2.0’s exact request and answers the queue with 303', async () => {
    expect(body(await call('GET', '/beta/pi/servers'))).toEqual({ servers: {} });
    expect(body(await call('GET', '/beta/pi/images/3'))).toMatchObject({
      'rpi-bookworm-arm64': 'Raspberry Pi OS Bookworm (64 bit)',
    });
    const create = await call('POST', '/beta/pi/servers/newpi', {
      disk: 10,
      model: '3',
      os_image: 'rpi-bookworm-arm64',
      ssh_key: keys.map((k) => k.pub).join('\r\n'),
    });
    expect(create.status).toBe(202);
    expect(create.location).toMatch(/^http:\/\/localhost:8081\/beta\/queue\/pi\/\w+$/);
    const queued = await call('GET', create.location!);
    expect(queued.status).toBe(200);
    expect(Object.keys(body(queued))).toEqual(['status']);
    const early = await call('GET', '/beta/pi/servers/newpi');
    expect([early.status, early.text]).toEqual([
      409,
      '{"error":"Server is not fully provisioned"}\n',
    ]);
    const done = await untilDone(create.location!);
    expect(done.status).toBe(303);
    expect(done.location).toBe('http://localhost:8081/beta/pi/servers/newpi');
  });

  it('gives every server-info field clients read, in the reference’s forms', async () => {
    const info = body(await call('GET', '/beta/pi/servers/newpi'));
    expect(info).toEqual({
      ip: expect.stringMatching(/^([0-9a-f]{4}:){7}[0-9a-f]{4}$/) as unknown,
      ip_routed: expect.stringMatching(/^([0-9a-f]{4}:){7}0000\/64$/) as unknown,
      ssh_port: expect.any(Number) as unknown,
      disk_size: '10.00',
      initialised_keys: true,
      initialized_keys: true,
      location: 'MER',
      power: true,
      model: 3,
      model_full: '3B',
      memory: 1024,
      cpu_speed: 1200,
      nic_speed: 100,
      is_booting: false,
      boot_progress: null,
      status: 'live',
    });
    expect(body(await call('GET', '/beta/pi/servers'))).toEqual({
      servers: { newpi: { model: 3, memory: 1024, cpu_speed: 1200 } },
    });
    const file = body(await call('GET', '/beta/pi/servers/newpi/ssh-key')).ssh_key as string;
    expect(file.split('\n').filter(Boolean)).toEqual(keys.map((k) => k.pub));
    const login = await ssh(keys[1]!.file, info.ssh_port as number, 'uname -m; hostname');
    expect(login.stdout).toBe('aarch64\nnewpi\n');
  });

  it('powers off and on, reboots, and answers 409 to a second reboot meanwhile', async () => {
    expect((await call('PUT', '/beta/pi/servers/newpi/power', { power: false })).status).toBe(200);
    await t.app.picloud.drain();
    expect(body(await call('GET', '/beta/pi/servers/newpi')).power).toBe(false);
    expect((await call('PUT', '/beta/pi/servers/newpi/power', { power: 'yes' })).status).toBe(400);
    expect((await call('PUT', '/beta/pi/servers/newpi/power', { power: true })).status).toBe(200);
    const booting = body(await call('GET', '/beta/pi/servers/newpi'));
    expect(booting.is_booting).toBe(true);
    expect(typeof booting.boot_progress).toBe('string');
    await t.app.picloud.drain();
    expect((await call('POST', '/beta/pi/servers/newpi/reboot')).status).toBe(200);
    const again = await call('POST', '/beta/pi/servers/newpi/reboot');
    expect(again.status).toBe(409);
    expect(body(again).error).toMatch(/reboot in progress/);
    await t.app.picloud.drain();
    expect(body(await call('GET', '/beta/pi/servers/newpi'))).toMatchObject({
      power: true,
      is_booting: false,
    });
  });

  it('replaces keys with PUT ssh-key, "\\r\\n" meaning none (hostedpi 0.2.0)', async () => {
    const put = await call('PUT', '/beta/pi/servers/newpi/ssh-key', { ssh_key: keys[0]!.pub });
    expect(body(put)).toEqual({ ssh_key: `${keys[0]!.pub}\n` });
    const port = body(await call('GET', '/beta/pi/servers/newpi')).ssh_port as number;
    expect((await ssh(keys[1]!.file, port, 'true')).code).not.toBe(0);
    expect((await ssh(keys[0]!.file, port, 'true')).code).toBe(0);
    const none = await call('PUT', '/beta/pi/servers/newpi/ssh-key', { ssh_key: '\r\n' });
    expect(body(none)).toEqual({ ssh_key: '' });
    expect(body(await call('GET', '/beta/pi/servers/newpi')).initialised_keys).toBe(false);
    const bad = await call('PUT', '/beta/pi/servers/newpi/ssh-key', {
      ssh_key: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n',
    });
    expect([bad.status, body(bad).error]).toEqual([400, expect.stringMatching(/PRIVATE key/)]);
    await call('PUT', '/beta/pi/servers/newpi/ssh-key', { ssh_key: keys[0]!.pub });
  });

  it('re-images (the Bestiary extension): the queue dance again, and a written file is gone', async () => {
    const port = body(await call('GET', '/beta/pi/servers/newpi')).ssh_port as number;
    expect((await ssh(keys[0]!.file, port, 'echo mine > /root/file')).code).toBe(0);
    const r = await call('POST', '/beta/pi/servers/newpi/reimage', {
      os_image: 'ubuntu-noble-arm64',
    });
    expect(r.status).toBe(202);
    expect((await untilDone(r.location!)).status).toBe(303);
    const after = body(await call('GET', '/beta/pi/servers/newpi'));
    const out = await ssh(keys[0]!.file, after.ssh_port as number, 'ls /root; cat /etc/hostname');
    expect(out.stdout).not.toContain('file');
    expect(out.stdout).toContain('newpi');
    const openapi = JSON.parse((await call('GET', '/openapi.json')).text) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(
      openapi.paths['/beta/pi/servers/{identifier}/reimage']!.post!['x-bestiary-extension'],
    ).toBe(true);
    expect(openapi.paths['/beta/queue/pi/{task}']!.get).toBeDefined();
  });

  it('answers a second account exactly as for a server that does not exist, and changes nothing', async () => {
    const before = body(await call('GET', '/beta/pi/servers/newpi'));
    const attempts: [string, string, unknown?][] = [
      ['GET', ''],
      ['DELETE', ''],
      ['GET', '/ssh-key'],
      ['PUT', '/ssh-key', { ssh_key: keys[1]!.pub }],
      ['PUT', '/power', { power: false }],
      ['POST', '/reboot'],
      ['POST', '/reimage', {}],
    ];
    for (const [method, tail, json] of attempts) {
      const theirs = await intruder(method, `/beta/pi/servers/newpi${tail}`, json);
      const none = await intruder(method, `/beta/pi/servers/nosuchpi${tail}`, json);
      expect([theirs.status, theirs.text], `${method} ${tail}`).toEqual([
        403,
        '{"error":"Not authorised"}\n',
      ]);
      expect([none.status, none.text]).toEqual([theirs.status, theirs.text]);
    }
    expect(body(await intruder('GET', '/beta/pi/servers'))).toEqual({ servers: {} });
    expect(body(await call('GET', '/beta/pi/servers/newpi'))).toEqual(before);
    const theirTask = await call('POST', '/beta/pi/servers/newpi/reboot');
    await t.app.picloud.drain();
    expect(theirTask.status).toBe(200);
  });

  it('chooses a name, finds the lowest spec, and refuses bad input with 400, 409 and 503', async () => {
    const auto = await call('POST', '/beta/pi/servers', {
      model: 4,
      memory: 8192,
      cpu_speed: 2000,
    });
    expect(auto.status).toBe(202);
    const done = await untilDone(auto.location!);
    const name = done.location!.split('/').pop()!;
    expect(body(await call('GET', `/beta/pi/servers/${name}`))).toMatchObject({
      model: 4,
      model_full: '4B',
      memory: 8192,
      cpu_speed: 2000,
      nic_speed: 1000,
    });
    const none = await call('POST', '/beta/pi/servers/another', {
      model: 4,
      memory: 8192,
      cpu_speed: 2000,
    });
    expect([none.status, none.text]).toEqual([
      503,
      '{"error":"We do not have any servers of the specified type available"}\n',
    ]);
    expect(body(await call('POST', '/beta/pi/servers/x', { model: 5 }))).toEqual({
      error: 'Invalid model number',
    });
    expect((await call('POST', '/beta/pi/servers/x', { disk: 15 })).status).toBe(400);
    expect((await call('POST', '/beta/pi/servers/Bad_Name', {})).status).toBe(400);
    expect((await call('POST', '/beta/pi/servers/x', { os_image: 'nope' })).status).toBe(400);
    const taken = await call('POST', '/beta/pi/servers/newpi', {});
    expect([taken.status, body(taken).error]).toEqual([409, expect.stringMatching(/in use/)]);
    const models = body(await call('GET', '/beta/pi/models')).models as object[];
    expect(models).toContainEqual({ model: 3, memory: 1024, cpu_speed: 1200, nic_speed: 100 });
    expect(models).toContainEqual({ model: 4, memory: 8192, cpu_speed: 2000, nic_speed: 1000 });
    expect((await call('GET', '/beta/pi/images/9')).status).toBe(400);
  });

  it('needs a key with write access to the Pi API for changes', async () => {
    const readOnly = await client(owner, ['pi:ro']);
    expect((await readOnly('GET', '/beta/pi/servers')).status).toBe(200);
    const r = await readOnly('POST', '/beta/pi/servers/ro', {});
    expect([r.status, r.text]).toEqual([403, '{"error":"Not authorised"}\n']);
    const dnsOnly = await client(owner, ['dns:rw']);
    expect((await dnsOnly('GET', '/beta/pi/servers')).status).toBe(403);
  });

  it('cancels with DELETE: 200, then the server is gone and its Pi back in the pool', async () => {
    const del = await call('DELETE', '/beta/pi/servers/newpi');
    expect([del.status, del.text]).toEqual([200, '{}\n']);
    expect((await call('GET', '/beta/pi/servers/newpi')).status).toBe(403);
    await t.app.picloud.drain();
    const free = await t.app.picloud.fleet.hosts({ state: 'ready' });
    expect(free.every((h) => h.server_id === null)).toBe(true);
    expect(
      Object.keys(body(await call('GET', '/beta/pi/servers')).servers as object),
    ).not.toContain('newpi');
  });
});
