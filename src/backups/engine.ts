// A backup run from start to verdict: refuse unsafe configs, dump every step through the
// pipeline, read the artifacts back, judge plausibility, record, beat, then apply retention.
import type { Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { createRunContext, type RunContext } from './context.js';
import type { DecryptKeys, EncryptTo } from './crypto/stream.js';
import { runDumpStep } from './pipeline.js';
import { withOutputBuffer } from './proc.js';
import { figuresOf, judgePlausibility } from './plausibility.js';
import { createReport, formatBytes, formatDuration, type Report } from './report.js';
import { planRetention } from './retention.js';
import type { ArtifactStorage } from './storage/types.js';
import { driverFor } from './targets/index.js';
import type { DumpPlan, DumpStep, ToolPaths } from './targets/types.js';
import type {
  ArtifactRecord,
  BackupPersistence,
  BackupRun,
  BackupTarget,
  Heartbeat,
  Progress,
  ReportLine,
} from './types.js';
import { verifyArtifact } from './verify.js';

export interface BackupEngineDeps {
  clock: Clock;
  logger: Logger;
  persistence: BackupPersistence;
  storage: ArtifactStorage;
  /** How new artifacts are encrypted; null stores them unencrypted (reported as WARN). */
  encryptTo: EncryptTo | null;
  decryptKeys: DecryptKeys;
  tools?: Partial<ToolPaths>;
  zstd?: { level?: number; threads?: number };
  /** Monitoring seam: every finished run beats, ok or not. */
  heartbeat?: (beat: Heartbeat) => void | Promise<void>;
  /** Live report lines (panel progress, logs). */
  onReportLine?: (runId: string, line: ReportLine) => void;
  /** Directory for per-run private files (client credentials). */
  tmpDir?: string;
}

export interface RunOptions {
  onProgress?: (p: Progress) => void;
  /** The run's id, chosen by the caller (a job carries it, so a retry records the same run). */
  runId?: string;
  /** Test seam: the dump process id of each step as it starts. */
  onSpawn?: (pid: number) => void;
}

export type { DecryptKeys };

/** Run one backup of `target` now; resolves with the recorded run (never rejects for a failed dump). */
export async function runBackup(
  deps: BackupEngineDeps,
  target: BackupTarget,
  options: RunOptions = {},
): Promise<BackupRun> {
  const driver = driverFor(target.config);
  const startedAt = deps.clock.now();
  const run: BackupRun = {
    id: options.runId ?? newId(),
    targetId: target.id,
    kind: target.config.kind,
    status: 'running',
    level: 'INFO',
    startedAt,
    finishedAt: null,
    durationMs: null,
    client: null,
    artifacts: [],
    excludedData: [],
    report: [],
    prunedAt: null,
  };
  const report = createReport(deps.clock, (line) => deps.onReportLine?.(run.id, line));
  const history = await deps.persistence.listRuns(target.id, { limit: 20 });
  await deps.persistence.recordRun(run);
  const ctx = await createRunContext(deps.tools, deps.tmpDir);
  // Artifacts of a run that failed a proof are untrustworthy; one that only looks implausible
  // (a real shrink?) is kept for a human to judge, though it never counts as good.
  let untrusted = true;
  try {
    const refusals = driver.refuse(target.config);
    if (refusals.length) {
      for (const r of refusals) report.error(`configuration refused: ${r}`);
      return await finish();
    }
    if (!deps.encryptTo) report.warn('artifacts are stored unencrypted');
    const plan = await driver.plan(target.config, ctx);
    run.client = plan.client;
    report.info(`client: ${plan.client}`);
    for (const n of plan.notes) report.add(n.level, n.text);
    run.excludedData = plan.excludedData.map((t) => t.name);
    if (run.excludedData.length)
      report.info(`ephemeral tables, data skipped, schema kept: ${run.excludedData.join(', ')}`);
    for (const step of plan.steps) {
      const artifact = await storeStep(deps, { target, run, step, plan, ctx, report }, options);
      if (!artifact) break;
      run.artifacts.push(artifact);
    }
    if (report.worst() !== 'ERROR') {
      untrusted = false;
      const durationMs = deps.clock.now() - startedAt;
      for (const line of judgePlausibility(
        figuresOf({ artifacts: run.artifacts, durationMs }),
        history,
      ))
        report.add(line.level, line.text);
    }
  } catch (err) {
    report.error(`run aborted: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await ctx.dispose();
  }
  return finish();

  async function finish(): Promise<BackupRun> {
    run.finishedAt = deps.clock.now();
    run.durationMs = run.finishedAt - startedAt;
    run.level = report.worst();
    run.status = run.level === 'ERROR' ? 'failed' : 'good';
    const verdict =
      run.status === 'good'
        ? `verified backup of ${target.name}`
        : `backup of ${target.name} FAILED`;
    report.add(run.level, `${verdict} in ${formatDuration(run.durationMs)}`);
    run.report = report.lines();
    await deps.persistence.recordRun(run);
    try {
      await deps.heartbeat?.({
        targetId: target.id,
        runId: run.id,
        ok: run.status === 'good',
        level: run.level,
        at: run.finishedAt,
        summary: verdict,
      });
    } catch (err) {
      deps.logger.error({ err, targetId: target.id }, 'backup heartbeat failed');
    }
    if (run.status === 'good' && target.retention) await applyRetention(deps, target);
    else if (run.status === 'failed' && untrusted) await discardArtifacts(deps, run);
    return run;
  }
}

interface StepScope {
  target: BackupTarget;
  run: BackupRun;
  step: DumpStep;
  plan: DumpPlan;
  ctx: RunContext;
  report: Report;
}

/** Dump one step into a stored, read-back artifact; null when any proof failed. */
async function storeStep(
  deps: BackupEngineDeps,
  { target, run, step, plan, ctx, report }: StepScope,
  options: RunOptions,
): Promise<ArtifactRecord | null> {
  const driver = driverFor(target.config);
  const t0 = deps.clock.now();
  const key = `${target.id}/${run.id}/${step.file}.zst${deps.encryptTo ? '.enc' : ''}`;
  let table: string | undefined;
  const result = await runDumpStep({
    command: withOutputBuffer(step.command, ctx.tools.stdbuf),
    scanner: driver.scanner(step, ctx, (name) => (table = name)),
    storage: deps.storage,
    key,
    encryptTo: deps.encryptTo,
    zstd: {
      path: ctx.tools.zstd,
      level: deps.zstd?.level ?? 3,
      threads: deps.zstd?.threads ?? 0,
    },
    report,
    judgeExit: driver.judgeExit?.bind(driver),
    onProgress:
      options.onProgress && ((p) => options.onProgress?.({ ...p, ...(table ? { table } : {}) })),
    onSpawn: options.onSpawn,
  });
  if (!result.ok) {
    report.error(`${step.file}: not stored; the run is failed`);
    return null;
  }
  const excluded = plan.excludedData.filter((t) =>
    step.database ? t.database === step.database : step.format === 'mysql-sql',
  );
  const seen = new Set(result.scan.tables.map((t) => t.name));
  const tables = [...result.scan.tables, ...excluded.filter((t) => !seen.has(t.name))].map((t) =>
    excluded.some((e) => e.name === t.name) ? { ...t, dataSkipped: true } : t,
  );
  const artifact: ArtifactRecord = {
    key,
    format: step.format,
    ...(step.database ? { database: step.database } : {}),
    ...(step.databases ? { databases: step.databases } : {}),
    rawBytes: result.rawBytes,
    storedBytes: result.storedBytes,
    sha256: result.sha256,
    compression: 'zstd',
    encryption: result.encryption,
    tables,
  };
  const rows = tables.reduce((s, t) => s + t.rows, 0);
  report.info(
    `${step.file}: ${formatBytes(result.rawBytes)} dumped, ${formatBytes(result.storedBytes)} stored, ${tables.length} tables, ${rows} rows in ${formatDuration(deps.clock.now() - t0)}`,
  );
  for (const line of await verifyArtifact(artifact, {
    storage: deps.storage,
    keys: deps.decryptKeys,
    zstd: ctx.tools.zstd,
    checksumOnly: true,
  }))
    report.add(line.level, line.text);
  return artifact;
}

/** A failed run's stored artifacts are untrustworthy: they are deleted right away. */
async function discardArtifacts(deps: BackupEngineDeps, run: BackupRun): Promise<void> {
  for (const a of run.artifacts) await deps.storage.remove(a.key);
  if (run.artifacts.length) {
    run.prunedAt = deps.clock.now();
    await deps.persistence.recordRun(run);
  }
}

/** Delete what the retention policy no longer keeps; returns the pruned run ids. */
export async function applyRetention(
  deps: BackupEngineDeps,
  target: BackupTarget,
): Promise<string[]> {
  if (!target.retention) return [];
  const runs = await deps.persistence.listRuns(target.id);
  const plan = planRetention(runs, target.retention);
  for (const id of plan.remove) {
    const run = runs.find((r) => r.id === id);
    if (!run) continue;
    for (const a of run.artifacts) await deps.storage.remove(a.key);
    await deps.persistence.recordRun({ ...run, prunedAt: deps.clock.now() });
  }
  return plan.remove;
}
