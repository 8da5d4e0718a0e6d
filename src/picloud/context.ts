// What the Pi cloud's use-case files share: store, clock, drivers, config and helpers.
import type { AuditLog } from '../accounts/index.js';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { Jobs } from '../jobs/index.js';
import type { AddressPlan } from './addresses.js';
import type { DriverSet, ImageRef, PiTarget } from './drivers/index.js';
import type { HostRow, ImageRow, PicloudStore } from './store.js';

export type PicloudConfig = Config['picloud'];

export interface PicloudContext {
  store: PicloudStore;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  audit: AuditLog;
  config: PicloudConfig;
  plan: AddressPlan;
  /** The Pi jobs' own lane of the durable queue. */
  jobs: Jobs;
  /** The hardware drivers; throws PicloudNotStarted before start(). */
  drivers(): DriverSet;
  now(): string;
}

export const nowIso = (clock: Clock) => isoAt(clock.now());

/** What a driver needs to reach a Pi: plain values a resumed job can rebuild. */
export function targetOf(host: HostRow): PiTarget {
  return {
    serial: host.serial,
    mac: host.mac,
    model: host.model,
    ...(host.switch_id && host.port !== null
      ? { port: { switchId: host.switch_id, group: 1, port: host.port } }
      : {}),
  };
}

export function imageRefOf(image: ImageRow): ImageRef {
  return {
    name: image.name,
    archive: image.archive,
    ...(image.default_user ? { defaultUser: image.default_user } : {}),
  };
}
