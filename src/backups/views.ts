// Runs and restores as the panel, the API and the CLI show them: plain values, no secrets.
import type { RestoreRow, RunRow } from './store.js';
import type { RestoreStatus, RunRowStatus, Trigger } from './tables.js';
import type { ArtifactRecord, Level, ReportLine } from './types.js';

export interface RunView {
  id: string;
  targetId: string;
  status: RunRowStatus;
  level: Level;
  trigger: Trigger;
  requestedBy: string | null;
  jobId: string | null;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  client: string | null;
  /** Stored (compressed, encrypted) bytes over all artifacts. */
  storedBytes: number;
  tables: number;
  rows: number;
  excludedData: string[];
  artifacts: {
    key: string;
    format: string;
    storedBytes: number;
    rawBytes: number;
    sha256: string;
    tables: number;
  }[];
  report: ReportLine[];
  prunedAt: number | null;
  reverifiedAt: number | null;
}

export interface RestoreView {
  id: string;
  runId: string;
  targetId: string;
  mode: 'test' | 'new' | 'overwrite';
  status: RestoreStatus;
  destination: { databaseMap?: Record<string, string>; directory?: string };
  trigger: Trigger;
  requestedBy: string | null;
  jobId: string | null;
  report: ReportLine[];
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export function runView(r: RunRow): RunView {
  const artifacts = JSON.parse(r.artifacts) as ArtifactRecord[];
  return {
    id: r.id,
    targetId: r.target_id,
    status: r.status,
    level: r.level as Level,
    trigger: r.trigger,
    requestedBy: r.requested_by,
    jobId: r.job_id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
    client: r.client,
    storedBytes: artifacts.reduce((s, a) => s + a.storedBytes, 0),
    tables: artifacts.reduce((s, a) => s + a.tables.length, 0),
    rows: artifacts.reduce((s, a) => s + a.tables.reduce((n, t) => n + t.rows, 0), 0),
    excludedData: JSON.parse(r.excluded_data) as string[],
    artifacts: artifacts.map((a) => ({
      key: a.key,
      format: a.format,
      storedBytes: a.storedBytes,
      rawBytes: a.rawBytes,
      sha256: a.sha256,
      tables: a.tables.length,
    })),
    report: JSON.parse(r.report) as ReportLine[],
    prunedAt: r.pruned_at,
    reverifiedAt: r.reverified_at,
  };
}

export const restoreView = (r: RestoreRow): RestoreView => ({
  id: r.id,
  runId: r.run_id,
  targetId: r.target_id,
  mode: r.mode,
  status: r.status,
  destination: JSON.parse(r.destination) as RestoreView['destination'],
  trigger: r.trigger,
  requestedBy: r.requested_by,
  jobId: r.job_id,
  report: JSON.parse(r.report) as ReportLine[],
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});
