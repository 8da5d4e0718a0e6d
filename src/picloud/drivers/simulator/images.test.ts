// Default images: built once as archives, unpacked once, each with the files and user it promises.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultUserOf, ensureDefaultImages, parsePasswd, unpackImage } from './images.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup() {
  const base = mkdtempSync(join(tmpdir(), 'images-'));
  dirs.push(base);
  return { imagesDir: join(base, 'images'), lowerRoot: join(base, 'lower') };
}

describe('default images', () => {
  it('builds each archive once and leaves existing ones alone', async () => {
    const { imagesDir } = setup();
    const first = await ensureDefaultImages({ imagesDir });
    expect(first.map((i) => i.name)).toEqual([
      'rpi-bookworm-arm64',
      'ubuntu-noble-arm64',
      'raspbian-stretch-armhf',
    ]);
    const mtime = statSync(first[0]!.archive).mtimeMs;
    const again = await ensureDefaultImages({ imagesDir });
    expect(statSync(again[0]!.archive).mtimeMs).toBe(mtime);
  });

  it('unpacks a root with os-release, hostname, the default user and locked passwords', async () => {
    const { imagesDir, lowerRoot } = setup();
    const [bookworm, ubuntu, stretch] = await ensureDefaultImages({ imagesDir });
    const root = await unpackImage({ lowerRoot }, bookworm!);
    expect(readFileSync(join(root, 'etc/os-release'), 'utf8')).toContain(
      'VERSION_CODENAME=bookworm',
    );
    expect(readFileSync(join(root, 'etc/hostname'), 'utf8')).toBe('raspberrypi\n');
    expect(statSync(join(root, 'home/pi')).isDirectory()).toBe(true);
    expect(statSync(join(root, 'root')).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(root, 'etc/shadow'), 'utf8')).toMatch(/^root:\*:/);
    expect(await unpackImage({ lowerRoot }, bookworm!)).toBe(root);
    expect(existsSync(join(await unpackImage({ lowerRoot }, ubuntu!), 'etc/cloud/cloud.cfg'))).toBe(
      true,
    );
    const old = await unpackImage({ lowerRoot }, stretch!);
    expect(existsSync(join(old, 'etc/cloud'))).toBe(false);
    expect(readFileSync(join(old, 'var/lib/dpkg/arch'), 'utf8')).toBe('armhf\n');
  });
});

describe('default user detection', () => {
  const passwd =
    'root:x:0:0:root:/root:/bin/bash\nsshd:x:105:65534::/run/sshd:/usr/sbin/nologin\nalarm:x:1000:1000::/home/alarm:/bin/bash\n';
  it('finds the first regular account with a home under /home', () => {
    expect(defaultUserOf(parsePasswd(passwd))).toEqual({
      name: 'alarm',
      uid: 1000,
      gid: 1000,
      home: '/home/alarm',
    });
  });
  it('uses the named user, and finds none in a root-only image', () => {
    expect(defaultUserOf(parsePasswd(passwd), 'sshd')?.home).toBe('/run/sshd');
    expect(defaultUserOf(parsePasswd('root:x:0:0:root:/root:/bin/sh\n'))).toBeNull();
  });
});
