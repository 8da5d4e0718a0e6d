// The typed registry of target drivers, one per kind.
import type { TargetConfig, TargetKind } from '../types.js';
import { filesDriver } from './files.js';
import { mysqlDriver } from './mysql.js';
import { postgresDriver } from './postgres.js';
import { sqliteDriver } from './sqlite.js';
import type { TargetDriver } from './types.js';

export const targetDrivers = {
  mysql: mysqlDriver,
  postgres: postgresDriver,
  files: filesDriver,
  sqlite: sqliteDriver,
} satisfies { [K in TargetKind]: TargetDriver<Extract<TargetConfig, { kind: K }>> };

/** The driver for a config, typed loosely so callers need not narrow first. */
export const driverFor = (config: TargetConfig): TargetDriver => targetDrivers[config.kind];
