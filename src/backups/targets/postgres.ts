// PostgreSQL target: pg_dump per database (custom format by default) plus pg_dumpall --globals-only.
import { createPgCustomScanner } from '../formats/pg-custom.js';
import { createPgTextScanner } from '../formats/pg-text.js';
import { runCapture, startChild, withOutputBuffer, type Command } from '../proc.js';
import type { PostgresTargetConfig, TableManifest } from '../types.js';
import { globMatcher, hasOption, type TargetContext, type TargetDriver } from './types.js';

/** Connection through libpq's environment, so nothing secret reaches argv or the report. */
export function pgEnv(config: PostgresTargetConfig): Record<string, string> {
  const env: Record<string, string> = {};
  if (config.socket ?? config.host) env.PGHOST = (config.socket ?? config.host) as string;
  if (config.port) env.PGPORT = String(config.port);
  if (config.user) env.PGUSER = config.user;
  if (config.password !== undefined) env.PGPASSWORD = config.password;
  return env;
}

export const psql = (config: PostgresTargetConfig, ctx: TargetContext, db: string, sql: string) =>
  runCapture({
    cmd: ctx.tools.psql,
    args: ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql],
    env: pgEnv(config),
  });

const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');
const ident = (s: string): string => '"' + s.replace(/"/g, '""') + '"';

async function listDatabases(config: PostgresTargetConfig, ctx: TargetContext): Promise<string[]> {
  const res = await psql(
    config,
    ctx,
    'postgres',
    'SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1',
  );
  if (res.code !== 0) throw new Error(`listing databases failed: ${res.stderr.join(' ')}`);
  return lines(res.stdout);
}

/** User tables of one database: [plain schema.table for globs, quoted form pg_dump prints]. */
async function listTables(config: PostgresTargetConfig, ctx: TargetContext, db: string) {
  const res = await psql(
    config,
    ctx,
    db,
    "SELECT schemaname || '.' || tablename || '|' || quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
  );
  if (res.code !== 0) throw new Error(`listing tables of ${db} failed: ${res.stderr.join(' ')}`);
  return lines(res.stdout).map((l) => l.split('|') as [string, string]);
}

function refusePostgres(config: PostgresTargetConfig): string[] {
  const args = config.extraArgs ?? [];
  const out: string[] = [];
  if (hasOption(args, '--file', '-f')) out.push('--file refused: the dump must stream to stdout');
  if (hasOption(args, '--format', '-F'))
    out.push('--format refused: set the target format instead');
  if (hasOption(args, '--jobs', '-j')) out.push('--jobs refused: it needs the directory format');
  if (Array.isArray(config.databases) && config.databases.length === 0)
    out.push('no databases chosen');
  return out;
}

export const postgresDriver: TargetDriver<PostgresTargetConfig> = {
  kind: 'postgres',
  refuse: refusePostgres,
  async plan(config, ctx) {
    const version = await runCapture({ cmd: ctx.tools.pgDump, args: ['--version'] });
    const dbs = config.databases === 'all' ? await listDatabases(config, ctx) : config.databases;
    const isEphemeral = globMatcher(config.ephemeral ?? []);
    const excludedData: TableManifest[] = [];
    const env = pgEnv(config);
    const plain = config.format === 'plain';
    const steps = [];
    for (const db of dbs) {
      const exclude: string[] = [];
      if (config.ephemeral?.length)
        for (const [plainName, quoted] of await listTables(config, ctx, db)) {
          if (!isEphemeral(`${db}.${plainName}`)) continue;
          const [schema = '', table = ''] = plainName.split(/\.(.*)/s);
          exclude.push(`--exclude-table-data=${ident(schema)}.${ident(table)}`);
          excludedData.push({
            name: `${db}.${quoted}`,
            database: db,
            relation: quoted,
            rows: 0,
            bytes: 0,
            sha256: '',
            dataSkipped: true,
          });
        }
      // -Z0: our zstd compresses once; pg_dump's own gzip would only slow both passes.
      const shown = plain ? ['-Fp'] : ['-Fc', '-Z0'];
      const command: Command = {
        cmd: ctx.tools.pgDump,
        args: [...shown, ...(config.extraArgs ?? []), ...exclude, '-d', db],
        env,
        display: ['pg_dump', ...shown, ...(config.extraArgs ?? []), db].join(' '),
      };
      steps.push({
        file: plain ? `${db}.sql` : `${db}.pgdump`,
        format: plain ? ('pg-plain' as const) : ('pg-custom' as const),
        command,
        database: db,
      });
    }
    if (config.globals !== false)
      steps.push({
        file: 'globals.sql',
        format: 'pg-plain' as const,
        command: {
          cmd: ctx.tools.pgDumpall,
          args: ['--globals-only'],
          env,
          display: 'pg_dumpall --globals-only',
        },
      });
    return { steps, excludedData, client: version.stdout.trim(), notes: [] };
  },
  scanner(step, ctx, onTable) {
    const database = step.database ?? 'globals';
    const table = onTable ? { onTable } : {};
    return step.format === 'pg-custom'
      ? createPgCustomScanner({ database, pgRestore: ctx.tools.pgRestore, ...table })
      : createPgTextScanner({ database, plainProof: true, ...table });
  },
  databasesOf: (artifact) => (artifact.database ? [artifact.database] : []),
  async restorePlan(config, artifact, dest, ctx) {
    const env = pgEnv(config);
    if (!artifact.database) {
      // Roles are cluster-wide: restoring them is an explicit overwrite, never part of a test.
      if (dest.mode !== 'overwrite') return null;
      return {
        command: {
          cmd: ctx.tools.psql,
          args: ['-X', '-q', '-d', 'postgres'],
          env,
          display: 'psql',
        },
      };
    }
    const to = dest.databaseMap[artifact.database];
    if (to === undefined) return null;
    const before = async () => {
      if (dest.mode === 'overwrite') return;
      const res = await psql(config, ctx, 'postgres', `CREATE DATABASE ${ident(to)}`);
      if (res.code !== 0)
        throw new Error(`creating database ${to} failed: ${res.stderr.join(' ')}`);
    };
    if (artifact.format === 'pg-plain')
      return {
        before,
        command: {
          cmd: ctx.tools.psql,
          args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', to],
          env,
          display: `psql ${to}`,
        },
      };
    const clean = dest.mode === 'overwrite' ? ['--clean', '--if-exists'] : ['--no-owner'];
    return {
      before,
      command: {
        cmd: ctx.tools.pgRestore,
        args: ['--exit-on-error', ...clean, '-d', to],
        env,
        display: `pg_restore ${clean.join(' ')} -d ${to}`,
      },
    };
  },
  async inspect(config, artifact, dest, ctx, checksums) {
    const orig = artifact.database ?? '';
    const db = dest.databaseMap[orig];
    if (!db) return [];
    if (checksums) {
      // COPY emits rows in heap order, and a fresh restore lays them down in dump order.
      const child = startChild(
        withOutputBuffer(
          { cmd: ctx.tools.pgDump, args: ['-Fp', '--data-only', '-d', db], env: pgEnv(config) },
          ctx.tools.stdbuf,
        ),
        { stdin: 'ignore' },
      );
      const scanner = createPgTextScanner({ database: orig, plainProof: false });
      for await (const chunk of child.stdout) await scanner.write(chunk as Buffer);
      const exit = await child.done;
      if (exit.code !== 0)
        throw new Error(`re-dump of the restored copy failed: ${exit.stderr.join(' ')}`);
      return (await scanner.end(false)).tables;
    }
    const tables = await listTables(config, ctx, db);
    if (tables.length === 0) return [];
    const sql = tables
      .map(
        ([, quoted]) => `SELECT '${quoted.replace(/'/g, "''")}' || '|' || count(*) FROM ${quoted}`,
      )
      .join(' UNION ALL ');
    const res = await psql(config, ctx, db, sql);
    if (res.code !== 0) throw new Error(`counting rows failed: ${res.stderr.join(' ')}`);
    return lines(res.stdout).map((l) => {
      const i = l.lastIndexOf('|');
      const relation = l.slice(0, i);
      return {
        name: `${orig}.${relation}`,
        database: orig,
        relation,
        rows: Number(l.slice(i + 1)),
        bytes: 0,
        sha256: '',
      };
    });
  },
  query: (config, database, sql, ctx) => psql(config, ctx, database, sql),
  async drop(config, dest, ctx) {
    for (const db of Object.values(dest.databaseMap))
      await psql(config, ctx, 'postgres', `DROP DATABASE IF EXISTS ${ident(db)} WITH (FORCE)`);
  },
};
