// The engine's facade: runs, verification, restores, retention and reports on one deps object.
import { sweepArrayBuffersInPause } from '../core/v8-tuning.js';
import { applyRetention, runBackup, type BackupEngineDeps, type RunOptions } from './engine.js';
import { formatReport, summaryLine } from './report.js';
import { overwriteConfirmation, restoreRun, type RestoreRequest } from './restore.js';
import { driverFor } from './targets/index.js';
import { createRunContext } from './context.js';
import type { BackupRun, BackupTarget, Progress, RestoreRecord } from './types.js';
import type { ProofLine } from './formats/scanner.js';
import { verifyArtifact } from './verify.js';

export interface BackupEngine {
  /** Back up a target now; the run is recorded, beats, and retention runs after a good one. */
  run(target: BackupTarget, options?: RunOptions): Promise<BackupRun>;
  /** Re-verify a run's stored artifacts (deep: decompress and prove the format again). */
  reverify(
    target: BackupTarget,
    run: BackupRun,
    options?: { deep?: boolean; onProgress?: (p: Progress) => void },
  ): Promise<ProofLine[]>;
  /** Restore the latest good run (or `run`) into scratch databases, compare, query, drop. */
  restoreTest(
    target: BackupTarget,
    run?: BackupRun,
    options?: { onProgress?: (p: Progress) => void; id?: string },
  ): Promise<RestoreRecord>;
  /** Restore into new databases or over the originals (confirm with `confirmation` first). */
  restore(target: BackupTarget, run: BackupRun, request: RestoreRequest): Promise<RestoreRecord>;
  /** What an overwrite will replace, and the phrase the user must type. */
  confirmation(target: BackupTarget, run: BackupRun): { databases: string[]; phrase: string };
  /** Apply the target's retention policy now; returns pruned run ids. */
  prune(target: BackupTarget): Promise<string[]>;
  /** The newest good run, if any. */
  latestGood(targetId: string): Promise<BackupRun | null>;
  /** One line per target for the daily summary. */
  dailySummary(targets: readonly BackupTarget[]): Promise<string>;
  /** The report of a run as text (`LEVEL - text` lines). */
  reportText(run: BackupRun): string;
}

/** Build the backup engine on its dependencies. */
export function createBackupEngine(deps: BackupEngineDeps): BackupEngine {
  sweepArrayBuffersInPause(); // dumps stream GBs of Buffers; see src/core/v8-tuning.ts
  const latestGood = async (targetId: string) =>
    (await deps.persistence.listRuns(targetId)).find(
      (r) => r.status === 'good' && r.prunedAt === null,
    ) ?? null;
  return {
    run: (target, options) => runBackup(deps, target, options),
    async reverify(target, run, options = {}) {
      const driver = driverFor(target.config);
      const ctx = await createRunContext(deps.tools, deps.tmpDir);
      try {
        const lines: ProofLine[] = [];
        for (const artifact of run.artifacts) {
          const scanner = options.deep
            ? driver.scanner(
                {
                  file: artifact.key,
                  format: artifact.format,
                  command: { cmd: '', args: [] },
                  ...(artifact.database ? { database: artifact.database } : {}),
                  ...(artifact.databases ? { databases: artifact.databases } : {}),
                  roots: artifact.tables.map((t) => t.name),
                },
                ctx,
              )
            : undefined;
          lines.push(
            ...(await verifyArtifact(artifact, {
              storage: deps.storage,
              keys: deps.decryptKeys,
              zstd: ctx.tools.zstd,
              ...(scanner ? { scanner } : {}),
              ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            })),
          );
        }
        return lines;
      } finally {
        await ctx.dispose();
      }
    },
    async restoreTest(target, run, options = {}) {
      const chosen = run ?? (await latestGood(target.id));
      if (!chosen) throw new Error(`no good backup of ${target.name} to test`);
      return restoreRun(deps, target, chosen, {
        mode: 'test',
        ...(options.id ? { id: options.id } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    },
    restore: (target, run, request) => restoreRun(deps, target, run, request),
    confirmation: overwriteConfirmation,
    prune: (target) => applyRetention(deps, target),
    latestGood,
    async dailySummary(targets) {
      const now = deps.clock.now();
      const lines = await Promise.all(
        targets.map(async (t) =>
          summaryLine(t.name, await deps.persistence.listRuns(t.id, { limit: 50 }), now),
        ),
      );
      return lines.join('\n');
    },
    reportText: (run) => formatReport(run.report),
  };
}
