// How a customer's server and its tasks look to the panel and the API: plain, typed values.
import type { PicloudContext } from './context.js';
import type { PiModel } from './models.js';
import { apiModelOf } from './models.js';
import type { BootPhase } from './pipeline/boot-watch.js';
import type { HostRow, ServerRow, TaskRow } from './store.js';
import type { ServerStatus, TaskKind, TaskState } from './tables.js';

export interface ServerView {
  id: string;
  name: string;
  status: ServerStatus;
  image: string;
  diskGb: number;
  /** The authorized_keys file as written, one key per line. */
  sshKeys: string;
  power: boolean;
  isBooting: boolean;
  bootPhase: BootPhase | null;
  bootProgress: string | null;
  /** What went wrong, in words for the customer. */
  error: string | null;
  model: PiModel;
  apiModel: number;
  memoryMb: number;
  cpuMhz: number;
  nicMbps: number;
  location: string;
  ipv6: string;
  ipRouted: string;
  /** ssh.{name}.{domain}, and the front address and port behind it. */
  sshName: string;
  sshAddress: string;
  sshPort: number;
  fqdn: string;
  /** The task running now, if any. */
  taskId: string | null;
  createdAt: string;
  liveAt: string | null;
}

export interface TaskView {
  id: string;
  serverId: string;
  kind: TaskKind;
  state: TaskState;
  stage: string;
  error: string | null;
  powerCycles: number;
  /** The receipt of what was done (re-image, cancel), if any. */
  result: Record<string, unknown> | null;
  createdAt: string;
  finishedAt: string | null;
}

export function serverView(ctx: PicloudContext, s: ServerRow, host: HostRow): ServerView {
  const { plan, config } = ctx;
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    image: s.image,
    diskGb: s.disk_gb,
    sshKeys: s.ssh_keys,
    power: s.power === 1,
    isBooting: s.is_booting === 1,
    bootPhase: (s.boot_phase as BootPhase | null) ?? null,
    bootProgress: s.boot_progress,
    error: s.error,
    model: host.model,
    apiModel: apiModelOf[host.model],
    memoryMb: host.memory_mb,
    cpuMhz: host.cpu_mhz,
    nicMbps: host.nic_mbps,
    location: host.site_id,
    ipv6: plan.ipv6(host.slot),
    ipRouted: plan.routed(host.slot),
    sshName: `ssh.${s.name}.${config.domain}`,
    sshAddress: config.sshFrontAddress,
    // The front port; the simulator reports the port it really bound once the Pi is up.
    sshPort: s.ssh_port ?? plan.sshPort(host.slot),
    fqdn: `${s.name}.${config.domain}`,
    taskId: s.task_id,
    createdAt: s.created_at,
    liveAt: s.live_at,
  };
}

export function taskView(t: TaskRow): TaskView {
  return {
    id: t.id,
    serverId: t.server_id,
    kind: t.kind,
    state: t.state,
    stage: t.stage,
    error: t.error,
    powerCycles: t.power_cycles,
    result: t.result ? (JSON.parse(t.result) as Record<string, unknown>) : null,
    createdAt: t.created_at,
    finishedAt: t.finished_at,
  };
}

/** The exact command to log in: by address when the front is loopback (the simulator), else by name. */
export function sshCommand(v: ServerView, user = 'root'): string {
  const loopback = /^(127\.|::1$|localhost$)/.test(v.sshAddress);
  return `ssh -p ${v.sshPort} ${user}@${loopback ? v.sshAddress : v.sshName}`;
}
