// Simulator behaviour without an SSH client: boot phases, every injected fault, temperature, restarts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import { DriverError, type BootEvent, type PiTarget } from '../types.js';
import { createSimulator, type SimulatorDrivers } from './index.js';
import { piDir } from './state.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(dataDir = mkdtempSync(join(tmpdir(), 'sim-'))) {
  const d = await createSimulator(
    { logger: silentLogger, clock: systemClock, dataDir },
    { timeScale: 0 },
  );
  cleanups.push(async () => d.close());
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const pi: PiTarget = { serial: 'a1b2c3d4', mac: 'b8:27:eb:00:00:01', model: '3B' };
  const image = d.sim.images.find((i) => i.name === 'rpi-bookworm-arm64')!;
  await d.storage.create(pi, image);
  await d.boot.configure(pi, { image });
  return { d, pi, image, dataDir };
}

/**
 * Collect boot events until `kind` arrives. With `stall`, stop instead once nothing has
 * happened for a while: a stalled boot produces no further events, so only then is it done.
 */
async function bootUntil(
  d: SimulatorDrivers,
  pi: PiTarget,
  kind: BootEvent['kind'],
  start = () => d.power.on(pi),
  stall = false,
) {
  const seen: BootEvent[] = [];
  const ac = new AbortController();
  const events = d.boot.events(pi, { signal: ac.signal });
  let quiet: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(quiet);
    if (stall) quiet = setTimeout(() => ac.abort(), 500);
  };
  arm();
  await start();
  for await (const e of events) {
    seen.push(e);
    if (e.kind === kind) break;
    arm();
  }
  clearTimeout(quiet);
  return seen;
}

const untilStall = (d: SimulatorDrivers, pi: PiTarget, start = () => d.power.on(pi)) =>
  bootUntil(d, pi, 'ssh-up', start, true);

const describeEvent = (e: BootEvent) =>
  e.kind === 'tftp' ? `tftp ${e.status} ${e.file.split('/').pop()}` : e.kind;

describe('simulated boot', () => {
  it('goes through the same phases as a real Pi 3, in order, with timestamps', async () => {
    const { d, pi } = await setup();
    const events = await bootUntil(d, pi, 'ssh-up');
    const kinds = events.map(describeEvent);
    expect(kinds.slice(0, 5)).toEqual([
      'power-on',
      'dhcp-discover',
      'dhcp-offer',
      'tftp start bootcode.bin',
      'tftp done bootcode.bin',
    ]);
    expect(kinds.slice(-4)).toEqual([
      'tftp done kernel8.img',
      'kernel-started',
      'rootfs-mounted',
      'ssh-up',
    ]);
    expect(events.every((e, i) => i === 0 || e.at >= events[i - 1]!.at)).toBe(true);
    const status = await d.boot.status(pi);
    expect(status.ssh?.host).toBe('127.0.0.1');
    expect(status.power).toBe('on');
  });

  it('a Pi 4 fetches no bootcode.bin and the 4-series firmware', async () => {
    const { d, image } = await setup();
    const pi4: PiTarget = { serial: 'dca63200', mac: 'dc:a6:32:00:00:02', model: '4B' };
    await d.storage.create(pi4, image);
    await d.boot.configure(pi4, { image });
    const files = (await bootUntil(d, pi4, 'ssh-up'))
      .filter((e) => e.kind === 'tftp')
      .map(describeEvent);
    expect(files[0]).toBe('tftp start start4.elf');
  });

  it('makes a new SSH host key when the kept one cannot be read, and still comes up', async () => {
    const { d, pi, dataDir } = await setup();
    writeFileSync(
      join(piDir(dataDir, pi.serial), 'ssh_host_ed25519_key'),
      '-----BEGIN OPENSSH PRIVATE KEY-----\ntruncated\n',
    );
    expect((await bootUntil(d, pi, 'ssh-up')).at(-1)?.kind).toBe('ssh-up');
  });

  it('an unconfigured Pi gets no DHCP answer', async () => {
    const { d, pi } = await setup();
    await d.boot.deconfigure(pi);
    expect((await untilStall(d, pi)).map((e) => e.kind)).toEqual(['power-on', 'dhcp-discover']);
  });

  it('a Pi with no root filesystem never mounts one', async () => {
    const { d, pi } = await setup();
    await d.storage.destroy(pi);
    expect((await untilStall(d, pi)).at(-1)?.kind).toBe('kernel-started');
  });
});

describe('fault injection', () => {
  it.each([
    ['no-dhcp', {}, 'dhcp-discover'],
    ['missing-boot-file', {}, 'tftp not-found start.elf'],
    ['missing-boot-file', { file: 'kernel8.img' }, 'tftp not-found kernel8.img'],
    ['stalled-transfer', {}, 'tftp start kernel8.img'],
    ['stalled-transfer', { file: 'bootcode.bin' }, 'tftp start bootcode.bin'],
    ['ssh-never-up', {}, 'rootfs-mounted'],
  ] as const)('%s %j stalls the boot after "%s"', async (fault, opts, last) => {
    const { d, pi } = await setup();
    await d.sim.injectFault(pi.serial, fault, opts);
    const events = await untilStall(d, pi);
    expect(describeEvent(events.at(-1)!)).toBe(last);
    expect((await d.boot.status(pi)).ssh).toBeNull();
  });

  it('a fault limited to one boot clears after a power cycle', async () => {
    const { d, pi } = await setup();
    await d.sim.injectFault(pi.serial, 'no-dhcp', { times: 1 });
    expect((await untilStall(d, pi)).at(-1)?.kind).toBe('dhcp-discover');
    const again = await bootUntil(d, pi, 'ssh-up', () => d.power.cycle(pi));
    expect(again.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['power-off', 'power-on', 'ssh-up']),
    );
    expect(d.sim.faults(pi.serial)).toEqual([]);
  });

  it('a power-driver error rejects power calls with a DriverError until it runs out', async () => {
    const { d, pi } = await setup();
    await d.sim.injectFault(pi.serial, 'power-error', { times: 2 });
    await expect(d.power.on(pi)).rejects.toBeInstanceOf(DriverError);
    await expect(d.power.cycle(pi)).rejects.toThrow(/PoE switch did not answer/);
    expect(await d.power.state(pi)).toBe('off');
    await d.power.on(pi);
    expect(await d.power.state(pi)).toBe('on');
  });

  it('faults can be cleared at runtime', async () => {
    const { d, pi } = await setup();
    await d.sim.injectFault(pi.serial, 'ssh-never-up');
    await d.sim.clearFaults(pi.serial);
    expect((await bootUntil(d, pi, 'ssh-up')).at(-1)?.kind).toBe('ssh-up');
  });
});

describe('temperature', () => {
  it('is absent when off and rises with load', async () => {
    const { d, pi } = await setup();
    expect(await d.telemetry.temperature(pi)).toBeNull();
    await bootUntil(d, pi, 'ssh-up');
    const idle = (await d.telemetry.temperature(pi))!;
    await d.sim.setLoad(pi.serial, 1);
    const busy = (await d.telemetry.temperature(pi))!;
    expect(idle).toBeGreaterThan(30);
    expect(busy).toBeGreaterThan(idle + 10);
    expect(busy).toBeLessThanOrEqual(80);
  });
});

describe('restart of Bestiary', () => {
  it('keeps power state, faults and files, and boots powered Pis again', async () => {
    const { d, pi, dataDir } = await setup();
    await d.storage.writeHostname(pi, 'kept');
    await bootUntil(d, pi, 'ssh-up');
    await d.sim.injectFault(pi.serial, 'power-error');
    await d.close();
    const d2 = await createSimulator(
      { logger: silentLogger, clock: systemClock, dataDir },
      { timeScale: 0 },
    );
    cleanups.push(async () => d2.close());
    expect(await d2.power.state(pi)).toBe('on');
    expect(d2.sim.faults(pi.serial).map((f) => f.fault)).toEqual(['power-error']);
    const events = d2.boot.events(pi, { replay: true });
    for await (const e of events) if (e.kind === 'ssh-up') break;
    expect(await d2.storage.describe(pi)).toMatchObject({ image: 'rpi-bookworm-arm64' });
  });
});
