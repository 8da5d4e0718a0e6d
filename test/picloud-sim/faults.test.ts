// Every injected fault stalls the boot at its own phase, and a power cycle (what the pipeline retries with) recovers it.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import {
  createSimulator,
  type BootEvent,
  type Fault,
  type PiTarget,
  type SimulatorDrivers,
} from '../../src/picloud/drivers/index.js';
import { missingTools } from '../support/tools.js';

const exec = promisify(execFile);
const missing = missingTools('ssh', 'ssh-keygen');

describe.skipIf(missing.length > 0)('injected faults on a simulated Pi', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picloud-faults-'));
  let d: SimulatorDrivers;
  let key: { file: string; pub: string };
  let n = 0;
  // The simulator's own log, at debug level (every boot event, every failed boot), printed only
  // when a test fails: a power cycle once left a Pi without SSH in a full run (1 in ~8) and the
  // silent logger hid why.
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });

  beforeEach((ctx) => {
    logLines.length = 0;
    ctx.onTestFailed(() => {
      console.error(`simulator log for "${ctx.task.name}":\n${logLines.join('')}`);
    });
  });

  beforeAll(async () => {
    d = await createSimulator(
      { logger, clock: systemClock, dataDir: join(dir, 'data') },
      { timeScale: 0 },
    );
    await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')]);
    key = { file: join(dir, 'id'), pub: readFileSync(join(dir, 'id.pub'), 'utf8') };
  });
  afterAll(async () => {
    await d.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function newPi(): Promise<PiTarget> {
    const pi: PiTarget = { serial: `f${++n}`, mac: `b8:27:eb:00:01:0${n}`, model: '4B' };
    const image = d.sim.images[0]!;
    await d.storage.create(pi, image);
    await d.storage.writeAuthorizedKeys(pi, [key.pub]);
    await d.boot.configure(pi, { image });
    return pi;
  }

  /**
   * Boot events after `start`, until SSH is up; with `stall`, until nothing has happened for a
   * while instead (a stalled boot produces no further events).
   */
  async function watch(
    pi: PiTarget,
    start: () => Promise<void>,
    stall = false,
  ): Promise<BootEvent[]> {
    const ac = new AbortController();
    const seen: BootEvent[] = [];
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
      if (e.kind === 'ssh-up') break;
      arm();
    }
    clearTimeout(quiet);
    return seen;
  }

  const login = async (port: number) =>
    (
      await exec('ssh', [
        '-i',
        key.file,
        '-p',
        String(port),
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'BatchMode=yes',
        '-o',
        'LogLevel=ERROR',
        'root@127.0.0.1',
        'hostname',
      ])
    ).stdout;

  it.each<[Fault, string]>([
    ['no-dhcp', 'dhcp-discover'],
    ['missing-boot-file', 'tftp not-found'],
    ['stalled-transfer', 'tftp start'],
    ['ssh-never-up', 'rootfs-mounted'],
  ])('%s stalls after %s, then a power cycle brings SSH up', async (fault, stalledAt) => {
    const pi = await newPi();
    await d.sim.injectFault(pi.serial, fault, { times: 1 });
    const first = await watch(pi, () => d.power.on(pi), true);
    const last = first.at(-1)!;
    expect(last.kind === 'tftp' ? `tftp ${last.status}` : last.kind).toBe(stalledAt);
    expect((await d.boot.status(pi)).ssh).toBeNull();
    const second = await watch(pi, () => d.power.cycle(pi));
    const up = second.at(-1)!;
    expect(up.kind).toBe('ssh-up');
    if (up.kind === 'ssh-up') expect(await login(up.port)).toBe('raspberrypi\n');
  });

  it('a power-driver error fails the call and leaves the Pi as it was', async () => {
    const pi = await newPi();
    await d.sim.injectFault(pi.serial, 'power-error', { times: 1 });
    await expect(d.power.on(pi)).rejects.toThrow(/injected fault/);
    expect(await d.power.state(pi)).toBe('off');
    expect((await watch(pi, () => d.power.on(pi))).at(-1)?.kind).toBe('ssh-up');
  });

  it('powering off a stalled Pi ends its boot', async () => {
    const pi = await newPi();
    await d.sim.injectFault(pi.serial, 'stalled-transfer');
    await watch(pi, () => d.power.on(pi), true);
    const off = await watch(pi, () => d.power.off(pi), true);
    expect(off.map((e) => e.kind)).toEqual(['power-off']);
    expect(await d.telemetry.temperature(pi)).toBeNull();
  });

  it('serves an interactive shell over SSH without a terminal', async () => {
    const pi = await newPi();
    const up = (await watch(pi, () => d.power.on(pi))).at(-1)!;
    if (up.kind !== 'ssh-up') throw new Error('no ssh');
    const child = spawn('ssh', [
      '-T',
      '-i',
      key.file,
      '-p',
      String(up.port),
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'LogLevel=ERROR',
      'root@127.0.0.1',
    ]);
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stdin.end('cd /etc\npwd\necho typed > /root/t\ncat /root/t\nexit 4\n');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(4);
    expect(out).toContain('/etc\n');
    expect(out).toContain('typed\n');
  });
});
