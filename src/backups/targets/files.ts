// Directories as one tar stream; the scanner proves the end-of-archive marker and counts files.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { createTarScanner } from '../formats/tar.js';
import { runCapture } from '../proc.js';
import type { FilesTargetConfig, TableManifest } from '../types.js';
import type { TargetDriver } from './types.js';

const rootOf = (path: string): string => path.replace(/^\/+/, '').replace(/\/+$/, '');

async function walk(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = await walk(p);
      files += sub.files;
      bytes += sub.bytes;
    } else if (entry.isFile()) {
      files++;
      bytes += (await stat(p)).size;
    }
  }
  return { files, bytes };
}

export const filesDriver: TargetDriver<FilesTargetConfig> = {
  kind: 'files',
  refuse(config) {
    const out: string[] = [];
    if (config.paths.length === 0) out.push('no paths chosen');
    for (const p of config.paths) if (!isAbsolute(p)) out.push(`path must be absolute: ${p}`);
    return out;
  },
  async plan(config, ctx) {
    const version = await runCapture({ cmd: ctx.tools.tar, args: ['--version'] });
    const roots = config.paths.map(rootOf);
    const excludes = (config.exclude ?? []).map((e) => `--exclude=${e}`);
    const args = ['-cf', '-', '--numeric-owner', ...excludes, '-C', '/', ...roots];
    return {
      steps: [
        {
          file: 'files.tar',
          format: 'tar',
          command: { cmd: ctx.tools.tar, args, display: ['tar', ...args].join(' ') },
          roots,
        },
      ],
      excludedData: [],
      client: version.stdout.split('\n')[0] ?? 'tar',
      notes: [],
    };
  },
  scanner: (step) => createTarScanner(step.roots ?? []),
  judgeExit(exit) {
    if (exit.code === 0 && !exit.signal) return 'ok';
    // GNU tar exits 1 when a live file changed while read: the archive is whole but not a snapshot.
    const benign = exit.stderr.every((l) => /file changed as we read it|Removing leading/.test(l));
    return exit.code === 1 && benign ? 'warn' : 'error';
  },
  databasesOf: () => [],
  async restorePlan(_config, _artifact, dest, ctx) {
    const dir = dest.directory;
    if (!dir) throw new Error('a files restore needs a destination directory');
    return {
      before: async () => {
        await mkdir(dir, { recursive: true });
      },
      command: {
        cmd: ctx.tools.tar,
        args: ['-xf', '-', '--numeric-owner', '-C', dir],
        display: `tar -x -C ${dir}`,
      },
    };
  },
  async inspect(_config, artifact, dest) {
    const out: TableManifest[] = [];
    for (const t of artifact.tables) {
      const { files, bytes } = await walk(join(dest.directory ?? '/nonexistent', t.name)).catch(
        () => ({ files: 0, bytes: 0 }),
      );
      out.push({ name: t.name, rows: files, bytes, sha256: '' });
    }
    return out;
  },
  async query() {
    return { code: 0, signal: null, stderr: [], stdout: '' };
  },
  async drop(_config, dest) {
    if (dest.mode === 'test' && dest.directory)
      await rm(dest.directory, { recursive: true, force: true });
  },
};
