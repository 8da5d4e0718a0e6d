// The simulator's storage driver: each Pi's root is an upper directory layered over a shared unpacked image.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { DriverError, type ImageRef, type PiTarget, type StorageDriver } from '../types.js';
import { defaultUserOf, parsePasswd, unpackImage, type ImageUser } from './images.js';
import { createLayeredFs, type LayeredFs } from './layered-fs.js';
import type { PiState } from './state.js';

/** The per-Pi pieces the storage driver works on, provided by the simulator. */
export interface StorageDeps {
  dataDir: string;
  /** Run `fn` with the Pi's state under its lock, saving the state afterwards. */
  withPi<T>(pi: PiTarget, fn: (state: PiState, dir: string) => Promise<T>): Promise<T>;
}

/** The layered view of a Pi's root and its login users (root, plus the image's default user). */
export async function openRoot(
  state: PiState,
  dir: string,
): Promise<{ fs: LayeredFs; users: ImageUser[] }> {
  if (!state.lower)
    throw new DriverError('simulator', `Pi ${state.target.serial} has no root filesystem`);
  const root = createLayeredFs({ lower: state.lower, upper: join(dir, 'upper') });
  const passwd = parsePasswd(
    (await root.readFile('/etc/passwd').catch(() => Buffer.from(''))).toString(),
  );
  const users = [
    passwd.find((u) => u.name === 'root') ?? { name: 'root', uid: 0, gid: 0, home: '/root' },
    ...[defaultUserOf(passwd, state.image?.defaultUser)].filter((u): u is ImageUser => u !== null),
  ];
  return { fs: root, users };
}

async function bytesIn(path: string): Promise<number> {
  const st = await fs.lstat(path).catch(() => null);
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of await fs.readdir(path)) total += await bytesIn(join(path, name));
  return total;
}

/** Build the simulator's StorageDriver. */
export function createSimStorage(deps: StorageDeps): StorageDriver {
  const lowerRoot = join(deps.dataDir, 'lower');

  async function layOver(state: PiState, dir: string, image: ImageRef): Promise<void> {
    const lower = await unpackImage({ lowerRoot }, image);
    await fs.rm(join(dir, 'upper'), { recursive: true, force: true });
    await fs.mkdir(join(dir, 'upper'), { recursive: true, mode: 0o755 });
    const arch = await fs.readFile(join(lower, 'var/lib/dpkg/arch'), 'utf8').catch(() => 'arm64');
    state.image = image;
    state.lower = lower;
    state.arch = arch.trim() === 'armhf' ? 'armhf' : 'arm64';
  }

  return {
    create: (pi, image) =>
      deps.withPi(pi, async (state, dir) => {
        if (state.image && state.image.name !== image.name)
          throw new DriverError(
            'simulator',
            `Pi ${pi.serial} already has a root over ${state.image.name}; re-image or destroy it`,
          );
        if (state.image && state.lower) return; // a retried create finds its own work done
        await layOver(state, dir, image);
      }),
    reimage: (pi, image) => deps.withPi(pi, (state, dir) => layOver(state, dir, image)),
    destroy: (pi) =>
      deps.withPi(pi, async (state, dir) => {
        await fs.rm(join(dir, 'upper'), { recursive: true, force: true });
        state.image = null;
        state.lower = null;
      }),
    writeAuthorizedKeys: (pi, keys) =>
      deps.withPi(pi, async (state, dir) => {
        const { fs: root, users } = await openRoot(state, dir);
        const text = keys.length > 0 ? `${keys.map((k) => k.trim()).join('\n')}\n` : '';
        const paths: string[] = [];
        for (const u of users) {
          const sshDir = `${u.home}/.ssh`;
          await root.mkdir(sshDir, { parents: true, mode: 0o700 });
          await root.writeFile(`${sshDir}/authorized_keys`, text, { mode: 0o600 });
          await root.chown(u.home, u.uid, u.gid);
          await root.chown(sshDir, u.uid, u.gid);
          await root.chown(`${sshDir}/authorized_keys`, u.uid, u.gid);
          paths.push(`${sshDir}/authorized_keys`);
        }
        return { paths };
      }),
    writeHostname: (pi, hostname) =>
      deps.withPi(pi, async (state, dir) => {
        if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(hostname))
          throw new DriverError('simulator', `invalid hostname "${hostname}"`);
        const { fs: root } = await openRoot(state, dir);
        await root.writeFile('/etc/hostname', `${hostname}\n`);
      }),
    describe: (pi) =>
      deps.withPi(pi, async (state, dir) =>
        state.image
          ? { image: state.image.name, bytesUsed: await bytesIn(join(dir, 'upper')) }
          : null,
      ),
  };
}
