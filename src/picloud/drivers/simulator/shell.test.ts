// The built-in shell: each command, redirections, && || ;, and confinement to the Pi's root.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLayeredFs } from './layered-fs.js';
import { createShell } from './shell.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(user: 'root' | 'pi' = 'root') {
  const base = mkdtempSync(join(tmpdir(), 'shell-'));
  dirs.push(base);
  const lower = join(base, 'lower');
  for (const d of ['etc', 'root', 'home/pi', 'tmp']) mkdirSync(join(lower, d), { recursive: true });
  writeFileSync(join(lower, 'etc/hostname'), 'pi-7\n');
  writeFileSync(join(lower, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n');
  mkdirSync(join(base, 'upper'));
  const fs = createLayeredFs({ lower, upper: join(base, 'upper') });
  const u =
    user === 'root'
      ? { name: 'root', uid: 0, gid: 0, home: '/root' }
      : { name: 'pi', uid: 1000, gid: 1000, home: '/home/pi' };
  const shell = createShell({
    fs,
    user: u,
    kernel: { release: '6.6.51+rpt-rpi-v8', version: '#1 SMP PREEMPT', machine: 'aarch64' },
    uptimeSeconds: () => 185,
    load: () => 0.25,
    now: () => Date.UTC(2026, 10, 27, 12, 0, 0),
  });
  return { shell, fs };
}

describe('built-in shell', () => {
  it('echo with > and >> writes files that cat reads back', async () => {
    const { shell } = setup();
    const r = await shell.run('echo hi > /root/f; echo "there $USER" >> f; cat /root/f');
    expect(r).toEqual({ stdout: 'hi\nthere root\n', stderr: '', code: 0 });
  });

  it('ls lists, hides dot files unless -a, and reports missing paths', async () => {
    const { shell } = setup();
    await shell.run('touch /root/b /root/.hidden; mkdir /root/a');
    expect((await shell.run('ls /root')).stdout).toBe('a\nb\n');
    expect((await shell.run('ls -a /root')).stdout).toBe('.hidden\na\nb\n');
    expect((await shell.run('ls -l /root')).stdout).toMatch(/^drwxr-xr-x .* a\n-rw-r--r-- .* b\n$/);
    const missing = await shell.run('ls /nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No such file');
  });

  it('mkdir -p, rm, rm -r, rmdir behave like their coreutils namesakes', async () => {
    const { shell, fs } = setup();
    expect((await shell.run('mkdir /x/y')).code).toBe(1);
    expect((await shell.run('mkdir -p /x/y && touch /x/y/z && rm /x/y')).stderr).toContain(
      'Is a directory',
    );
    expect((await shell.run('rmdir /x/y')).stderr).toContain('Directory not empty');
    expect((await shell.run('rm -r /x && ls /')).stdout).not.toContain('x\n');
    expect((await shell.run('rm -f /missing')).code).toBe(0);
    expect(await fs.stat('/x')).toBeNull();
  });

  it('uname, hostname, uptime, id, pwd and cd describe the Pi, not the host', async () => {
    const { shell } = setup();
    expect((await shell.run('uname -a')).stdout).toBe(
      'Linux pi-7 6.6.51+rpt-rpi-v8 #1 SMP PREEMPT aarch64 GNU/Linux\n',
    );
    expect((await shell.run('uname')).stdout).toBe('Linux\n');
    expect((await shell.run('hostname')).stdout).toBe('pi-7\n');
    expect((await shell.run('uptime')).stdout).toBe(
      ' 12:00:00 up 3 min,  1 user,  load average: 0.25, 0.25, 0.25\n',
    );
    expect((await shell.run('id')).stdout).toBe('uid=0(root) gid=0(root) groups=0(root)\n');
    expect((await shell.run('cd /etc; pwd')).stdout).toBe('/etc\n');
  });

  it('runs && and || by exit status and pipes into cat', async () => {
    const { shell } = setup();
    expect((await shell.run('false && echo no || echo yes')).stdout).toBe('yes\n');
    expect((await shell.run('echo piped | cat')).stdout).toBe('piped\n');
    expect((await shell.run('echo \'a  b\' "c\\"d" e\\ f')).stdout).toBe('a  b c"d e f\n');
  });

  it('answers unknown commands with 127 and never runs host programs', async () => {
    const { shell } = setup();
    expect(await shell.run('bash -c id')).toMatchObject({
      code: 127,
      stderr: 'sh: 1: bash: not found\n',
    });
  });

  it('reports syntax errors', async () => {
    const { shell } = setup();
    expect((await shell.run('echo "open')).stderr).toContain('Unterminated');
    expect((await shell.run('; ls')).code).toBe(2);
  });

  it('stays inside the root: .. and /etc/shadow are the image’s own', async () => {
    const { shell } = setup();
    expect((await shell.run('cat ../../../../etc/shadow')).stdout).toBe(
      'root:*:19000:0:99999:7:::\n',
    );
    expect((await shell.run('cat /../../etc/passwd')).code).toBe(1);
  });

  it('lets the default user write at home but not into /root or read /etc/shadow', async () => {
    const { shell } = setup('pi');
    expect((await shell.run('echo x > note && cat ~/note')).stdout).toBe('x\n');
    expect((await shell.run('echo x > /root/f')).stderr).toContain('Permission denied');
    expect((await shell.run('cat /etc/shadow')).stderr).toContain('Permission denied');
  });

  it('exit ends the session with its code', async () => {
    const { shell } = setup();
    expect(await shell.run('echo bye; exit 3; echo never')).toMatchObject({
      stdout: 'bye\n',
      exit: 3,
      code: 3,
    });
  });
});
