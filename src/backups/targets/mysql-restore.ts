// Restoring MariaDB/MySQL artifacts: into scratch or new databases (renamed in-stream) or over the
// original, and inspecting the restored copy to compare with the manifest.
import { createMysqlScanner } from '../formats/mysql-sql.js';
import { startChild, withOutputBuffer } from '../proc.js';
import type { MysqlTargetConfig, TableManifest } from '../types.js';
import { literal, mysqlDefaultsFile, mysqlQuery, mysqlSystemSchemas } from './mysql.js';
import { createDatabaseRenamer } from './rename.js';
import type { TargetDriver } from './types.js';

const q = (name: string): string => '`' + name.replace(/`/g, '``') + '`';

type RestoreParts = Pick<
  TargetDriver<MysqlTargetConfig>,
  'databasesOf' | 'restorePlan' | 'inspect' | 'query' | 'drop'
>;

export const mysqlRestore: RestoreParts = {
  databasesOf: (artifact) =>
    [...new Set([...(artifact.databases ?? []), ...artifact.tables.map((t) => t.database ?? '')])]
      .filter((d) => d && !mysqlSystemSchemas.includes(d))
      .sort(),

  async restorePlan(config, _artifact, dest, ctx) {
    const file = await mysqlDefaultsFile(config, ctx);
    return {
      async before() {
        if (dest.mode === 'overwrite') return;
        // Plain CREATE (no IF NOT EXISTS): a restore never merges into an existing database.
        for (const db of Object.values(dest.databaseMap)) {
          const res = await mysqlQuery(config, ctx, `CREATE DATABASE ${q(db)}`);
          if (res.code !== 0)
            throw new Error(`creating database ${db} failed: ${res.stderr.join(' ')}`);
        }
      },
      command: {
        cmd: ctx.tools.mariadb,
        args: [`--defaults-extra-file=${file}`],
        display: 'mariadb',
      },
      // Always filtered: besides renaming, it keeps system schemas out of every restore.
      filter: () => createDatabaseRenamer(dest.databaseMap),
    };
  },

  async inspect(config, _artifact, dest, ctx, checksums) {
    const back = new Map(Object.entries(dest.databaseMap).map(([from, to]) => [to, from]));
    const dbs = [...back.keys()];
    if (checksums) {
      // Re-dump the copy with the same client and format options; InnoDB returns rows in
      // primary-key order, so an identical copy gives identical INSERT lines and hashes. One
      // dump per database, two at a time, so a copy of several databases is compared in about
      // the time of its largest (measured: 8.2 s → 7.3 s per GB for the bench's two).
      const file = await mysqlDefaultsFile(config, ctx);
      const tool = config.client === 'mysqldump' ? ctx.tools.mysqldump : ctx.tools.mariadbDump;
      const extra = (config.extraArgs ?? []).filter((a) => !/^(-f|--force)$/.test(a));
      const redump = async (db: string) => {
        const command = {
          cmd: tool,
          args: [
            `--defaults-extra-file=${file}`,
            '--single-transaction',
            '--no-create-info',
            '--skip-triggers',
            ...extra,
            '--databases',
            db,
          ],
        };
        const child = startChild(withOutputBuffer(command, ctx.tools.stdbuf), { stdin: 'ignore' });
        const scanner = createMysqlScanner();
        for await (const chunk of child.stdout) await scanner.write(chunk as Buffer);
        const exit = await child.done;
        const result = await scanner.end(false);
        if (exit.code !== 0)
          throw new Error(`re-dump of the restored copy failed: ${exit.stderr.join(' ')}`);
        return result.tables;
      };
      const tables: Awaited<ReturnType<typeof redump>> = [];
      const queue = [...dbs];
      const worker = async () => {
        for (let db = queue.shift(); db !== undefined; db = queue.shift())
          tables.push(...(await redump(db)));
      };
      await Promise.all([worker(), worker()]);
      return tables.map((t) => {
        const db = back.get(t.database ?? '') ?? t.database ?? '';
        return { ...t, database: db, name: `${db}.${t.relation ?? ''}` };
      });
    }
    const list = await mysqlQuery(
      config,
      ctx,
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema IN (${dbs.map(literal).join(',')})`,
    );
    const rows = list.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t'));
    if (rows.length === 0) return [];
    const sql = rows
      .map(
        ([db, t]) =>
          `SELECT ${literal(db ?? '')}, ${literal(t ?? '')}, COUNT(*) FROM ${q(db ?? '')}.${q(t ?? '')}`,
      )
      .join(' UNION ALL ');
    const counts = await mysqlQuery(config, ctx, sql);
    if (counts.code !== 0) throw new Error(`counting rows failed: ${counts.stderr.join(' ')}`);
    return counts.stdout
      .split('\n')
      .filter(Boolean)
      .map((l): TableManifest => {
        const [db = '', t = '', n = '0'] = l.split('\t');
        const orig = back.get(db) ?? db;
        return {
          name: `${orig}.${t}`,
          database: orig,
          relation: t,
          rows: Number(n),
          bytes: 0,
          sha256: '',
        };
      });
  },

  query: (config, database, sql, ctx) => mysqlQuery(config, ctx, sql, database),

  async drop(config, dest, ctx) {
    for (const db of Object.values(dest.databaseMap))
      await mysqlQuery(config, ctx, `DROP DATABASE IF EXISTS ${q(db)}`);
  },
};
