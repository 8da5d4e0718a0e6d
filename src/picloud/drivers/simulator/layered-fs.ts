// A copy-on-write view of one Pi's root: reads fall through to the image, writes and whiteouts go to its layer.
import { lstatSync, promises as fs, type Stats } from 'node:fs';
import { posix } from 'node:path';

/** A filesystem error with the errno-style code a shell reports (`ENOENT`, `EACCES`, ...). */
export class FsError extends Error {
  readonly code: string;
  constructor(code: string, path: string) {
    super(`${path}: ${messages[code] ?? code}`);
    this.name = 'FsError';
    this.code = code;
  }
}

const messages: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  EINVAL: 'Invalid argument',
  EACCES: 'Permission denied',
};

/** Whiteout markers in the upper layer, as in OCI/AUFS layers: `.wh.<name>` hides a lower entry. */
const wh = '.wh.';
const opaqueMarker = '.wh..wh..opq';

export interface Entry {
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  mode: number;
  mtimeMs: number;
  uid: number;
  gid: number;
}

/** Where a canonical (symlink-free) virtual directory exists in each layer. */
interface DirAt {
  path: string;
  upper: boolean;
  lower: boolean;
}

interface Found {
  parent: DirAt;
  name: string;
  path: string;
  stat: Stats | null;
  layer: 'upper' | 'lower' | null;
}

// Path walks make several lstat calls per component, most of them misses; a synchronous local
// metadata call costs microseconds, where a thread-pool round trip plus a thrown ENOENT costs far more.
const lstat = async (p: string): Promise<Stats | null> =>
  lstatSync(p, { throwIfNoEntry: false }) ?? null;
const typeOf = (s: Stats): Entry['type'] =>
  s.isFile() ? 'file' : s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : 'other';

export type LayeredFs = ReturnType<typeof createLayeredFs>;

/**
 * A layered view over `lower` (the unpacked image, never written) and `upper` (this Pi's own
 * data). Every path is virtual: it is resolved component by component, symlinks are followed
 * inside the view only, so no path or link can reach a host file outside the two layers.
 */
export function createLayeredFs(deps: { lower: string; upper: string }) {
  const real = (layer: 'upper' | 'lower', p: string) =>
    posix.join(layer === 'upper' ? deps.upper : deps.lower, p);

  async function enter(dir: DirAt, name: string, s: Stats | null, layer: Found['layer']) {
    const path = posix.join(dir.path, name);
    const upper = layer === 'upper' && s!.isDirectory();
    const lowerStat = dir.lower && layer !== null ? await lstat(real('lower', path)) : null;
    const opaque = upper && (await lstat(real('upper', posix.join(path, opaqueMarker)))) !== null;
    const lower = !opaque && (lowerStat?.isDirectory() ?? false) && (layer === 'lower' || upper);
    return { path, upper, lower };
  }

  /** Look `name` up in directory `dir` without following it. */
  async function child(dir: DirAt, name: string): Promise<Found> {
    const path = posix.join(dir.path, name);
    if (name.startsWith(wh)) return { parent: dir, name, path, stat: null, layer: null };
    const u = dir.upper ? await lstat(real('upper', path)) : null;
    if (u) return { parent: dir, name, path, stat: u, layer: 'upper' };
    const hidden = dir.upper && (await lstat(real('upper', posix.join(dir.path, wh + name))));
    const l = dir.lower && !hidden ? await lstat(real('lower', path)) : null;
    return { parent: dir, name, path, stat: l, layer: l ? 'lower' : null };
  }

  /** Resolve a virtual path to its final component, following symlinks (except the last if told). */
  async function resolve(input: string, followLast = true): Promise<Found> {
    const split = (p: string) => p.split('/').filter((c) => c !== '' && c !== '.');
    let parts = split(posix.normalize(`/${input}`));
    let dir: DirAt = { path: '/', upper: true, lower: true };
    if (parts.length === 0) {
      const root = await lstat(deps.upper);
      return { parent: dir, name: '', path: '/', stat: root, layer: 'upper' };
    }
    for (let hops = 0; hops < 40;) {
      for (let i = 0; i < parts.length; i++) {
        const name = parts[i]!;
        const last = i === parts.length - 1;
        if (name === '..') {
          // `..` of a canonical path is its textual parent; restart from the root to recompute layers.
          parts = [...split(dir.path).slice(0, -1), ...parts.slice(i + 1)];
          dir = { path: '/', upper: true, lower: true };
          i = -1;
          continue;
        }
        const found = await child(dir, name);
        if (found.stat?.isSymbolicLink() && (!last || followLast)) {
          const target = await fs.readlink(real(found.layer!, found.path));
          const base = target.startsWith('/') ? [] : split(dir.path);
          parts = [...base, ...split(target), ...parts.slice(i + 1)];
          dir = { path: '/', upper: true, lower: true };
          hops++;
          break;
        }
        if (last) return found;
        if (!found.stat) throw new FsError('ENOENT', input);
        if (!found.stat.isDirectory()) throw new FsError('ENOTDIR', input);
        dir = await enter(dir, name, found.stat, found.layer);
      }
      if (parts.length === 0) return resolve('/');
    }
    throw new FsError('ELOOP', input);
  }

  /** Make sure the directory exists in the upper layer, copying its modes up from the image. */
  async function copyUpDir(path: string): Promise<void> {
    let cur = '/';
    for (const name of path.split('/').filter(Boolean)) {
      cur = posix.join(cur, name);
      const u = await lstat(real('upper', cur));
      if (u?.isDirectory()) continue;
      const l = await lstat(real('lower', cur));
      await fs.mkdir(real('upper', cur), { mode: l ? l.mode & 0o7777 : 0o755 });
      if (l) await fs.chown(real('upper', cur), l.uid, l.gid).catch(() => undefined);
    }
  }

  const toEntry = (path: string, s: Stats): Entry => ({
    path,
    type: typeOf(s),
    size: s.size,
    mode: s.mode & 0o7777,
    mtimeMs: s.mtimeMs,
    uid: s.uid,
    gid: s.gid,
  });

  async function readdir(path: string): Promise<Entry[]> {
    const found = await resolve(path);
    if (!found.stat) throw new FsError('ENOENT', path);
    if (!found.stat.isDirectory()) throw new FsError('ENOTDIR', path);
    const dir =
      found.path === '/'
        ? found.parent
        : await enter(found.parent, found.name, found.stat, found.layer);
    const names = new Set<string>();
    const hidden = new Set<string>();
    if (dir.upper)
      for (const n of await fs.readdir(real('upper', dir.path)))
        if (n.startsWith(wh)) hidden.add(n.slice(wh.length));
        else names.add(n);
    if (dir.lower)
      for (const n of await fs.readdir(real('lower', dir.path)).catch(() => [] as string[]))
        if (!hidden.has(n)) names.add(n);
    const out: Entry[] = [];
    for (const n of [...names].sort()) {
      const c = await child(dir, n);
      if (c.stat) out.push(toEntry(c.path, c.stat));
    }
    return out;
  }

  /** Write (or append to) a file, copying it up from the image first when appending. */
  async function writeFile(
    path: string,
    data: string | Buffer,
    opts: { append?: boolean; mode?: number } = {},
  ) {
    const found = await resolve(path);
    if (found.stat?.isDirectory()) throw new FsError('EISDIR', path);
    if (found.stat && !found.stat.isFile()) throw new FsError('EINVAL', path);
    if (found.name.startsWith(wh)) throw new FsError('EINVAL', path);
    await copyUpDir(found.parent.path);
    const target = real('upper', found.path);
    if (found.layer === 'lower' && opts.append)
      await fs.copyFile(real('lower', found.path), target);
    await fs.rm(real('upper', posix.join(found.parent.path, wh + found.name)), { force: true });
    if (opts.append) await fs.appendFile(target, data, { mode: opts.mode ?? 0o644 });
    else await fs.writeFile(target, data, { mode: opts.mode ?? 0o644 });
    if (opts.mode !== undefined) await fs.chmod(target, opts.mode);
  }

  async function mkdir(
    path: string,
    opts: { parents?: boolean; mode?: number } = {},
  ): Promise<void> {
    if (opts.parents) {
      let cur = '';
      for (const name of posix.normalize(`/${path}`).split('/').filter(Boolean)) {
        cur = `${cur}/${name}`;
        const f = await resolve(cur);
        if (!f.stat) await mkdir(cur, { mode: opts.mode });
        else if (!f.stat.isDirectory()) throw new FsError('ENOTDIR', cur);
      }
      return;
    }
    const found = await resolve(path, false);
    if (found.stat || found.path === '/') throw new FsError('EEXIST', path);
    if (found.name.startsWith(wh)) throw new FsError('EINVAL', path);
    await copyUpDir(found.parent.path);
    const whiteout = real('upper', posix.join(found.parent.path, wh + found.name));
    const replacing = (await lstat(whiteout)) !== null;
    await fs.mkdir(real('upper', found.path), { mode: opts.mode ?? 0o755 });
    // A directory made where the image had one that was deleted must not show the old contents.
    if (replacing) {
      await fs.writeFile(real('upper', posix.join(found.path, opaqueMarker)), '');
      await fs.rm(whiteout);
    }
  }

  async function rm(
    path: string,
    opts: { recursive?: boolean; dirOnly?: boolean } = {},
  ): Promise<void> {
    const found = await resolve(path, false);
    if (!found.stat) throw new FsError('ENOENT', path);
    if (found.path === '/') throw new FsError('EINVAL', path);
    if (found.stat.isDirectory()) {
      if (!opts.recursive && !opts.dirOnly) throw new FsError('EISDIR', path);
      if (!opts.recursive && (await readdir(found.path)).length > 0)
        throw new FsError('ENOTEMPTY', path);
    } else if (opts.dirOnly) throw new FsError('ENOTDIR', path);
    if (found.layer === 'upper')
      await fs.rm(real('upper', found.path), { recursive: true, force: true });
    const inLower = found.parent.lower && (await lstat(real('lower', found.path))) !== null;
    if (inLower) {
      await copyUpDir(found.parent.path);
      await fs.writeFile(real('upper', posix.join(found.parent.path, wh + found.name)), '');
    }
  }

  return {
    /** The canonical path (symlinks resolved inside the view); the last component need not exist. */
    async realpath(path: string): Promise<string> {
      return (await resolve(path)).path;
    },
    /** Metadata of a path (following symlinks), or null when it does not exist. */
    async stat(path: string): Promise<Entry | null> {
      const f = await resolve(path).catch(() => null);
      return f?.stat ? toEntry(f.path, f.stat) : null;
    },
    /** Contents of a regular file. */
    async readFile(path: string): Promise<Buffer> {
      const f = await resolve(path);
      if (!f.stat) throw new FsError('ENOENT', path);
      if (f.stat.isDirectory()) throw new FsError('EISDIR', path);
      if (!f.stat.isFile()) throw new FsError('EINVAL', path);
      return fs.readFile(real(f.layer!, f.path));
    },
    readdir,
    writeFile,
    mkdir,
    rm,
    /** Set ownership of a path in the upper layer (copying a file up first); best effort when unprivileged. */
    async chown(path: string, uid: number, gid: number): Promise<void> {
      const f = await resolve(path);
      if (!f.stat) throw new FsError('ENOENT', path);
      if (f.layer === 'lower') {
        if (f.stat.isDirectory()) await copyUpDir(f.path);
        else
          await writeFile(f.path, await fs.readFile(real('lower', f.path)), {
            mode: f.stat.mode & 0o7777,
          });
      }
      await fs.chown(real('upper', f.path), uid, gid).catch(() => undefined);
    },
  };
}
