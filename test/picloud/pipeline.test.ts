// The provisioning pipeline through the module's door: order to live with its addresses and DNS
// names, keys on the Pi, reboot, power, re-image with a receipt, cancel back to the pool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { cliActor } from '../../src/core/actor.js';
import { buildAccount } from '../fixtures/builders.js';
import { missingTools } from '../support/tools.js';
import { keyPair, settle, ssh, startPiApp } from './support.js';

const missing = missingTools('ssh', 'ssh-keygen');

describe.skipIf(missing.length > 0)('the Pi pipeline', () => {
  let t: Awaited<ReturnType<typeof startPiApp>>;
  let customer: Account;
  let key: { file: string; pub: string };
  const actor = () => ({ ...cliActor, accountId: customer.id, channel: 'panel' as const });

  beforeAll(async () => {
    t = await startPiApp();
    customer = await buildAccount(t.app);
    key = await keyPair();
  });
  afterAll(() => t.close());

  it('orders the lowest free Pi 3, boots it to live, and gives it addresses and DNS names', async () => {
    const { server } = await t.app.picloud.servers.order(
      customer.id,
      { name: 'first', keys: [key.pub] },
      actor(),
    );
    expect(server.status).toBe('provisioning');
    expect(server.model).toBe('3B');
    const v = await settle(t.app, customer.id, 'first');
    expect(v.status).toBe('live');
    expect(v.power).toBe(true);
    expect(v.ipv6).toMatch(/^2001:0db8:8000:[0-9a-f]{4}:0000:0000:0000:0001$/);
    const aaaa = t.app.dns.server.lookup('first.hostedpi.bestiary.example.', 28).answer;
    expect(aaaa.map((r) => Buffer.from(r.rdata).toString('hex'))).toEqual([
      v.ipv6.replace(/:/g, ''),
    ]);
    const a = t.app.dns.server.lookup('ssh.first.hostedpi.bestiary.example.', 1).answer;
    expect(a.map((r) => [...r.rdata].join('.'))).toEqual(['127.0.0.1']);
    const out = await ssh(key.file, v.sshPort, 'hostname; cat /root/.ssh/authorized_keys');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('first');
    expect(out.stdout).toContain(key.pub.split(' ')[1]);
  });

  it('keeps files across a reboot and a power cycle, and tells the API it is booting meanwhile', async () => {
    const v = await t.app.picloud.servers.get(customer.id, 'first');
    expect((await ssh(key.file, v.sshPort, 'echo kept > /root/note')).code).toBe(0);
    await t.app.picloud.servers.reboot(customer.id, 'first', actor());
    const booting = await t.app.picloud.servers.get(customer.id, 'first');
    expect(booting.isBooting).toBe(true);
    await expect(t.app.picloud.servers.reboot(customer.id, 'first', actor())).rejects.toThrow(
      /busy \(reboot in progress\)/,
    );
    const after = await settle(t.app, customer.id, 'first');
    expect((await ssh(key.file, after.sshPort, 'cat /root/note')).stdout).toBe('kept\n');

    await t.app.picloud.servers.power(customer.id, 'first', false, actor());
    const off = await settle(t.app, customer.id, 'first');
    expect(off.power).toBe(false);
    expect(await t.app.picloud.servers.temperature(customer.id, 'first')).toBeNull();
    expect((await ssh(key.file, after.sshPort, 'true')).code).not.toBe(0);
    await t.app.picloud.servers.power(customer.id, 'first', true, actor());
    const on = await settle(t.app, customer.id, 'first');
    expect(on.power).toBe(true);
    expect(await t.app.picloud.servers.temperature(customer.id, 'first')).toBeGreaterThan(30);
    const temps = await t.app.picloud.fleet.temperatures();
    expect(temps.map((x) => x.serverId)).toEqual([on.id]);
    expect((await ssh(key.file, on.sshPort, 'cat /root/note')).stdout).toBe('kept\n');
  });

  it('replaces the keys on the Pi itself: the old key no longer logs in', async () => {
    const other = await keyPair(undefined, 'other');
    await t.app.picloud.servers.replaceKeys(customer.id, 'first', [other.pub], actor());
    const v = await t.app.picloud.servers.get(customer.id, 'first');
    expect(
      (await ssh(other.file, v.sshPort, 'cat /home/pi/.ssh/authorized_keys')).stdout,
    ).toContain(other.pub.split(' ')[1]);
    expect((await ssh(key.file, v.sshPort, 'true')).code).not.toBe(0);
    await t.app.picloud.servers.replaceKeys(customer.id, 'first', [key.pub], actor());
  });

  it('re-images to another image: the old files are gone, and a receipt says so', async () => {
    const v = await t.app.picloud.servers.get(customer.id, 'first');
    const task = await t.app.picloud.servers.reimage(
      customer.id,
      'first',
      { image: 'ubuntu-noble-arm64' },
      actor(),
    );
    expect((await t.app.picloud.servers.get(customer.id, 'first')).status).toBe('installing');
    const after = await settle(t.app, customer.id, 'first');
    expect(after.image).toBe('ubuntu-noble-arm64');
    const out = await ssh(key.file, after.sshPort, 'cat /root/note; cat /etc/os-release', 'ubuntu');
    expect(out.stdout).toContain('Ubuntu');
    expect(out.stdout).not.toContain('kept');
    const receipt = (await t.app.picloud.servers.tasks(customer.id, 'first')).find(
      (x) => x.id === task.id,
    )!.result!;
    expect(receipt.previousImage).toBe(v.image);
    expect(receipt.previousBytesWritten).toBeGreaterThan(0);
    expect(receipt.newImage).toBe('ubuntu-noble-arm64');
    expect(String(receipt.statement)).toMatch(/was deleted/);
    const audit = await t.app.accounts.audit.list({ ownerAccountId: customer.id });
    expect(audit.map((e) => e.action)).toContain('pi.reimaged');
  });

  it('cancels: the name and DNS names go at once, the data is destroyed, the Pi is ready again', async () => {
    const v = await t.app.picloud.servers.get(customer.id, 'first');
    const host = await t.app.picloud.fleet.host(await piOf('first'));
    await t.app.picloud.servers.cancel(customer.id, 'first', actor());
    await expect(t.app.picloud.servers.get(customer.id, 'first')).rejects.toThrow(/not found/);
    expect(t.app.dns.server.lookup('first.hostedpi.bestiary.example.', 28).answer).toEqual([]);
    await t.app.picloud.drain();
    const back = await t.app.picloud.fleet.host(host.id);
    expect(back.state).toBe('ready');
    expect(back.server_id).toBeNull();
    expect((await ssh(key.file, v.sshPort, 'true')).code).not.toBe(0);
  });

  it('gives the lowest free spec that matches, and answers out of stock when none is free', async () => {
    const four = await t.app.picloud.servers.order(customer.id, { model: 4, keys: [] }, actor());
    expect([four.server.model, four.server.memoryMb, four.server.cpuMhz]).toEqual([
      '4B',
      4096,
      1500,
    ]);
    const big = await t.app.picloud.servers.order(
      customer.id,
      { model: 4, memoryMb: 8192, cpuMhz: 2000, keys: [] },
      actor(),
    );
    expect(big.server.cpuMhz).toBe(2000);
    await expect(
      t.app.picloud.servers.order(
        customer.id,
        { model: 4, memoryMb: 8192, cpuMhz: 2000, keys: [] },
        actor(),
      ),
    ).rejects.toThrow('We do not have any servers of the specified type available');
    await expect(
      t.app.picloud.servers.order(customer.id, { name: four.server.name, keys: [] }, actor()),
    ).rejects.toThrow(/already in use/);
    await t.app.picloud.drain();
  });

  async function piOf(name: string) {
    const hosts = await t.app.picloud.fleet.hosts();
    const v = await t.app.picloud.servers.get(customer.id, name);
    return hosts.find((h) => h.server_id === v.id)!.id;
  }
});
