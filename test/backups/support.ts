// Test support for the backup engine: deps on a temp directory, and SQL helpers for the local servers.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import {
  createLocalStorage,
  createMemoryPersistence,
  type BackupEngineDeps,
  type Heartbeat,
  type MemoryPersistence,
} from '../../src/backups/index.js';

export interface BackupSetup {
  dir: string;
  deps: BackupEngineDeps & { persistence: MemoryPersistence };
  beats: Heartbeat[];
  cleanup(): void;
}

/** Engine deps on a fresh directory with a random provider key; `storageDir` overrides where artifacts go. */
export function backupSetup(
  overrides: Partial<BackupEngineDeps> = {},
  storageDir?: string,
): BackupSetup {
  const dir = mkdtempSync(join(tmpdir(), 'bestiary-bk-test-'));
  const key = randomBytes(32);
  const beats: Heartbeat[] = [];
  const deps = {
    clock: systemClock,
    logger: silentLogger,
    storage: createLocalStorage(storageDir ?? join(dir, 'store')),
    encryptTo: { mode: 'aes-256-gcm' as const, keyId: 'k1', key },
    decryptKeys: { providerKeys: { k1: key } },
    heartbeat: (b: Heartbeat) => void beats.push(b),
    tmpDir: dir,
    ...overrides,
    persistence: createMemoryPersistence(),
  };
  return { dir, deps, beats, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(4).toString('hex')}`;

/** Run SQL on a MariaDB server (default: the shared one on 3306). */
export function mariadb(
  sql: string,
  options: { db?: string; port?: number; socket?: string } = {},
): string {
  const conn = options.socket
    ? [`--socket=${options.socket}`]
    : ['-h', '127.0.0.1', '-P', String(options.port ?? 3306)];
  const args = ['--no-defaults', ...conn, '-u', 'root', '-N', '-B', '-e', sql];
  if (options.db) args.push(options.db);
  return execFileSync('mariadb', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run SQL on the shared PostgreSQL server. */
export function psql(sql: string, db = 'postgres'): string {
  return execFileSync(
    'psql',
    [
      '-X',
      '-A',
      '-t',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-d',
      db,
      '-c',
      sql,
    ],
    {
      encoding: 'utf8',
    },
  );
}

export const errors = (lines: readonly { level: string; text: string }[]): string[] =>
  lines.filter((l) => l.level === 'ERROR').map((l) => l.text);
