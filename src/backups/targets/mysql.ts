// MariaDB/MySQL target: one consistent --single-transaction dump of all or chosen databases.
import { createMysqlScanner } from '../formats/mysql-sql.js';
import { runCapture, type Command } from '../proc.js';
import type { MysqlTargetConfig, TableManifest } from '../types.js';
import { mysqlRestore } from './mysql-restore.js';
import { globMatcher, hasOption, type TargetContext, type TargetDriver } from './types.js';

/** Databases a MySQL dump never includes and a restore test never touches. */
export const mysqlSystemSchemas = ['information_schema', 'performance_schema', 'sys', 'mysql'];

/** Options that remove or fake the `-- Dump completed` trailer, or send output elsewhere. */
function refuseMysql(config: MysqlTargetConfig): string[] {
  const args = config.extraArgs ?? [];
  const out: string[] = [];
  const rule = (long: string, why: string, short?: string) => {
    if (hasOption(args, long, short)) out.push(`${long} refused: ${why}`);
  };
  rule('--compact', 'it removes the "-- Dump completed" trailer');
  rule('--skip-comments', 'it removes the "-- Dump completed" trailer');
  rule('--skip-dump-date', 'it reduces the trailer to a bare, undated "-- Dump completed"');
  if (args.some((a) => /^--(comments|dump-date)=(0|false|off)$/i.test(a)))
    out.push('disabling comments or the dump date is refused: the trailer depends on them');
  if (!config.allowForce)
    rule('--force', 'the dump goes on past SQL errors and still writes the trailer', '-f');
  rule('--tab', 'the dump must stream to stdout', '-T');
  rule('--xml', 'the dump must be SQL', '-X');
  rule('--result-file', 'the dump must stream to stdout', '-r');
  if (args.some((a) => a.startsWith('--defaults')))
    out.push('--defaults options refused: the connection comes from the target');
  if (Array.isArray(config.databases) && config.databases.length === 0)
    out.push('no databases chosen');
  return out;
}

const iniValue = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A [client] option file so the password never appears in argv or the report. */
export async function mysqlDefaultsFile(
  config: MysqlTargetConfig,
  ctx: TargetContext,
): Promise<string> {
  const lines = ['[client]'];
  if (config.host) lines.push(`host=${iniValue(config.host)}`);
  if (config.port) lines.push(`port=${config.port}`);
  if (config.socket) lines.push(`socket=${iniValue(config.socket)}`);
  if (config.user) lines.push(`user=${iniValue(config.user)}`);
  if (config.password !== undefined) lines.push(`password=${iniValue(config.password)}`);
  if (config.host && !config.socket) lines.push('protocol=TCP');
  return ctx.secretFile('my.cnf', lines.join('\n') + '\n');
}

/** Run SQL with the mariadb client; tab-separated rows out. */
export async function mysqlQuery(
  config: MysqlTargetConfig,
  ctx: TargetContext,
  sql: string,
  database?: string,
) {
  const file = await mysqlDefaultsFile(config, ctx);
  const args = [`--defaults-extra-file=${file}`, '-N', '-B', '-e', sql];
  if (database) args.push(database);
  return runCapture({ cmd: ctx.tools.mariadb, args });
}

/** SQL string literal for the mariadb client (backslash escapes on, the server default). */
export const literal = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

// Restricted to the chosen schemas so the server opens only those: an information_schema scan
// racing other sessions' DDL crashed MariaDB 10.11.19 here once (signal 11 in tmp-table cleanup).
async function listTables(
  config: MysqlTargetConfig,
  ctx: TargetContext,
  schemas: string[] | null,
): Promise<string[][]> {
  const where = schemas ? ` AND table_schema IN (${schemas.map(literal).join(', ')})` : '';
  const res = await mysqlQuery(
    config,
    ctx,
    `SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'${where}`,
  );
  if (res.code !== 0) throw new Error(`listing tables failed: ${res.stderr.join(' ')}`);
  return res.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .sort((a, b) => a.join('.').localeCompare(b.join('.')));
}

export const mysqlDriver: TargetDriver<MysqlTargetConfig> = {
  kind: 'mysql',
  refuse: refuseMysql,
  async plan(config, ctx) {
    const tool = config.client === 'mysqldump' ? ctx.tools.mysqldump : ctx.tools.mariadbDump;
    const version = await runCapture({ cmd: tool, args: ['--version'] });
    const client = version.stdout.trim() || tool;
    const chosen = config.databases === 'all' ? null : new Set(config.databases);
    const excludedData: TableManifest[] = [];
    const ignoreArgs: string[] = [];
    if (config.ephemeral?.length) {
      const isEphemeral = globMatcher(config.ephemeral);
      for (const [db, table] of await listTables(config, ctx, chosen && [...chosen])) {
        if (!db || !table || (chosen && !chosen.has(db)) || mysqlSystemSchemas.includes(db))
          continue;
        const name = `${db}.${table}`;
        if (!isEphemeral(name)) continue;
        ignoreArgs.push(`--ignore-table-data=${name}`);
        excludedData.push({
          name,
          database: db,
          relation: table,
          rows: 0,
          bytes: 0,
          sha256: '',
          dataSkipped: true,
        });
      }
    }
    const shown = [
      '--single-transaction',
      '--routines',
      '--triggers',
      '--events',
      ...(config.extraArgs ?? []),
    ];
    const target = chosen ? ['--databases', ...chosen] : ['--all-databases'];
    const file = await mysqlDefaultsFile(config, ctx);
    const name = tool.split('/').pop() ?? tool;
    const command: Command = {
      cmd: tool,
      args: [`--defaults-extra-file=${file}`, ...shown, ...ignoreArgs, ...target],
      display: [name, ...shown, ...target].join(' '),
    };
    return {
      steps: [
        {
          file: chosen ? 'databases.sql' : 'all.sql',
          format: 'mysql-sql',
          command,
          ...(chosen ? { databases: [...chosen] } : {}),
        },
      ],
      excludedData,
      client,
      notes: [],
    };
  },
  scanner: (step, _ctx, onTable) =>
    createMysqlScanner({
      ...(step.databases?.length === 1 ? { defaultDb: step.databases[0] } : {}),
      ...(onTable ? { onTable } : {}),
    }),
  ...mysqlRestore,
};
