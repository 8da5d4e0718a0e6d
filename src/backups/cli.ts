// `bestiary backup …`: list, run, report, restore, restore-test, verify, summary and add, run in
// this process (not queued) so the operator sees each report line and the restore's progress.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cliActor } from '../core/actor.js';
import { ValidationError } from '../core/errors.js';
import type { BackupsModule } from './module.js';
import { formatBytes, formatLine } from './report.js';
import type { TargetInput } from './targets-admin.js';

export const backupUsage = `  backup list [TARGET]                 Targets with their newest verified backup, or one target's runs.
  backup run TARGET                    Back up now, printing the report as it is written.
  backup report RUN                    Print a run's report (INFO/WARN/ERROR lines).
  backup restore RUN --into NAME       Restore into a new database (SQLite: a file; files: a directory).
  backup restore RUN --over --confirm "PHRASE"
                                       Restore over the original; PHRASE names what is replaced.
  backup restore-test TARGET           Restore the newest verified backup into scratch, compare, drop.
  backup verify [TARGET] [--deep]      Re-verify stored artifacts (deep: decompress and re-prove).
  backup summary                       The operators' daily summary.
  backup add --name N --kind mysql|postgres|files --owner provider|pi:EMAIL/PI|server:EMAIL/ID
             [--host H] [--port P] [--socket S] [--user U] [--password-file F]
             [--databases all|a,b] [--ephemeral '*.sessions,*.cache_*'] [--paths /srv,/etc]
             [--schedule "17 3 * * *"]   Add a target (its password is sealed at rest).`;

type Out = (line: string) => void;
const when = (ms: number | null) =>
  ms === null ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
const csv = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function addInput(
  v: Record<string, string | boolean | undefined>,
  accountOf: (email: string) => Promise<string>,
) {
  const s = (k: string) => {
    const x = v[k];
    return typeof x === 'string' ? x : undefined;
  };
  return async (): Promise<TargetInput> => {
    const [ownerKind = '', ownerRef = ''] = (s('owner') ?? 'provider').split(':');
    const [email = '', ref = ''] = ownerRef.split('/');
    const owner =
      ownerKind === 'pi'
        ? { kind: 'pi' as const, accountId: await accountOf(email), piName: ref }
        : ownerKind === 'server'
          ? { kind: 'server' as const, accountId: await accountOf(email), serverId: ref }
          : { kind: 'provider' as const };
    const kind = s('kind');
    const conn = {
      ...(s('host') ? { host: s('host') } : {}),
      ...(s('port') ? { port: Number(s('port')) } : {}),
      ...(s('socket') ? { socket: s('socket') } : {}),
      ...(s('user') ? { user: s('user') } : {}),
      ...(s('password-file') ? { password: readFileSync(s('password-file')!, 'utf8').trim() } : {}),
    };
    const databases =
      s('databases') === 'all' || !s('databases') ? ('all' as const) : csv(s('databases'));
    const ephemeral = s('ephemeral') ? { ephemeral: csv(s('ephemeral')) } : {};
    const config =
      kind === 'files'
        ? { kind: 'files' as const, paths: csv(s('paths')) }
        : kind === 'postgres'
          ? { kind: 'postgres' as const, ...conn, databases, ...ephemeral }
          : { kind: 'mysql' as const, ...conn, databases, ...ephemeral };
    if (kind !== 'files' && kind !== 'postgres' && kind !== 'mysql')
      throw new ValidationError('--kind is mysql, postgres or files');
    return {
      name: s('name') ?? '',
      owner,
      config,
      ...(s('schedule') ? { schedule: s('schedule') } : {}),
    };
  };
}

/** Run `backup …`; returns the exit code (1 when a run or restore failed). */
export async function runBackupCli(
  backups: BackupsModule,
  argv: string[],
  out: Out,
  accountOf: (email: string) => Promise<string>,
): Promise<number> {
  const stringOptions = [
    'into',
    'confirm',
    'name',
    'kind',
    'owner',
    'host',
    'port',
    'socket',
    'user',
    'password-file',
    'databases',
    'ephemeral',
    'paths',
    'schedule',
  ];
  const parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...Object.fromEntries(stringOptions.map((k) => [k, { type: 'string' as const }])),
      over: { type: 'boolean' },
      deep: { type: 'boolean' },
    },
  });
  const positionals = parsed.positionals;
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const [sub, arg] = positionals;
  // A fresh install has its own database as a target before the server ever ran.
  await backups.ensureSelfTarget();
  const actor = cliActor;
  const need = (what: string) => {
    if (!arg) throw new ValidationError(`Usage: bestiary backup ${sub} ${what}`);
    return arg;
  };
  switch (sub ?? '') {
    case 'list': {
      if (arg) {
        for (const r of await backups.listRuns(actor, arg, 30))
          out(
            `${r.id}  ${when(r.startedAt)}  ${r.status.padEnd(7)} ${r.level.padEnd(5)} ${formatBytes(r.storedBytes).padStart(10)}  ${r.trigger}`,
          );
        return 0;
      }
      const fresh = new Map((await backups.freshness()).map((f) => [f.targetId, f]));
      for (const t of await backups.listTargets(actor)) {
        const f = fresh.get(t.id);
        out(
          `${t.name}  [${t.ownerKind}${t.enabled ? '' : ', paused'}]  ${t.describe}  schedule "${t.schedule}"  last verified ${when(f?.lastVerifiedAt ?? null)}${f?.stale ? '  STALE' : ''}`,
        );
      }
      return 0;
    }
    case 'run': {
      const run = await backups.runInline(actor, need('TARGET'), (l) => out(formatLine(l)));
      out(`run ${run.id}: ${run.status}`);
      return run.status === 'good' ? 0 : 1;
    }
    case 'report': {
      const { run, target } = await backups.getRun(actor, need('RUN'));
      out(`# ${target.name}, run ${run.id} (${run.status})`);
      for (const l of run.report) out(formatLine(l));
      return 0;
    }
    case 'restore': {
      const runId = need('RUN --into NAME | --over --confirm PHRASE');
      if (!values.over && typeof values.into !== 'string')
        throw new ValidationError('Say --into NAME, or --over --confirm "PHRASE"');
      if (values.over) {
        const { databases, phrase } = await backups.confirmation(actor, runId);
        out(
          `This replaces: ${databases.join(', ') || phrase}. The confirmation phrase is "${phrase}".`,
        );
      }
      let lastPct = -1;
      const record = await backups.restoreInline(
        actor,
        runId,
        values.over
          ? { mode: 'overwrite', confirm: typeof values.confirm === 'string' ? values.confirm : '' }
          : { mode: 'new', into: values.into as string },
        (p) => {
          const pct = p.total ? Math.floor((100 * p.bytes) / p.total / 10) * 10 : -1;
          if (pct > lastPct) out(`${p.phase}: ${pct}% of ${formatBytes(p.total ?? 0)}`);
          lastPct = Math.max(lastPct, pct);
        },
      );
      for (const l of record.report) out(formatLine(l));
      return record.ok ? 0 : 1;
    }
    case 'restore-test': {
      const record = await backups.restoreTestInline(actor, need('TARGET'));
      for (const l of record.report) out(formatLine(l));
      return record.ok ? 0 : 1;
    }
    case 'verify': {
      let failed = false;
      for (const { target, lines } of await backups.verify(actor, arg, values.deep === true)) {
        out(`# ${target}`);
        for (const l of lines) out(formatLine(l));
        failed ||= lines.some((l) => l.level === 'ERROR');
      }
      return failed ? 1 : 0;
    }
    case 'summary':
      out(await backups.dailySummary());
      return 0;
    case 'add': {
      const input = await addInput(values, accountOf)();
      const t = await backups.addTarget(input, actor);
      out(`Added ${t.name} (${t.id}): ${t.describe}, schedule "${t.schedule}".`);
      return 0;
    }
    default:
      throw new ValidationError(`Unknown backup command "${sub ?? ''}".\n${backupUsage}`);
  }
}
