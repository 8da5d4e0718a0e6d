// What every Pi task's job shares: loading its ids back into rows, recording steps and boot
// progress, booting with up to N power cycles, and ending live or failed (Pi broken, customer told).
import type { BootEvent, PiTarget } from '../drivers/index.js';
import type { JobContext } from '../../jobs/index.js';
import type { PicloudContext } from '../context.js';
import { targetOf } from '../context.js';
import type { HostRow, ServerRow, TaskRow } from '../store.js';
import type { HostState, TaskKind } from '../tables.js';
import type { BootOutcome } from './boot-watch.js';
import { bootSteps, phaseAfter, watchBoot } from './boot-watch.js';

/** One running task with its rows, rebuilt from the task id alone. */
export interface Run {
  ctx: PicloudContext;
  job: JobContext;
  task: TaskRow;
  server: ServerRow;
  host: HostRow;
  pi: PiTarget;
}

/** Steps in order; a resumed job skips every step at or before `task.step`. */
const stepOrder = ['queued', 'off', 'root', 'configured', 'booting', 'done'] as const;
export type Step = (typeof stepOrder)[number];

export const isBefore = (run: Run, step: Step) =>
  stepOrder.indexOf(run.task.step as Step) < stepOrder.indexOf(step);

export async function loadRun(ctx: PicloudContext, taskId: string, job: JobContext) {
  const task = await ctx.store.task(taskId);
  if (!task || task.state !== 'running') return null; // finished: a retry has nothing to do
  const server = await ctx.store.server(task.server_id);
  const host = server?.pi_id ? await ctx.store.host(server.pi_id) : undefined;
  if (!server || !host) {
    await ctx.store.updateTask(task.id, { state: 'failed', error: 'server or Pi missing' });
    return null;
  }
  return { ctx, job, task, server, host, pi: targetOf(host) } satisfies Run;
}

export async function setStep(run: Run, step: Step, stage?: string): Promise<void> {
  const changes = { step, updated_at: run.ctx.now(), ...(stage ? { stage } : {}) };
  await run.ctx.store.updateTask(run.task.id, changes);
  run.task = { ...run.task, ...changes };
  if (stage) await run.job.progress(stage);
}

/** Show where the boot has got to, on the server (API boot_progress) and the task (queue status). */
async function recordEvent(run: Run, e: BootEvent): Promise<void> {
  if (e.kind === 'tftp' && e.status === 'start') return; // 'done' says the same, a moment later
  const { phase, progress } = phaseAfter(e);
  const now = run.ctx.now();
  await run.ctx.store.updateServer(run.server.id, {
    boot_phase: phase,
    boot_progress: progress,
    is_booting: phase === 'up' || e.kind === 'power-off' ? 0 : 1,
    power: e.kind === 'power-off' ? 0 : 1,
    updated_at: now,
  });
  await run.ctx.store.updateTask(run.task.id, { stage: progress, updated_at: now });
}

const phaseLabel = (phase: string) => bootSteps.find((s) => s.phase === phase)?.label ?? phase;

/**
 * Boot and watch, power cycling after a timed-out phase at most `maxPowerCycles` times.
 * `resume` picks up a boot already under way (a job restarted mid-boot).
 */
export async function bootWithRetries(
  run: Run,
  first: 'on' | 'cycle' | 'resume',
): Promise<BootOutcome> {
  const { ctx, pi } = run;
  const d = ctx.drivers();
  let mode = first;
  for (;;) {
    if (mode === 'resume') {
      const status = await d.boot.status(pi);
      if (status.ssh) return { ok: true, ...status.ssh };
      if (status.power !== 'on') mode = 'on';
    }
    const outcome = await watchBoot({
      drivers: d,
      pi,
      timeouts: ctx.config.timeouts,
      signal: run.job.signal,
      replay: mode === 'resume',
      ...(mode === 'on' ? { start: () => d.power.on(pi) } : {}),
      ...(mode === 'cycle' ? { start: () => d.power.cycle(pi) } : {}),
      onEvent: (e) => recordEvent(run, e),
    });
    if (outcome.ok || run.task.power_cycles >= ctx.config.maxPowerCycles) return outcome;
    const n = run.task.power_cycles + 1;
    const max = ctx.config.maxPowerCycles;
    const why = `${phaseLabel(outcome.phase)}: ${outcome.reason}`;
    const now = ctx.now();
    ctx.logger.warn({ serial: pi.serial, task: run.task.id, why, cycle: n }, 'Pi boot step failed');
    await ctx.store.updateTask(run.task.id, {
      power_cycles: n,
      stage: `${why}; retrying with a power cycle (${n} of ${max})`,
      updated_at: now,
    });
    run.task = { ...run.task, power_cycles: n };
    await ctx.store.setHostState(run.host.id, 'failed', `${why}; power cycle ${n} of ${max}`, now);
    await ctx.store.updateServer(run.server.id, {
      boot_progress: `${why}; retrying with a power cycle (${n} of ${max})`,
      updated_at: now,
    });
    mode = 'cycle';
  }
}

/** The Pi answers SSH: the server is live, the task done, and everyone is told. */
export async function markLive(
  run: Run,
  up: { host: string; port: number },
  result?: unknown,
): Promise<void> {
  const { ctx, server, host } = run;
  const now = ctx.now();
  await ctx.store.setHostState(host.id, 'live', null, now);
  await ctx.store.finishTask(
    run.task,
    {
      state: 'done',
      step: 'done',
      stage: 'Live',
      updated_at: now,
      finished_at: now,
      ...(result ? { result: JSON.stringify(result) } : {}),
    },
    {
      status: 'live',
      power: 1,
      is_booting: 0,
      boot_phase: 'up',
      boot_progress: null,
      ssh_port: up.port,
      error: null,
      live_at: server.live_at ?? now,
      updated_at: now,
    },
  );
  await ctx.events.emit('pi.live', {
    serverId: server.id,
    accountId: server.account_id,
    name: server.name,
    piId: host.id,
    ipv6: ctx.plan.ipv6(host.slot),
    sshHost: up.host,
    sshPort: up.port,
  });
}

/** End a task successfully without a boot (power off, cancel). */
export async function finishQuietly(run: Run, server: Partial<ServerRow>, result?: unknown) {
  const now = run.ctx.now();
  await run.ctx.store.finishTask(
    run.task,
    {
      state: 'done',
      step: 'done',
      stage: 'Done',
      updated_at: now,
      finished_at: now,
      ...(result ? { result: JSON.stringify(result) } : {}),
    },
    { ...server, updated_at: now },
  );
}

const tellCustomer: Record<TaskKind, (name: string, why: string, tries: number) => string> = {
  provision: (n, why, t) =>
    `Your Pi "${n}" could not be started: ${why} (tried ${t} times, with a power cycle in between). That Pi has been taken out of service for an engineer. Nothing of yours was on it: cancel this server and order another.`,
  reimage: (n, why, t) =>
    `Your Pi "${n}" was re-imaged but did not boot: ${why} (tried ${t} times). Its old data is already gone. The Pi has been taken out of service for an engineer; cancel this server and order another.`,
  reboot: (n, why, t) =>
    `Your Pi "${n}" did not come back after the reboot: ${why} (tried ${t} times). An engineer has been told. Your files are kept until it is repaired or you cancel the server.`,
  'power-on': (n, why, t) =>
    `Your Pi "${n}" did not boot after power on: ${why} (tried ${t} times). An engineer has been told. Your files are kept until it is repaired or you cancel the server.`,
  'power-off': (n, why) =>
    `Your Pi "${n}" could not be switched off: ${why}. An engineer has been told.`,
  cancel: (n, why) => `Cancelling "${n}" hit a problem: ${why}. An engineer has been told.`,
};

/** Give up: the Pi is broken for an operator, the server failed, and the customer told why. */
export async function failTask(run: Run, why: string): Promise<void> {
  const { ctx, server, host, task } = run;
  const now = ctx.now();
  const message = tellCustomer[task.kind](server.name, why, task.power_cycles + 1);
  const hostState: HostState = 'broken';
  await ctx.store.setHostState(host.id, hostState, why, now);
  await ctx.store.finishTask(
    task,
    { state: 'failed', error: message, stage: 'Failed', updated_at: now, finished_at: now },
    task.kind === 'cancel'
      ? { updated_at: now }
      : { status: 'failed', is_booting: 0, boot_progress: null, error: message, updated_at: now },
  );
  await ctx.audit.record({
    actor: { accountId: null, ip: null, channel: 'system' },
    ownerAccountId: server.account_id,
    action: 'pi.broken',
    objectType: 'pi',
    objectId: host.serial,
    after: { server: server.name, task: task.kind, reason: why },
  });
  await ctx.events.emit('pi.broken', {
    piId: host.id,
    serial: host.serial,
    reason: why,
    serverId: server.id,
  });
}

/** Steps outside the boot that talk to hardware get a deadline too; a retry repeats them. */
export const stepSeconds = { root: 120, power: 30 } as const;

/** `work`, or a rejection naming the step once `seconds` have passed. */
export async function within<T>(seconds: number, step: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${step} took longer than ${seconds} s`)),
      seconds * 1000,
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export const failureReason = (o: Exclude<BootOutcome, { ok: true }>) =>
  `${phaseLabel(o.phase)}: ${o.reason}`;
