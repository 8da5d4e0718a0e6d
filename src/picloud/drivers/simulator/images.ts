// Builds the default tiny root-filesystem images on first start, and unpacks images into read-only lowers.
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomToken } from '../../../core/ids.js';
import type { ImageRef, PiModel } from '../types.js';

const run = promisify(execFile);

/** What an image is: enough to build it and to describe it to the catalogue. */
export interface ImageSpec {
  name: string;
  label: string;
  arch: 'arm64' | 'armhf';
  /** The login user the image ships with; null for images with root only. */
  defaultUser: string | null;
  cloudInit: boolean;
  models: PiModel[];
  osRelease: Record<string, string>;
  hostname: string;
}

/** An image archive on disk, described for the picloud catalogue. */
export interface BuiltImage extends ImageRef {
  label: string;
  arch: ImageSpec['arch'];
  models: PiModel[];
}

const debian = (version: string, codename: string) => ({
  ID: 'debian',
  VERSION_ID: version,
  VERSION_CODENAME: codename,
  HOME_URL: 'https://www.debian.org/',
});

/** The images a fresh install offers: today's two, plus an old one that has no cloud-init. */
export const defaultImageSpecs: readonly ImageSpec[] = [
  {
    name: 'rpi-bookworm-arm64',
    label: 'Raspberry Pi OS Bookworm (64 bit)',
    arch: 'arm64',
    defaultUser: 'pi',
    cloudInit: false,
    models: ['3B', '3B+', '4B'],
    osRelease: {
      PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)',
      NAME: 'Debian GNU/Linux',
      ...debian('12', 'bookworm'),
    },
    hostname: 'raspberrypi',
  },
  {
    name: 'ubuntu-noble-arm64',
    label: 'Ubuntu 24.04 LTS (Noble Numbat, 64 bit)',
    arch: 'arm64',
    defaultUser: 'ubuntu',
    cloudInit: true,
    models: ['3B', '3B+', '4B'],
    osRelease: {
      PRETTY_NAME: 'Ubuntu 24.04.1 LTS',
      NAME: 'Ubuntu',
      ID: 'ubuntu',
      ID_LIKE: 'debian',
      VERSION_ID: '24.04',
      VERSION_CODENAME: 'noble',
      HOME_URL: 'https://www.ubuntu.com/',
    },
    hostname: 'ubuntu',
  },
  {
    name: 'raspbian-stretch-armhf',
    label: 'Raspbian Stretch (32 bit, legacy)',
    arch: 'armhf',
    defaultUser: 'pi',
    cloudInit: false,
    models: ['1B', '2B', '3B', '3B+', 'Zero W'],
    osRelease: {
      PRETTY_NAME: 'Raspbian GNU/Linux 9 (stretch)',
      NAME: 'Raspbian GNU/Linux',
      ...debian('9', 'stretch'),
      ID: 'raspbian',
      ID_LIKE: 'debian',
    },
    hostname: 'raspberrypi',
  },
];

const quote = (v: string) => (/^[A-Za-z0-9._-]+$/.test(v) ? v : `"${v}"`);

/** Lay out a minimal but genuine-looking Debian root in `dir`. */
async function layOut(dir: string, spec: ImageSpec): Promise<void> {
  const file = async (path: string, text: string, mode = 0o644) => {
    await fs.mkdir(join(dir, path, '..'), { recursive: true });
    await fs.writeFile(join(dir, path), text, { mode });
    await fs.chmod(join(dir, path), mode);
  };
  for (const d of [
    'bin',
    'sbin',
    'usr/bin',
    'usr/sbin',
    'var/log',
    'var/lib/dpkg',
    'dev',
    'proc',
    'sys',
    'boot',
  ])
    await fs.mkdir(join(dir, d), { recursive: true });
  await fs.mkdir(join(dir, 'root'), { mode: 0o700 });
  await fs.mkdir(join(dir, 'tmp'));
  await fs.chmod(join(dir, 'tmp'), 0o1777);
  const osRelease = Object.entries(spec.osRelease).map(([k, v]) => `${k}=${quote(v)}`);
  await file('etc/os-release', `${osRelease.join('\n')}\n`);
  await file('etc/hostname', `${spec.hostname}\n`);
  await file('etc/hosts', `127.0.0.1\tlocalhost\n127.0.1.1\t${spec.hostname}\n`);
  await file('var/lib/dpkg/arch', `${spec.arch}\n`);
  const u = spec.defaultUser;
  await file(
    'etc/passwd',
    `root:x:0:0:root:/root:/bin/bash\n${u ? `${u}:x:1000:1000:,,,:/home/${u}:/bin/bash\n` : ''}`,
  );
  await file('etc/group', `root:x:0:\n${u ? `${u}:x:1000:\n` : ''}`);
  // Locked password fields: these images are reached by SSH key only.
  await file(
    'etc/shadow',
    `root:*:19700:0:99999:7:::\n${u ? `${u}:!:19700:0:99999:7:::\n` : ''}`,
    0o640,
  );
  if (spec.cloudInit)
    await file('etc/cloud/cloud.cfg', 'users:\n  - default\ndisable_root: false\n');
  if (u) {
    await file(`home/${u}/.profile`, '# ~/.profile\n');
    await fs.chmod(join(dir, 'home', u), 0o755);
    // As root the home belongs to the user, as on a real image; unprivileged builds keep our uid.
    for (const p of [`home/${u}`, `home/${u}/.profile`])
      await fs.chown(join(dir, p), 1000, 1000).catch(() => undefined);
  }
}

/** Archive path of an image: zstd-compressed when zstd is installed. */
const archiveName = (dir: string, name: string, zstd: boolean) =>
  join(dir, `${name}.tar${zstd ? '.zst' : ''}`);

/**
 * Create each default image archive under `imagesDir` when it is absent, and describe them all.
 * Existing archives are left alone, so an operator's replacement survives restarts.
 */
export async function ensureDefaultImages(
  deps: { imagesDir: string },
  specs: readonly ImageSpec[] = defaultImageSpecs,
): Promise<BuiltImage[]> {
  await fs.mkdir(deps.imagesDir, { recursive: true });
  const zstd = ['/usr/bin/zstd', '/bin/zstd'].some((p) => existsSync(p));
  const out: BuiltImage[] = [];
  for (const spec of specs) {
    const existing = [true, false]
      .map((z) => archiveName(deps.imagesDir, spec.name, z))
      .find((p) => existsSync(p));
    let archive = existing;
    if (!archive) {
      archive = archiveName(deps.imagesDir, spec.name, zstd);
      const staging = join(deps.imagesDir, `.build-${spec.name}-${randomToken(8)}`);
      await fs.mkdir(staging);
      try {
        await layOut(staging, spec);
        const tmp = `${archive}.${randomToken(6)}.part`;
        await run('tar', [
          ...(zstd ? ['--zstd'] : []),
          '--numeric-owner',
          '-C',
          staging,
          '-cf',
          tmp,
          '.',
        ]);
        await fs.rename(tmp, archive);
      } finally {
        await fs.rm(staging, { recursive: true, force: true });
      }
    }
    out.push({
      name: spec.name,
      label: spec.label,
      archive,
      arch: spec.arch,
      models: spec.models,
      ...(spec.defaultUser ? { defaultUser: spec.defaultUser } : {}),
    });
  }
  return out;
}

/**
 * Unpack an image once into a lower directory keyed by its archive's size and mtime (so a
 * replaced archive gets a fresh lower), and return that directory. Never written afterwards.
 */
export async function unpackImage(deps: { lowerRoot: string }, image: ImageRef): Promise<string> {
  const st = await fs.stat(image.archive);
  const dir = join(
    deps.lowerRoot,
    `${image.name}-${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}`,
  );
  if (existsSync(dir)) return dir;
  await fs.mkdir(deps.lowerRoot, { recursive: true });
  const tmp = `${dir}.${randomToken(6)}.part`;
  await fs.mkdir(tmp);
  try {
    // GNU tar detects gzip/zstd itself, refuses `..` members and strips leading slashes.
    await run('tar', ['-C', tmp, '-xf', image.archive]);
    await fs.rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
      if (!existsSync(dir)) throw err; // another Pi unpacked the same image first
    });
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** A login account of an image, as its /etc/passwd gives it. */
export interface ImageUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** Accounts in an image's passwd text: root and the first regular user, when wanted. */
export function parsePasswd(text: string): ImageUser[] {
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 7)
    .map(([name = '', , uid = '', gid = '', , home = '']) => ({
      name,
      uid: Number(uid),
      gid: Number(gid),
      home,
    }));
}

/** The image's default user: the named one, else the first account with uid 1000–59999 and a /home. */
export function defaultUserOf(users: ImageUser[], named?: string): ImageUser | null {
  if (named) return users.find((u) => u.name === named) ?? null;
  return users.find((u) => u.uid >= 1000 && u.uid < 60000 && u.home.startsWith('/home/')) ?? null;
}
