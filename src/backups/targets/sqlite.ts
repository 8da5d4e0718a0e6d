// SQLite target (Bestiary's own embedded database): a consistent snapshot by `VACUUM INTO` in a
// child process, streamed like any dump; restores write a checked copy, or go over the live file
// through SQLite's online backup API so open connections stay valid.
import { createRequire } from 'node:module';
import { basename, extname, isAbsolute } from 'node:path';
import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { createSqliteScanner, sqliteManifest } from '../formats/sqlite.js';
import { runCapture } from '../proc.js';
import type { SqliteTargetConfig } from '../types.js';
import type { TargetContext, TargetDriver } from './types.js';

const library = createRequire(import.meta.url).resolve('better-sqlite3');

// Run by `node -e` in a child, so a snapshot of a large file never blocks this process. argv:
//   dump LIB SRC SNAP        snapshot SRC into SNAP (an empty file), stream it to stdout
//   restore LIB DEST MODE    stdin -> file, integrity_check, then MODE: new | test | live
const helper = `
const fs = require('fs');
const { pipeline } = require('stream/promises');
const [op, lib, a, b] = process.argv.slice(1);
const SQLite = require(lib);
const fail = (m) => { process.stderr.write('error: ' + m + '\\n'); process.exit(1); };
const check = (file) => {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  const r = db.pragma('integrity_check', { simple: true });
  db.close();
  if (r !== 'ok') fail('integrity_check of the restored file: ' + r);
};
const sync = (file) => { const fd = fs.openSync(file, 'r'); fs.fsyncSync(fd); fs.closeSync(fd); };
(async () => {
  if (op === 'dump') {
    const db = new SQLite(a, { readonly: true, fileMustExist: true });
    db.prepare('VACUUM INTO ?').run(b);
    db.close();
    const input = fs.createReadStream(b);
    input.on('end', () => fs.unlinkSync(b));
    input.pipe(process.stdout);
  } else if (op === 'restore') {
    const mode = b;
    if (mode === 'new' && fs.existsSync(a)) fail(a + ' already exists');
    const part = mode === 'test' ? a : a + '.restore-part';
    await pipeline(process.stdin, fs.createWriteStream(part, { mode: 0o600 }));
    sync(part);
    check(part);
    if (mode === 'new') fs.renameSync(part, a);
    if (mode === 'live') {
      const copy = new SQLite(part, { readonly: true });
      await copy.backup(a);
      copy.close();
      fs.unlinkSync(part);
    }
  } else fail('unknown operation ' + op);
})().catch((e) => fail(e && e.message ? e.message : String(e)));
`;

/** The name a SQLite file's database goes by in manifests and restore maps: `bestiary`. */
export const sqliteDatabaseName = (path: string): string => basename(path, extname(path));

/** Where a restore test keeps its scratch copy: a private file of the run, found again by name. */
const scratch = (ctx: TargetContext, name: string) => ctx.secretFile(`${name}.sqlite`, '');

const nodeVersion = async (ctx: TargetContext) =>
  (await runCapture({ cmd: ctx.tools.node, args: ['--version'] })).stdout.split('\n')[0]!.trim();

export const sqliteDriver: TargetDriver<SqliteTargetConfig> = {
  kind: 'sqlite',
  refuse: (config) => (isAbsolute(config.path) ? [] : [`path must be absolute: ${config.path}`]),
  async plan(config, ctx) {
    // VACUUM INTO wants a new or empty file; secretFile makes an empty private one.
    const snapshot = await ctx.secretFile('snapshot.sqlite', '');
    const database = sqliteDatabaseName(config.path);
    return {
      steps: [
        {
          file: `${database}.sqlite`,
          format: 'sqlite',
          database,
          command: {
            cmd: ctx.tools.node,
            args: ['-e', helper, '--', 'dump', library, config.path, snapshot],
            display: `VACUUM INTO snapshot of ${config.path}`,
          },
        },
      ],
      excludedData: [],
      client: await nodeVersion(ctx),
      notes: [],
    };
  },
  scanner: (step, ctx) =>
    createSqliteScanner({
      database: step.database ?? 'main',
      spool: () => ctx.secretFile(`spool-${randomBytes(4).toString('hex')}.sqlite`, ''),
    }),
  databasesOf: (artifact) => (artifact.database ? [artifact.database] : []),
  async restorePlan(config, artifact, dest, ctx) {
    const to = dest.databaseMap[artifact.database ?? ''];
    if (to === undefined) return null;
    let file = config.path;
    let mode = 'live';
    if (dest.mode === 'test') [file, mode] = [await scratch(ctx, to), 'test'];
    if (dest.mode === 'new') {
      if (!isAbsolute(to)) throw new Error(`a SQLite restore goes to an absolute file path: ${to}`);
      [file, mode] = [to, 'new'];
    }
    return {
      command: {
        cmd: ctx.tools.node,
        args: ['-e', helper, '--', 'restore', library, file, mode],
        display: mode === 'live' ? `SQLite online backup into ${file}` : `restore to ${file}`,
      },
    };
  },
  async inspect(_config, artifact, dest, ctx) {
    const to = dest.databaseMap[artifact.database ?? ''];
    if (to === undefined) return [];
    return sqliteManifest(await scratch(ctx, to), artifact.database ?? 'main');
  },
  async query(_config, database, sql, ctx) {
    const db = new SQLite(await scratch(ctx, database), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare(sql).raw(true).all() as unknown[][];
      return {
        code: 0,
        signal: null,
        stderr: [],
        stdout: rows.map((r) => r.join('|')).join('\n'),
      };
    } catch (err) {
      return { code: 1, signal: null, stderr: [String(err)], stdout: '' };
    } finally {
      db.close();
    }
  },
  // A test's scratch copy is a private file of the run, removed with the run's directory.
  drop: async () => undefined,
};
