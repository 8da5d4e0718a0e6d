// The target family: one driver per kind (mysql, postgres, files) behind this interface.
import type { Transform } from 'node:stream';
import type { Command, Exit } from '../proc.js';
import type { ProofLine, StreamScanner } from '../formats/scanner.js';
import type {
  ArtifactFormat,
  ArtifactRecord,
  TableManifest,
  TargetConfig,
  TargetKind,
} from '../types.js';

/** Paths of the client tools; defaults are names looked up on PATH. */
export interface ToolPaths {
  mariadbDump: string;
  mysqldump: string;
  mariadb: string;
  pgDump: string;
  pgDumpall: string;
  pgRestore: string;
  psql: string;
  tar: string;
  zstd: string;
  /** coreutils' stdbuf, to give dump tools a large output buffer (used only when found). */
  stdbuf: string;
  /** Node itself: the SQLite snapshot and restore helpers run in a child process. */
  node: string;
}

export const defaultTools: ToolPaths = {
  mariadbDump: 'mariadb-dump',
  mysqldump: 'mysqldump',
  mariadb: 'mariadb',
  pgDump: 'pg_dump',
  pgDumpall: 'pg_dumpall',
  pgRestore: 'pg_restore',
  psql: 'psql',
  tar: 'tar',
  zstd: 'zstd',
  stdbuf: 'stdbuf',
  node: process.execPath,
};

export interface TargetContext {
  tools: ToolPaths;
  /** Write a private (0600) file that lives until the run ends; for client credentials. */
  secretFile(name: string, content: string): Promise<string>;
}

/** One dump command producing one artifact. */
export interface DumpStep {
  /** File name within the run: `all.sql`, `shop.pgdump`, `globals.sql`, `files.tar`. */
  file: string;
  format: ArtifactFormat;
  command: Command;
  database?: string;
  databases?: string[];
  /** Tar roots, for the files scanner. */
  roots?: string[];
}

export interface DumpPlan {
  steps: DumpStep[];
  /** Tables whose data is skipped (ephemeral), qualified as in the manifest. */
  excludedData: TableManifest[];
  /** Dump client and version, e.g. `mariadb-dump Ver 10.19 Distrib 10.11.19-MariaDB`. */
  client: string;
  notes: ProofLine[];
}

/** Where a restore goes: database names mapped from the original, or a directory for files. */
export interface RestoreDestination {
  mode: 'test' | 'new' | 'overwrite';
  databaseMap: Record<string, string>;
  directory?: string;
}

export interface RestorePlan {
  /** Prepare the destination (create scratch databases). */
  before?: () => Promise<void>;
  /** Reads the uncompressed artifact on stdin. */
  command: Command;
  /** Optional in-stream rewrite (database names). */
  filter?: () => Transform;
}

export interface TargetDriver<C extends TargetConfig = TargetConfig> {
  kind: TargetKind;
  /** Reasons this configuration is unsafe; a non-empty list refuses the run. */
  refuse(config: C): string[];
  plan(config: C, ctx: TargetContext): Promise<DumpPlan>;
  scanner(step: DumpStep, ctx: TargetContext, onTable?: (name: string) => void): StreamScanner;
  /** Exit judgement beyond "0 is fine": e.g. tar's "file changed as we read it" is a WARN. */
  judgeExit?(exit: Exit): 'ok' | 'warn' | 'error';
  /** Databases an artifact holds (to build a destination map). */
  databasesOf(artifact: ArtifactRecord): string[];
  /** How to restore one artifact, or null when this artifact is not restored in this mode. */
  restorePlan(
    config: C,
    artifact: ArtifactRecord,
    dest: RestoreDestination,
    ctx: TargetContext,
  ): Promise<RestorePlan | null>;
  /** Tables of the restored copy, named as in the original manifest. */
  inspect(
    config: C,
    artifact: ArtifactRecord,
    dest: RestoreDestination,
    ctx: TargetContext,
    checksums: boolean,
  ): Promise<TableManifest[]>;
  query(
    config: C,
    database: string,
    sql: string,
    ctx: TargetContext,
  ): Promise<Exit & { stdout: string }>;
  /** Remove what a restore test created. */
  drop(config: C, dest: RestoreDestination, ctx: TargetContext): Promise<void>;
}

/** Shell-style glob over qualified names: `*` any run of characters (dots too), `?` one. */
export function globMatcher(patterns: readonly string[]): (name: string) => boolean {
  const res = patterns.map(
    (p) =>
      new RegExp(
        '^' +
          p
            .split('')
            .map((c) =>
              c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
            )
            .join('') +
          '$',
      ),
  );
  return (name) => res.some((r) => r.test(name));
}

/** Did an argument list ask for an option, in any of its spellings (`--x`, `--x=v`, short)? */
export const hasOption = (args: readonly string[], long: string, short?: string): boolean =>
  args.some(
    (a) =>
      a === long ||
      a.startsWith(long + '=') ||
      (short !== undefined &&
        (a === short || (/^-[a-zA-Z]+$/.test(a) && a.includes(short.slice(1))))),
  );
