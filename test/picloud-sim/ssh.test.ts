// A simulated Pi end to end over real SSH: OpenSSH's client logs in, files persist across reboot, vanish on re-image.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import {
  createSimulator,
  type PiTarget,
  type SimulatorDrivers,
} from '../../src/picloud/drivers/index.js';
import { missingTools } from '../support/tools.js';

const exec = promisify(execFile);
const missing = missingTools('ssh', 'ssh-keygen');

describe.skipIf(missing.length > 0)('a simulated Pi over real SSH', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picloud-sim-'));
  const pi: PiTarget = { serial: 'e1f2a3b4', mac: 'b8:27:eb:12:34:56', model: '3B+' };
  let d: SimulatorDrivers;
  let port = 0;

  const keygen = async (name: string) => {
    await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(dir, name)]);
    return { file: join(dir, name), pub: readFileSync(join(dir, `${name}.pub`), 'utf8').trim() };
  };

  /** Run a command with OpenSSH's own client; resolves with its output and exit code, never throws. */
  async function ssh(key: string, command: string, user = 'root') {
    const args = [
      '-i',
      key,
      '-p',
      String(port),
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'LogLevel=ERROR',
      `${user}@127.0.0.1`,
      command,
    ];
    return exec('ssh', args, { timeout: 30_000 }).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; stderr: string; code: number }) => ({
        stdout: e.stdout,
        stderr: e.stderr,
        code: e.code,
      }),
    );
  }

  /** Power the Pi on (or cycle it) and wait for its SSH server to come up. */
  async function bootToSsh(start: () => Promise<void>) {
    const events = d.boot.events(pi);
    await start();
    for await (const e of events) {
      if (e.kind === 'ssh-up') {
        port = e.port;
        break;
      }
    }
  }

  let alice: { file: string; pub: string };
  let mallory: { file: string; pub: string };

  beforeAll(async () => {
    d = await createSimulator(
      { logger: silentLogger, clock: systemClock, dataDir: join(dir, 'data') },
      { timeScale: 0 },
    );
    alice = await keygen('alice');
    mallory = await keygen('mallory');
    const image = d.sim.images.find((i) => i.name === 'rpi-bookworm-arm64')!;
    await d.storage.create(pi, image);
    await d.storage.writeAuthorizedKeys(pi, [alice.pub]);
    await d.storage.writeHostname(pi, 'fern');
    await d.boot.configure(pi, { image });
    await bootToSsh(() => d.power.on(pi));
  });
  afterAll(async () => {
    await d.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with the provisioned key and runs commands in the Pi’s own root', async () => {
    const r = await ssh(alice.file, 'echo hi > /root/f; cat /root/f; uname -a');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'hi\nLinux fern 6.6.51+rpt-rpi-v8 #1 SMP PREEMPT Debian 1:6.6.51-1+rpt3 (2024-10-08) aarch64 GNU/Linux\n',
    );
  });

  it('lets the image’s default user in with the same key', async () => {
    const r = await ssh(alice.file, 'whoami; pwd; cat ~/.ssh/authorized_keys', 'pi');
    expect(r.stdout).toBe(`pi\n/home/pi\n${alice.pub}\n`);
  });

  it('refuses a key that is not in authorized_keys, and unknown users', async () => {
    const r = await ssh(mallory.file, 'echo in');
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('Permission denied (publickey)');
    expect((await ssh(alice.file, 'echo in', 'ubuntu')).code).toBe(255);
  });

  it('honours replaced keys at the next login', async () => {
    await d.storage.writeAuthorizedKeys(pi, [mallory.pub]);
    expect((await ssh(mallory.file, 'echo in')).stdout).toBe('in\n');
    expect((await ssh(alice.file, 'echo in')).code).toBe(255);
    await d.storage.writeAuthorizedKeys(pi, [alice.pub]);
  });

  it('never shows host files: /etc/shadow and ../ paths are the image’s', async () => {
    const host = readFileSync('/etc/passwd', 'utf8');
    const shadow = await ssh(alice.file, 'cat /etc/shadow');
    expect(shadow.stdout).toBe('root:*:19700:0:99999:7:::\npi:!:19700:0:99999:7:::\n');
    const passwd = await ssh(
      alice.file,
      'cat ../../../../etc/passwd; cd /; cat ../../../etc/passwd',
    );
    expect(passwd.stdout).not.toBe(host + host);
    expect(passwd.stdout.split('\n').filter((l) => l.startsWith('root:'))).toHaveLength(2);
    expect(passwd.stdout).toContain('pi:x:1000:1000');
    expect(passwd.stdout).not.toContain('daemon:');
  });

  it('runs no host programs', async () => {
    const r = await ssh(alice.file, 'sh -c id; /bin/cat /etc/hostname');
    expect(r.stderr).toContain('sh: 1: sh: not found');
    expect(r.code).toBe(127);
  });

  it('gives a terminal shell with a prompt, echo and backspace', async () => {
    const args = [
      '-tt',
      '-i',
      alice.file,
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
    ];
    const child = spawn('ssh', args);
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stdin.write('echo typx\x7fo\r');
    child.stdin.write('exit\r');
    await new Promise((r) => child.on('close', r));
    expect(out).toContain('root@fern:~# ');
    expect(out).toContain('typo\r\n');
  });

  it('keeps files across a reboot', async () => {
    await ssh(alice.file, 'echo survives > /root/kept');
    await bootToSsh(() => d.power.cycle(pi));
    expect((await ssh(alice.file, 'cat /root/kept')).stdout).toBe('survives\n');
  });

  it('loses every file on re-image, and comes back with fresh keys', async () => {
    await ssh(alice.file, 'echo gone > /root/data');
    const image = d.sim.images.find((i) => i.name === 'ubuntu-noble-arm64')!;
    await d.power.off(pi);
    await d.storage.reimage(pi, image);
    await d.storage.writeAuthorizedKeys(pi, [alice.pub]);
    await bootToSsh(() => d.power.on(pi));
    const r = await ssh(alice.file, 'cat /root/data; ls /root; hostname');
    expect(r.stderr).toContain('cat: /root/data: No such file or directory');
    expect(r.stdout).toBe('ubuntu\n');
    expect((await ssh(alice.file, 'whoami', 'ubuntu')).stdout).toBe('ubuntu\n');
  });

  it('loses every file on cancel', async () => {
    await ssh(alice.file, 'echo gone > /root/data');
    await d.power.off(pi);
    await d.storage.destroy(pi);
    expect(await d.storage.describe(pi)).toBeNull();
    const image = d.sim.images.find((i) => i.name === 'raspbian-stretch-armhf')!;
    await d.storage.create(pi, image);
    await d.storage.writeAuthorizedKeys(pi, [alice.pub]);
    await bootToSsh(() => d.power.on(pi));
    const r = await ssh(alice.file, 'ls -a /root; uname -m');
    expect(r.stdout).toBe('.ssh\narmv7l\n');
  });
});
