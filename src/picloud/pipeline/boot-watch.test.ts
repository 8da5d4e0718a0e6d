// Watching a boot: each phase's own deadline, a missing boot file at once, a power error as a
// failed power phase, and success at the SSH banner. The boot driver is a scripted fake.
import { describe, expect, it } from 'vitest';
import type { BootEvent, DriverSet, PiTarget } from '../drivers/index.js';
import { DriverError } from '../drivers/index.js';
import { watchBoot } from './boot-watch.js';

const pi: PiTarget = { serial: '00000001', mac: 'b8:27:eb:00:00:01', model: '3B' };
const timeouts = {
  dhcpSeconds: 0.3,
  tftpFileSeconds: 0.2,
  kernelSeconds: 0.2,
  rootfsSeconds: 0.2,
  sshSeconds: 0.2,
};
const at = 0;

/** A boot driver that plays `script` (events with delays in ms) once power is switched on. */
function fake(script: [number, BootEvent][]): DriverSet {
  const listeners = new Set<(e: BootEvent) => void>();
  const boot = {
    events(_pi: PiTarget, opts: { signal?: AbortSignal } = {}) {
      const queue: BootEvent[] = [];
      let wake: (() => void) | null = null;
      const l = (e: BootEvent) => {
        queue.push(e);
        wake?.();
      };
      listeners.add(l);
      opts.signal?.addEventListener('abort', () => wake?.());
      return (async function* () {
        while (!opts.signal?.aborted) {
          const e = queue.shift();
          if (e) yield e;
          else await new Promise<void>((r) => (wake = r));
        }
        listeners.delete(l);
      })();
    },
  };
  const power = {
    on: async () => {
      let t = 0;
      for (const [delay, e] of script) {
        t += delay;
        setTimeout(() => listeners.forEach((l) => l(e)), t);
      }
    },
  };
  return { boot, power } as unknown as DriverSet;
}

const watch = (drivers: DriverSet) =>
  watchBoot({
    drivers,
    pi,
    timeouts,
    signal: new AbortController().signal,
    start: () => drivers.power.on(pi),
    onEvent: async () => undefined,
  });

const tftp = (file: string, status: 'start' | 'done' | 'not-found'): BootEvent => ({
  kind: 'tftp',
  at,
  file,
  status,
  bytes: 0,
});

describe('watching a boot', () => {
  it('succeeds at the SSH banner, however long the whole boot, when each phase is in time', async () => {
    const outcome = await watch(
      fake([
        [0, { kind: 'power-on', at }],
        [250, { kind: 'dhcp-offer', at, ip: '10.99.0.5' }],
        [150, tftp('start.elf', 'start')],
        [150, tftp('start.elf', 'done')],
        [150, { kind: 'kernel-started', at }],
        [150, { kind: 'rootfs-mounted', at }],
        [150, { kind: 'ssh-up', at, host: '127.0.0.1', port: 2222 }],
      ]),
    );
    expect(outcome).toEqual({ ok: true, host: '127.0.0.1', port: 2222 });
  });

  it('counts DHCP from power-on, not from the last DISCOVER', async () => {
    const outcome = await watch(
      fake([
        [0, { kind: 'power-on', at }],
        [200, { kind: 'dhcp-discover', at }],
        [200, { kind: 'dhcp-offer', at, ip: '10.99.0.5' }],
      ]),
    );
    expect(outcome).toEqual({ ok: false, phase: 'dhcp', reason: 'no DHCP answer within 0.3 s' });
  });

  it('gives each boot file its own deadline', async () => {
    const outcome = await watch(
      fake([
        [0, { kind: 'power-on', at }],
        [10, { kind: 'dhcp-offer', at, ip: '10.99.0.5' }],
        [10, tftp('a/kernel8.img', 'start')],
      ]),
    );
    expect(outcome).toEqual({
      ok: false,
      phase: 'bootloader',
      reason: 'no boot file kernel8.img within 0.2 s',
    });
  });

  it('fails at once on a boot file the server does not have', async () => {
    const started = Date.now();
    const outcome = await watch(
      fake([
        [0, { kind: 'power-on', at }],
        [10, { kind: 'dhcp-offer', at, ip: '10.99.0.5' }],
        [10, tftp('a/start.elf', 'not-found')],
      ]),
    );
    expect(outcome).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/start\.elf is missing/) as unknown,
    });
    expect(Date.now() - started).toBeLessThan(150);
  });

  it('reports a power-driver error as a failed power phase', async () => {
    const drivers = fake([]);
    const outcome = await watchBoot({
      drivers,
      pi,
      timeouts,
      signal: new AbortController().signal,
      start: () => Promise.reject(new DriverError('poe', 'switch did not answer')),
      onEvent: async () => undefined,
    });
    expect(outcome).toEqual({ ok: false, phase: 'power', reason: 'switch did not answer' });
  });
});
