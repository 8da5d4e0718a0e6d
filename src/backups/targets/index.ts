// The typed registry of target drivers, one per kind.
import type { TargetConfig, TargetKind } from '../types.js';
import { filesDriver } from './files.js';
import { mysqlDriver } from './mysql.js';
import { postgresDriver } from './postgres.js';
import type { TargetDriver } from './types.js';

export const targetDrivers = {
  mysql: mysqlDriver,
  postgres: postgresDriver,
  files: filesDriver,
} satisfies { [K in TargetKind]: TargetDriver<Extract<TargetConfig, { kind: K }>> };

/** The driver for a config, typed loosely so callers need not narrow first. */
export const driverFor = (config: TargetConfig): TargetDriver => targetDrivers[config.kind];
