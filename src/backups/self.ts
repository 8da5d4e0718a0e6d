// Bestiary's own database as a built-in provider target: PostgreSQL (pg_dump of its database)
// when DATABASE_URL is set, otherwise the SQLite file (a VACUUM INTO snapshot, proven and hashed).
import type { TargetConfig } from './types.js';

export interface SelfDatabase {
  /** postgres://user:pass@host:port/db (a `host` query parameter may name a socket directory). */
  databaseUrl?: string | undefined;
  /** The SQLite file; absent for an in-memory database, which has nothing durable to back up. */
  sqlitePath?: string | undefined;
}

/** The target config for Bestiary's own database, read from the live configuration. */
export function selfTargetConfig(self: SelfDatabase): TargetConfig | null {
  if (self.databaseUrl) {
    const url = new URL(self.databaseUrl);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
    const socket = url.searchParams.get('host');
    return {
      kind: 'postgres',
      ...(socket ? { socket } : { host: url.hostname.replace(/^\[|\]$/g, '') || 'localhost' }),
      ...(url.port ? { port: Number(url.port) } : {}),
      ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      databases: [database],
      // Bestiary's role is rarely a superuser, and pg_dumpall -g needs one (pg_authid); its
      // roles are the operator's to recreate, its data is what must come back.
      globals: false,
    };
  }
  if (self.sqlitePath) return { kind: 'sqlite', path: self.sqlitePath };
  return null;
}
