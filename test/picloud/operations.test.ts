// The panel's SSH keys page (clear refusals, fingerprints, delete), the operators' fleet pages
// (enrol, service, maintenance, images) and `npx bestiary pi …` against a data directory.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { runPiCli } from '../../src/picloud/index.js';
import { buildAccount, loggedIn } from '../fixtures/builders.js';
import type { PanelClient } from '../support/clients.js';
import { missingTools } from '../support/tools.js';
import { keyPair, startPiApp } from './support.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

describe.skipIf(missingTools('ssh-keygen').length > 0)('Pi cloud operations', () => {
  let t: Awaited<ReturnType<typeof startPiApp>>;
  let customer: Account;
  let panel: PanelClient;
  let admin: PanelClient;
  let dir: string;

  beforeAll(async () => {
    t = await startPiApp();
    customer = await buildAccount(t.app);
    panel = await loggedIn(t.app, customer);
    const operator = await buildAccount(t.app, { role: 'admin' });
    admin = await loggedIn(t.app, operator);
    dir = mkdtempSync(join(tmpdir(), 'pi-ops-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const addKey = (key: string, label = '') =>
    panel.post('/account/ssh-keys', { key, label }, { csrfFrom: '/account/ssh-keys' });

  it('adds a pasted key with its SHA256 fingerprint as ssh-keygen prints it, and deletes it', async () => {
    const { file, pub } = await keyPair(dir);
    const added = await panel.follow(await addKey(pub, 'laptop'));
    const { stdout } = await run('ssh-keygen', ['-lf', `${file}.pub`]);
    expect(added.text).toContain(stdout.split(' ')[1]!);
    expect(added.text).toContain('laptop');
    const [saved] = await t.app.picloud.keys.list(customer.id);
    const gone = await panel.follow(
      await panel.post(
        `/account/ssh-keys/${saved!.id}/delete`,
        {},
        { csrfFrom: '/account/ssh-keys' },
      ),
    );
    expect(gone.text).toContain('Key deleted.');
    expect(await t.app.picloud.keys.list(customer.id)).toEqual([]);
  });

  it.each([
    [
      'a private key',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n-----END OPENSSH PRIVATE KEY-----',
      'This looks like a PRIVATE key',
    ],
    ['junk', 'hello there', 'This is not an OpenSSH public key'],
    [
      'a short RSA key',
      'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDcno4VKwUho3d9UuqNRe3W4owZcoDywBwWf8r+z6Ynf8FDZUE+iMKH8VR8r99kP12DyY9fj4BQ1H54hjFXm8SM6aXIbjdCpZqhLP34nC7bQjXlNHPHc9MKRqTXvnnw3ANhsEYqGYk1wVHaQebqi+5CKqrU8otAjKQzwqlVBl4gCw== short',
      'at least 2048 are required',
    ],
  ])('refuses %s with a clear message and saves nothing', async (_, text, message) => {
    const reply = await addKey(text);
    expect(reply.status).toBe(400);
    expect(reply.text).toContain(message);
    expect(reply.text).not.toContain('b3BlbnNzaC1rZXktdjE');
    expect(await t.app.picloud.keys.list(customer.id)).toEqual([]);
  });

  it('shows the fleet by site and state to operators only', async () => {
    expect((await panel.get('/admin/pi')).status).toBe(404);
    const page = await admin.get('/admin/pi');
    expect(page.status).toBe(200);
    expect(page.text).toContain('By site and state');
    expect(page.text).toMatch(/<th scope="row">MER<\/th>/);
    const ready = await admin.get('/admin/pi?site=MER&state=ready');
    expect(ready.text.match(/<td>5eed/g)?.length).toBe(12);
  });

  it('enrols a Pi from the panel and puts it into service; maintenance takes it out', async () => {
    const reply = await admin.post(
      '/admin/pi/enrol',
      {
        serial: '1A2B3C4D',
        mac: 'DC-A6-32-01-02-03',
        model: '4B',
        memory: '8192',
        site: 'MER',
        switch: 'poe1',
        port: '40',
      },
      { csrfFrom: '/admin/pi' },
    );
    expect((await admin.follow(reply)).text).toContain('Pi 1a2b3c4d enrolled');
    expect((await t.app.picloud.fleet.host('1a2b3c4d')).state).toBe('new');
    await t.app.picloud.drain();
    const host = await t.app.picloud.fleet.host('1a2b3c4d');
    expect([host.state, host.mac, host.memory_mb, host.port]).toEqual([
      'ready',
      'dc:a6:32:01:02:03',
      8192,
      40,
    ]);
    const clash = await admin.post(
      '/admin/pi/enrol',
      {
        serial: '99999999',
        mac: 'dc:a6:32:09:09:09',
        model: '4B',
        site: 'MER',
        switch: 'poe1',
        port: '40',
      },
      { csrfFrom: '/admin/pi' },
    );
    expect((await admin.follow(clash)).text).toContain(
      'That switch port already powers another Pi.',
    );
    await admin.post('/admin/pi/hosts/1a2b3c4d/maintenance', {}, { csrfFrom: '/admin/pi' });
    expect((await t.app.picloud.fleet.host('1a2b3c4d')).state).toBe('maintenance');
    const page = await admin.get('/admin/pi?state=maintenance');
    expect(page.text).toContain('1a2b3c4d');
  });

  it('retires an image: it is no longer offered, and a model loses it as default', async () => {
    await admin.post(
      '/admin/pi/images/raspbian-stretch-armhf/retire',
      {},
      { csrfFrom: '/admin/pi' },
    );
    const offered = await t.app.picloud.catalogue.imagesFor('1B');
    expect(offered).toEqual([]);
    await expect(
      t.app.picloud.servers.order(
        customer.id,
        { model: 1, keys: [] },
        { accountId: customer.id, ip: null, channel: 'panel' },
      ),
    ).rejects.toThrow(/no default image for a Pi 1B/);
  });

  it('enrols and lists Pis with npx bestiary pi', async () => {
    const bestiary = (...args: string[]) =>
      run(join(root, 'bin/bestiary.mjs'), args, {
        cwd: root,
        env: { ...process.env, BESTIARY_DATA_DIR: join(dir, 'data'), BESTIARY_LOG_LEVEL: 'silent' },
      });
    expect((await bestiary('pi', 'site', 'add', 'lon', '--name', 'London')).stdout).toBe(
      'Site LON added.\n',
    );
    const enrol = await bestiary(
      'pi',
      'enrol',
      '--serial',
      'abcdef12',
      '--mac',
      'b8:27:eb:aa:bb:cc',
      '--model',
      '3B+',
      '--site',
      'LON',
    );
    expect(enrol.stdout).toContain('Enrolled Pi abcdef12 (3B+) at LON, slot 1.');
    const list = await bestiary('pi', 'list', '--site', 'LON');
    expect(list.stdout.trim().split('\t')).toEqual([
      'LON',
      'abcdef12',
      'b8:27:eb:aa:bb:cc',
      '3B+',
      '1024MB',
      'slot 1',
      'new',
    ]);
    const out: string[] = [];
    await expect(
      runPiCli(
        t.app.picloud.fleet,
        ['enrol', '--serial', 'nothex', '--mac', 'x', '--model', '5', '--site', 'LON'],
        (l) => out.push(l),
      ),
    ).rejects.toMatchObject({
      details: [
        expect.stringMatching(/8 hexadecimal digits/),
        expect.stringMatching(/MAC address/),
        expect.stringMatching(/model must be one of/),
        'There is no site LON.',
      ] as unknown,
    });
  });
});
