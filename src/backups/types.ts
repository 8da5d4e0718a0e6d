// Shared shapes of the backup engine: targets, runs, artifacts, manifests and the seams the store fills.

/** Severity of one report line; a run with any ERROR line is not good. */
export type Level = 'INFO' | 'WARN' | 'ERROR';

export interface ReportLine {
  level: Level;
  text: string;
  /** Milliseconds since the epoch. */
  at: number;
}

/** What is inside one dump stream, which decides how it is scanned, proven and restored. */
export type ArtifactFormat = 'mysql-sql' | 'pg-custom' | 'pg-plain' | 'tar' | 'sqlite';

/** Rows, bytes and SHA-256 of one table's data as it passed through the stream. */
export interface TableManifest {
  /** Qualified name: `db.table` (MySQL), `db.schema.table` (PostgreSQL), or a path (tar). */
  name: string;
  /** Database holding it (absent for tar). */
  database?: string;
  /** The relation as the dump tool quoted it (`orders`, `public.orders`), for queries. */
  relation?: string;
  rows: number;
  bytes: number;
  sha256: string;
  /** Data deliberately skipped (an ephemeral table): schema only. */
  dataSkipped?: boolean;
}

export interface ArtifactRecord {
  /** Storage key, unique across the store. */
  key: string;
  format: ArtifactFormat;
  /** The database this artifact holds, when it holds exactly one; absent for multi-db or tar. */
  database?: string;
  /** Databases inside (MySQL multi-db dumps). */
  databases?: string[];
  /** Bytes of the uncompressed dump stream. */
  rawBytes: number;
  /** Bytes and SHA-256 of the stored (compressed, encrypted) artifact. */
  storedBytes: number;
  sha256: string;
  compression: 'zstd';
  encryption: EncryptionDescriptor;
  tables: TableManifest[];
}

export type EncryptionDescriptor =
  { mode: 'none' } | { mode: 'aes-256-gcm'; keyId: string } | { mode: 'x25519'; recipient: string };

export type RunStatus = 'running' | 'good' | 'failed';

/** One backup run of one target. `good` means every proof held (WARN lines allowed). */
export interface BackupRun {
  id: string;
  targetId: string;
  kind: TargetKind;
  status: RunStatus;
  /** Worst level in the report. */
  level: Level;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  /** Dump client and its version, recorded so restore tests can use the same. */
  client: string | null;
  artifacts: ArtifactRecord[];
  excludedData: string[];
  report: ReportLine[];
  /** Set when retention has removed the artifacts. */
  prunedAt: number | null;
}

export type TargetKind = 'mysql' | 'postgres' | 'files' | 'sqlite';

/** Connection to a database server; `password` arrives decrypted (see openCredential). */
export interface DbConnection {
  host?: string;
  port?: number;
  socket?: string;
  user?: string;
  password?: string;
}

export interface MysqlTargetConfig extends DbConnection {
  kind: 'mysql';
  /** `'all'` for --all-databases, or the chosen databases. */
  databases: 'all' | string[];
  /** Globs over `db.table`: data skipped, schema kept. */
  ephemeral?: string[];
  /** Extra dump arguments; unsafe ones are refused. */
  extraArgs?: string[];
  /** Allow --force (the dump continues past SQL errors); the run still fails on error lines. */
  allowForce?: boolean;
  /** Client binary: mariadb-dump (default) or mysqldump. */
  client?: 'mariadb-dump' | 'mysqldump';
}

export interface PostgresTargetConfig extends DbConnection {
  kind: 'postgres';
  databases: 'all' | string[];
  /** Globs over `db.schema.table`. */
  ephemeral?: string[];
  /** custom (default) or plain SQL. */
  format?: 'custom' | 'plain';
  /** Also dump roles and tablespaces with pg_dumpall --globals-only (default true). */
  globals?: boolean;
  extraArgs?: string[];
}

export interface FilesTargetConfig {
  kind: 'files';
  /** Absolute directories. */
  paths: string[];
  /** tar --exclude patterns. */
  exclude?: string[];
}

/** A SQLite database file (Bestiary's own embedded database): snapshot, then prove the copy. */
export interface SqliteTargetConfig {
  kind: 'sqlite';
  /** Absolute path of the live database file. */
  path: string;
}

export type TargetConfig =
  MysqlTargetConfig | PostgresTargetConfig | FilesTargetConfig | SqliteTargetConfig;

export interface RetentionPolicy {
  last: number;
  daily: number;
  weekly: number;
  monthly: number;
}

export interface BackupTarget {
  id: string;
  name: string;
  config: TargetConfig;
  retention?: RetentionPolicy;
  restoreTest?: {
    /** SQL run against the scratch copy; the test fails if it errors. */
    query?: string;
    /** Database (original name) the query runs in. */
    database?: string;
    /** Re-dump the scratch copy and compare per-table SHA-256 too (default true). */
    checksums?: boolean;
  };
}

/** Outcome of a restore or a restore test, for the store and the audit log. */
export interface RestoreRecord {
  id: string;
  runId: string;
  targetId: string;
  mode: 'test' | 'new' | 'overwrite';
  ok: boolean;
  startedAt: number;
  finishedAt: number;
  report: ReportLine[];
}

/** What the store must provide: the engine reads and writes runs only through this. */
export interface BackupPersistence {
  /** Insert or replace a run by id. */
  recordRun(run: BackupRun): Promise<void>;
  /** Runs of a target, newest first. */
  listRuns(targetId: string, options?: { limit?: number }): Promise<BackupRun[]>;
  getRun(runId: string): Promise<BackupRun | null>;
  recordRestore(record: RestoreRecord): Promise<void>;
}

/** A verified backup "beats"; a failed one reports failure. Monitoring subscribes here. */
export interface Heartbeat {
  targetId: string;
  runId: string;
  ok: boolean;
  level: Level;
  at: number;
  summary: string;
}

export interface Progress {
  phase: 'dump' | 'verify' | 'restore' | 'compare';
  bytes: number;
  /** Total bytes when known. */
  total?: number;
  table?: string;
}
