// Restores and restore tests: stream an artifact back (verify, decrypt, decompress) into the
// restore client, then, for a test, compare the copy with the manifest, query it and drop it.
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { newId } from '../core/ids.js';
import { createRunContext } from './context.js';
import type { BackupEngineDeps } from './engine.js';
import { consumerInput, describeExit, exitOk, runCapture, startChild, stopChild } from './proc.js';
import { classifyStderr, createReport, formatDuration, type Report } from './report.js';
import { driverFor } from './targets/index.js';
import type { RestoreDestination, TargetContext, TargetDriver } from './targets/types.js';
import type {
  ArtifactRecord,
  BackupRun,
  BackupTarget,
  Progress,
  RestoreRecord,
  TableManifest,
} from './types.js';
import { openArtifact } from './verify.js';

export interface RestoreRequest {
  mode: 'test' | 'new' | 'overwrite';
  /** The record's id, chosen by the caller (the store's row made when the restore was asked for). */
  id?: string;
  /** For `new`: original database -> new name (every database of the run must be mapped). */
  databaseMap?: Record<string, string>;
  /** For files targets: where to extract. */
  directory?: string;
  onProgress?: (p: Progress) => void;
}

/** What a caller must show and have typed before an overwrite: the names that will be replaced. */
export function overwriteConfirmation(
  target: BackupTarget,
  run: BackupRun,
): { databases: string[]; phrase: string } {
  const driver = driverFor(target.config);
  const databases = [...new Set(run.artifacts.flatMap((a) => driver.databasesOf(a)))].sort();
  return { databases, phrase: databases.length ? databases.join(' ') : target.name };
}

/** Write an ERROR line and yield false, so `ok = failed(report, …)` reads as what it does. */
function failed(report: Report, text: string): false {
  report.error(text);
  return false;
}

async function restoreArtifact(
  deps: BackupEngineDeps,
  driver: TargetDriver,
  target: BackupTarget,
  artifact: ArtifactRecord,
  dest: RestoreDestination,
  ctx: TargetContext,
  report: Report,
  onProgress?: (p: Progress) => void,
): Promise<boolean> {
  const plan = await driver.restorePlan(target.config, artifact, dest, ctx);
  if (!plan) {
    report.info(`${artifact.key}: not restored in a ${dest.mode} restore`);
    return true;
  }
  await plan.before?.();
  let read = 0;
  const { stages, sha } = openArtifact(deps.storage, artifact, deps.decryptKeys, (n) => {
    read += n;
    onProgress?.({ phase: 'restore', bytes: read, total: artifact.storedBytes });
  });
  const zstd = startChild({ cmd: ctx.tools.zstd, args: ['-d', '-q', '-c'] });
  const client = startChild(plan.command);
  const errors: string[] = [];
  const fail = (what: string) => (e: unknown) => {
    errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    stopChild(zstd);
    stopChild(client);
  };
  client.stdout.resume(); // psql/mariadb chatter is not needed; stderr is kept
  const input = consumerInput(client.stdin, client.name);
  const down = plan.filter
    ? pipeline(zstd.stdout, plan.filter(), input.sink).catch(fail('feeding the restore client'))
    : pipeline(zstd.stdout, input.sink).catch(fail('feeding the restore client'));
  const up = pipeline([...stages, zstd.stdin]).catch(fail('reading the artifact'));
  const [zExit, cExit] = await Promise.all([zstd.done, client.done]);
  await Promise.all([up, down]);
  let ok = errors.length === 0;
  for (const e of errors) report.error(e);
  for (const line of cExit.stderr) report.add(classifyStderr(line), `[child] ${line}`);
  if (!exitOk(zExit)) ok = failed(report, `zstd -d ${describeExit(zExit)}`);
  const left = input.undelivered();
  if (left.nonZero)
    ok = failed(report, `${client.name} stopped reading with ${left.bytes} bytes not restored`);
  else if (left.bytes > 0)
    report.info(
      `${client.name} stopped at its end marker; ${left.bytes} zero bytes after it unread`,
    );
  if (exitOk(cExit)) report.info(`${client.display} ${describeExit(cExit)}`);
  else ok = failed(report, `${client.display} ${describeExit(cExit)}`);
  if (sha.digest('hex') !== artifact.sha256)
    ok = failed(report, `${artifact.key}: SHA-256 mismatch while restoring`);
  return ok;
}

/** Compare the restored copy with the manifest: every table, its rows, and (if taken) its SHA-256. */
export function compareTables(
  manifest: readonly TableManifest[],
  copy: readonly TableManifest[],
  report: Report,
): boolean {
  const got = new Map(copy.map((t) => [t.name, t]));
  let ok = true;
  let checked = 0;
  for (const t of manifest) {
    const c = got.get(t.name);
    got.delete(t.name);
    if (!c) {
      ok = failed(report, `table ${t.name} is missing from the restored copy`);
      continue;
    }
    if (c.rows !== t.rows)
      ok = failed(report, `table ${t.name}: ${c.rows} rows restored, manifest says ${t.rows}`);
    else if (!t.dataSkipped && c.sha256 && t.sha256 && c.sha256 !== t.sha256)
      ok = failed(
        report,
        `table ${t.name}: checksum of the restored data differs from the manifest`,
      );
    else checked++;
  }
  for (const name of got.keys())
    report.warn(`table ${name} is in the restored copy but not in the manifest`);
  report.add(
    ok ? 'INFO' : 'ERROR',
    `compared ${manifest.length} tables with the manifest: ${checked} match`,
  );
  return ok;
}

/** Restore a run (test, new or overwrite). Tests always drop what they created. */
export async function restoreRun(
  deps: BackupEngineDeps,
  target: BackupTarget,
  run: BackupRun,
  request: RestoreRequest,
): Promise<RestoreRecord> {
  const driver = driverFor(target.config);
  const startedAt = deps.clock.now();
  const report = createReport(deps.clock);
  const ctx = await createRunContext(deps.tools, deps.tmpDir);
  const suffix = randomBytes(4).toString('hex');
  const dbs = [...new Set(run.artifacts.flatMap((a) => driver.databasesOf(a)))];
  const databaseMap: Record<string, string> =
    request.mode === 'test'
      ? Object.fromEntries(dbs.map((d) => [d, `rt_${suffix}_${d}`.slice(0, 60)]))
      : request.mode === 'overwrite'
        ? Object.fromEntries(dbs.map((d) => [d, d]))
        : (request.databaseMap ?? {});
  const directory =
    request.directory ??
    (request.mode === 'test' ? `${deps.tmpDir ?? '/tmp'}/bestiary-rt-${suffix}` : undefined);
  const dest: RestoreDestination = {
    mode: request.mode,
    databaseMap,
    ...(directory ? { directory } : {}),
  };
  if (run.status !== 'good') report.warn(`run ${run.id} is not a good run`);
  let ok = true;
  try {
    if (run.prunedAt !== null) throw new Error(`run ${run.id} was pruned; its artifacts are gone`);
    const current = await currentClient(driver, ctx);
    if (run.client && current && current !== run.client)
      report.warn(`restore client "${current}" differs from the dump client "${run.client}"`);
    for (const artifact of run.artifacts) {
      const t0 = deps.clock.now();
      const restored = await restoreArtifact(
        deps,
        driver,
        target,
        artifact,
        dest,
        ctx,
        report,
        request.onProgress,
      );
      ok &&= restored;
      report.info(`${artifact.key}: restored in ${formatDuration(deps.clock.now() - t0)}`);
      if (!restored) break;
      if (request.mode === 'test') {
        request.onProgress?.({ phase: 'compare', bytes: 0 });
        const copy = await driver.inspect(
          target.config,
          artifact,
          dest,
          ctx,
          target.restoreTest?.checksums ?? true,
        );
        // System schemas (mysql.*) are never restored, so they are not compared either.
        const expected = artifact.tables.filter(
          (t) => t.database === undefined || t.database in databaseMap,
        );
        const skipped = [
          ...new Set(artifact.tables.filter((t) => !expected.includes(t)).map((t) => t.database)),
        ];
        if (skipped.length)
          report.info(`not restored or compared (system schemas): ${skipped.join(', ')}`);
        ok = compareTables(expected, copy, report) && ok;
      }
    }
    const q = target.restoreTest?.query;
    if (ok && request.mode === 'test' && q) {
      const db = databaseMap[target.restoreTest?.database ?? dbs[0] ?? ''] ?? '';
      const res = await driver.query(target.config, db, q, ctx);
      if (exitOk(res))
        report.info(
          `restore-test query ok: ${res.stdout.trim().split('\n')[0]?.slice(0, 200) ?? ''}`,
        );
      else ok = failed(report, `restore-test query failed: ${res.stderr.join(' ')}`);
    }
  } catch (err) {
    ok = failed(report, `restore aborted: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    if (request.mode === 'test') {
      await driver
        .drop(target.config, dest, ctx)
        .catch((e: unknown) => report.warn(`dropping the scratch copy failed: ${String(e)}`));
      report.info('scratch copy dropped');
    }
    await ctx.dispose();
  }
  report.add(
    ok ? 'INFO' : 'ERROR',
    `${request.mode === 'test' ? 'restore test' : 'restore'} of run ${run.id} ${ok ? 'passed' : 'FAILED'} in ${formatDuration(deps.clock.now() - startedAt)}`,
  );
  const record: RestoreRecord = {
    id: request.id ?? newId(),
    runId: run.id,
    targetId: target.id,
    mode: request.mode,
    ok,
    startedAt,
    finishedAt: deps.clock.now(),
    report: report.lines(),
  };
  await deps.persistence.recordRestore(record);
  return record;
}

async function currentClient(driver: TargetDriver, ctx: TargetContext): Promise<string | null> {
  const tool = {
    mysql: ctx.tools.mariadbDump,
    postgres: ctx.tools.pgDump,
    files: ctx.tools.tar,
    sqlite: ctx.tools.node,
  }[driver.kind];
  const res = await runCapture({ cmd: tool, args: ['--version'] });
  return res.code === 0 ? (res.stdout.split('\n')[0] ?? '').trim() : null;
}
