// The copy-on-write root: the image stays untouched, deletions hide image files, paths stay inside.
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLayeredFs, type FsError } from './layered-fs.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup() {
  const base = mkdtempSync(join(tmpdir(), 'layered-'));
  dirs.push(base);
  const lower = join(base, 'lower');
  const upper = join(base, 'upper');
  mkdirSync(join(lower, 'etc'), { recursive: true });
  mkdirSync(join(lower, 'home/pi'), { recursive: true });
  mkdirSync(upper);
  writeFileSync(join(lower, 'etc/hostname'), 'raspberrypi\n');
  writeFileSync(join(lower, 'home/pi/readme'), 'hello\n');
  symlinkSync('/etc', join(lower, 'etc-link'));
  symlinkSync('/', join(lower, 'rootlink'));
  symlinkSync('../../..', join(lower, 'home/pi/up'));
  return { fs: createLayeredFs({ lower, upper }), lower, upper };
}

const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: FsError) => e.code,
  );

describe('layered filesystem', () => {
  it('reads image files through the view', async () => {
    const { fs } = setup();
    expect((await fs.readFile('/etc/hostname')).toString()).toBe('raspberrypi\n');
    expect((await fs.readdir('/')).map((e) => e.path)).toEqual([
      '/etc',
      '/etc-link',
      '/home',
      '/rootlink',
    ]);
  });

  it('writes go to the upper layer and never change the image', async () => {
    const { fs, lower, upper } = setup();
    await fs.writeFile('/etc/hostname', 'pi-42\n');
    expect((await fs.readFile('/etc/hostname')).toString()).toBe('pi-42\n');
    expect(readFileSync(join(lower, 'etc/hostname'), 'utf8')).toBe('raspberrypi\n');
    expect(readFileSync(join(upper, 'etc/hostname'), 'utf8')).toBe('pi-42\n');
  });

  it('appending copies the image file up first', async () => {
    const { fs } = setup();
    await fs.writeFile('/home/pi/readme', 'more\n', { append: true });
    expect((await fs.readFile('/home/pi/readme')).toString()).toBe('hello\nmore\n');
  });

  it('deleting an image file hides it with a whiteout and keeps the image intact', async () => {
    const { fs, lower } = setup();
    await fs.rm('/home/pi/readme');
    expect(await fs.stat('/home/pi/readme')).toBeNull();
    expect((await fs.readdir('/home/pi')).map((e) => e.path)).toEqual(['/home/pi/up']);
    expect(existsSync(join(lower, 'home/pi/readme'))).toBe(true);
  });

  it('a directory recreated after deletion does not show the image contents', async () => {
    const { fs } = setup();
    await fs.rm('/home/pi', { recursive: true });
    await fs.mkdir('/home/pi');
    expect(await fs.readdir('/home/pi')).toEqual([]);
    await fs.writeFile('/home/pi/new', 'x');
    expect((await fs.readdir('/home/pi')).map((e) => e.path)).toEqual(['/home/pi/new']);
  });

  it('dropping the upper layer restores the image', async () => {
    const { fs, upper } = setup();
    await fs.rm('/etc/hostname');
    await fs.writeFile('/root-file', 'x');
    rmSync(upper, { recursive: true });
    mkdirSync(upper);
    expect((await fs.readFile('/etc/hostname')).toString()).toBe('raspberrypi\n');
    expect(await fs.stat('/root-file')).toBeNull();
  });

  it('keeps .. and absolute symlinks inside the root', async () => {
    const { fs } = setup();
    expect((await fs.readFile('/../../../../etc/hostname')).toString()).toBe('raspberrypi\n');
    expect((await fs.readFile('/etc-link/hostname')).toString()).toBe('raspberrypi\n');
    expect((await fs.readFile('/rootlink/etc/hostname')).toString()).toBe('raspberrypi\n');
    expect((await fs.readFile('/home/pi/up/home/pi/up/../../../etc/hostname')).toString()).toBe(
      'raspberrypi\n',
    );
    expect(await code(fs.readFile('/etc/passwd'))).toBe('ENOENT');
  });

  it('a symlink planted in the image cannot lead to host files', async () => {
    const { fs, lower } = setup();
    symlinkSync('/etc/passwd', join(lower, 'evil'));
    expect(await code(fs.readFile('/evil'))).toBe('ENOENT');
  });

  it('refuses whiteout names and reports shell-style errors', async () => {
    const { fs } = setup();
    expect(await code(fs.writeFile('/etc/.wh.hostname', 'x'))).toBe('EINVAL');
    expect(await code(fs.mkdir('/etc'))).toBe('EEXIST');
    expect(await code(fs.rm('/etc'))).toBe('EISDIR');
    expect(await code(fs.rm('/home', { dirOnly: true }))).toBe('ENOTEMPTY');
    expect(await code(fs.readFile('/etc'))).toBe('EISDIR');
    expect(await code(fs.writeFile('/nope/file', 'x'))).toBe('ENOENT');
    expect(await code(fs.readFile('/etc/hostname/x'))).toBe('ENOTDIR');
  });

  it('mkdir with parents creates the whole chain', async () => {
    const { fs } = setup();
    await fs.mkdir('/root/.ssh', { parents: true, mode: 0o700 });
    expect((await fs.stat('/root/.ssh'))?.mode).toBe(0o700);
  });
});
