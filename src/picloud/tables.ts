// The Pi cloud's tables, as Kysely sees them. Booleans are 0/1 integers on both engines.
import type { PiModel } from './drivers/index.js';

/** A physical Pi's life: new → ready → allocated → provisioning → live → releasing → ready. */
export type HostState =
  | 'new'
  | 'ready'
  | 'allocated'
  | 'provisioning'
  | 'live'
  | 'releasing'
  | 'failed'
  | 'broken'
  | 'maintenance';

export const hostStates: readonly HostState[] = [
  'new',
  'ready',
  'allocated',
  'provisioning',
  'live',
  'releasing',
  'failed',
  'broken',
  'maintenance',
];

/** A customer's server: the API's `status` (provisioning, live) plus our own ends. */
export type ServerStatus = 'provisioning' | 'live' | 'installing' | 'failed' | 'cancelled';

export type TaskKind = 'provision' | 'reboot' | 'power-on' | 'power-off' | 'reimage' | 'cancel';
export type TaskState = 'running' | 'done' | 'failed';

export interface SitesTable {
  id: string;
  name: string;
  created_at: string;
}

export interface SwitchesTable {
  id: string;
  site_id: string;
  name: string;
  address: string;
  ports: number;
  created_at: string;
}

export interface HostsTable {
  id: string;
  serial: string;
  mac: string;
  model: PiModel;
  memory_mb: number;
  cpu_mhz: number;
  nic_mbps: number;
  site_id: string;
  switch_id: string | null;
  port: number | null;
  slot: number;
  state: HostState;
  state_reason: string | null;
  server_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ImagesTable {
  name: string;
  label: string;
  archive: string;
  default_user: string | null;
  /** Comma-separated PiModel values. */
  models: string;
  retired_at: string | null;
  created_at: string;
}

export interface ImageDefaultsTable {
  model: PiModel;
  image: string;
}

export interface SshKeysTable {
  id: string;
  account_id: string;
  label: string;
  algorithm: string;
  bits: number;
  fingerprint: string;
  line: string;
  created_at: string;
}

export interface ServersTable {
  id: string;
  account_id: string;
  name: string;
  active_name: string | null;
  pi_id: string | null;
  image: string;
  disk_gb: number;
  /** The authorized_keys file Bestiary writes, one key per line. */
  ssh_keys: string;
  status: ServerStatus;
  power: number;
  is_booting: number;
  boot_phase: string | null;
  boot_progress: string | null;
  ssh_port: number | null;
  /** The task running on this server now; one at a time. */
  task_id: string | null;
  /** What the customer is told when it failed. */
  error: string | null;
  created_at: string;
  updated_at: string;
  live_at: string | null;
  cancelled_at: string | null;
}

export interface TasksTable {
  id: string;
  server_id: string;
  account_id: string;
  kind: TaskKind;
  state: TaskState;
  /** The last step finished, so a resumed job skips what is done. */
  step: string;
  /** Human-readable progress, the queue endpoint's `status`. */
  stage: string;
  power_cycles: number;
  /** JSON: what the task was asked to do (image, keys). */
  params: string;
  /** JSON: the receipt of what it did. */
  result: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface PicloudTables {
  pi_sites: SitesTable;
  pi_switches: SwitchesTable;
  pi_hosts: HostsTable;
  pi_images: ImagesTable;
  pi_image_defaults: ImageDefaultsTable;
  pi_ssh_keys: SshKeysTable;
  pi_servers: ServersTable;
  pi_tasks: TasksTable;
}
