// Every injected hardware fault ends in the right state within its timeouts: a step that times
// out is retried with a power cycle at most twice, then the Pi is broken and the customer told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { cliActor } from '../../src/core/actor.js';
import type { EventMap } from '../../src/core/events.js';
import { buildAccount } from '../fixtures/builders.js';
import { piConfig, settle, startPiApp, testTimeoutSeconds } from './support.js';

type Fault = 'no-dhcp' | 'missing-boot-file' | 'stalled-transfer' | 'ssh-never-up' | 'power-error';

describe('injected faults', () => {
  let t: Awaited<ReturnType<typeof startPiApp>>;
  let customer: Account;
  const broken: EventMap['pi.broken'][] = [];
  const actor = () => ({ ...cliActor, accountId: customer.id, channel: 'api' as const });
  /** Three boots (the first and two power cycles), each allowed one phase timeout. */
  const budget = 3 * testTimeoutSeconds * 1000;

  beforeAll(async () => {
    t = await startPiApp({ config: piConfig({}, { seedPis: 36 }) });
    customer = await buildAccount(t.app);
    t.app.events.on('pi.broken', (e) => void broken.push(e));
  });
  afterAll(() => t.close());

  /** Order a Pi, inject the fault into the Pi it got before it boots, and run the pipeline. */
  async function orderWith(name: string, fault: Fault, times?: number) {
    const { server, task } = await t.app.picloud.servers.order(
      customer.id,
      { name, keys: [] },
      actor(),
    );
    const host = (await t.app.picloud.fleet.hosts()).find((h) => h.server_id === server.id)!;
    await t.app.picloud.simulator!.injectFault(host.serial, fault, times ? { times } : {});
    const started = Date.now();
    const v = await settle(t.app, customer.id, name, 30_000);
    const { task: done } = await t.app.picloud.servers.task(customer.id, task.id);
    return { v, done, ms: Date.now() - started, host: await t.app.picloud.fleet.host(host.id) };
  }

  it.each([
    ['no-dhcp', /DHCP: no DHCP answer within 1.5 s/],
    ['stalled-transfer', /Bootloader: no boot file kernel8\.img within/],
    ['ssh-never-up', /SSH up: no SSH banner within 1.5 s/],
  ] as const)('%s: three timed-out boots, then broken, within the timeouts', async (fault, why) => {
    const { v, done, ms, host } = await orderWith(`f-${fault}`, fault);
    expect(v.status).toBe('failed');
    expect(done.state).toBe('failed');
    expect(done.powerCycles).toBe(2);
    expect(ms).toBeGreaterThanOrEqual(budget - 100);
    expect(ms).toBeLessThan(budget + 3000);
    expect(host.state).toBe('broken');
    expect(host.state_reason).toMatch(why);
    expect(v.error).toMatch(
      /could not be started: .* \(tried 3 times, with a power cycle in between\)/,
    );
    expect(v.error).toMatch(/taken out of service for an engineer/);
    expect(broken.map((b) => b.serial)).toContain(host.serial);
  });

  it.each([
    ['missing-boot-file', /the boot file start\.elf is missing on the boot server/],
    ['power-error', /PoE switch did not answer/],
  ] as const)('%s: fails at once each time, then broken, without waiting', async (fault, why) => {
    const { v, done, ms, host } = await orderWith(`f-${fault}`, fault);
    expect([v.status, done.powerCycles, host.state]).toEqual(['failed', 2, 'broken']);
    expect(host.state_reason).toMatch(why);
    expect(ms).toBeLessThan(testTimeoutSeconds * 1000);
  });

  it.each([
    'no-dhcp',
    'missing-boot-file',
    'stalled-transfer',
    'ssh-never-up',
    'power-error',
  ] as const)('%s once: one power cycle and the Pi is live', async (fault) => {
    const { v, done, ms, host } = await orderWith(`once-${fault}`, fault, 1);
    expect([v.status, done.state, done.powerCycles, host.state]).toEqual([
      'live',
      'done',
      1,
      'live',
    ]);
    expect(ms).toBeLessThan(testTimeoutSeconds * 1000 + 3000);
  });

  it('a Pi that does not come back after a reboot fails, and the customer hears files are kept', async () => {
    const live = (await t.app.picloud.servers.list(customer.id)).find((s) => s.status === 'live')!;
    const host = (await t.app.picloud.fleet.hosts()).find((h) => h.server_id === live.id)!;
    await t.app.picloud.simulator!.injectFault(host.serial, 'no-dhcp');
    await t.app.picloud.servers.reboot(customer.id, live.name, actor());
    const v = await settle(t.app, customer.id, live.name, 30_000);
    expect(v.status).toBe('failed');
    expect(v.error).toMatch(/did not come back after the reboot/);
    expect(v.error).toMatch(/files are kept/);
  });

  it('cancelling a failed server destroys its data and leaves its Pi broken for an engineer', async () => {
    const failed = (await t.app.picloud.servers.list(customer.id)).find(
      (s) => s.status === 'failed',
    )!;
    const host = (await t.app.picloud.fleet.hosts()).find((h) => h.server_id === failed.id)!;
    await t.app.picloud.servers.cancel(customer.id, failed.name, actor());
    await t.app.picloud.drain();
    const after = await t.app.picloud.fleet.host(host.id);
    expect([after.state, after.server_id]).toEqual(['broken', null]);
    await t.app.picloud.simulator!.clearFaults(host.serial);
    await t.app.picloud.fleet.commission(host.serial, cliActor);
    await t.app.picloud.drain();
    expect((await t.app.picloud.fleet.host(host.id)).state).toBe('ready');
  });
});
