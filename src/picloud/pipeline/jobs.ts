// The Pi actions as durable jobs in their own lane: named, typed, carrying only a task id. A
// job retried or resumed after a restart reads the task and continues; a finished one is a no-op.
import type { PicloudContext } from '../context.js';
import type { TaskRow } from '../store.js';
import type { TaskKind } from '../tables.js';
import { cancel, powerOff, powerOn, provision, reboot, reimage } from './actions.js';
import type { Run } from './runner.js';
import { failTask, loadRun } from './runner.js';

declare module '../../jobs/index.js' {
  interface JobPayloads {
    'picloud.provision': { taskId: string };
    'picloud.reboot': { taskId: string };
    'picloud.power': { taskId: string };
    'picloud.reimage': { taskId: string };
    'picloud.cancel': { taskId: string };
    /** Put an enrolled (or repaired) Pi into service: switch it off and wipe it. */
    'picloud.commission': { piId: string };
  }
}

type PiJobName =
  'picloud.provision' | 'picloud.reboot' | 'picloud.power' | 'picloud.reimage' | 'picloud.cancel';

const jobOf: Record<TaskKind, PiJobName> = {
  provision: 'picloud.provision',
  reboot: 'picloud.reboot',
  'power-on': 'picloud.power',
  'power-off': 'picloud.power',
  reimage: 'picloud.reimage',
  cancel: 'picloud.cancel',
};

const bodies: Record<TaskKind, (run: Run) => Promise<void>> = {
  provision,
  reboot,
  'power-on': powerOn,
  'power-off': powerOff,
  reimage,
  cancel,
};

/** Queue the job of a task; the unique key makes queueing it twice (recovery) harmless. */
export function enqueueTask(ctx: PicloudContext, task: TaskRow): Promise<string> {
  return ctx.jobs.enqueue(
    jobOf[task.kind],
    { taskId: task.id },
    { uniqueKey: `pi-task:${task.id}` },
  );
}

/** Define every Pi job. `stopping` tells a runner shutdown (retry later) from a real failure. */
export function definePiJobs(ctx: PicloudContext, stopping: () => boolean): void {
  const t = ctx.config.timeouts;
  const bootSeconds =
    t.dhcpSeconds + 8 * t.tftpFileSeconds + t.kernelSeconds + t.rootfsSeconds + t.sshSeconds;
  const timeoutSeconds = Math.ceil((ctx.config.maxPowerCycles + 1) * bootSeconds + 300);
  for (const name of new Set(Object.values(jobOf))) {
    ctx.jobs.define({
      name,
      maxAttempts: 3,
      timeoutSeconds,
      run: async ({ taskId }, job) => {
        const run = await loadRun(ctx, taskId, job);
        if (!run) return;
        try {
          await bodies[run.task.kind](run);
        } catch (err) {
          // Stopping, or attempts left: leave the task running for the next attempt or instance.
          if (stopping() || job.attempt < job.maxAttempts) throw err;
          const fresh = await loadRun(ctx, taskId, job);
          if (fresh) await failTask(fresh, err instanceof Error ? err.message : String(err));
        }
      },
    });
  }
}

/** The commission job: the fleet's returnToService, run where the drivers are. */
export function defineCommissionJob(
  ctx: PicloudContext,
  returnToService: (piId: string) => Promise<unknown>,
): void {
  ctx.jobs.define({
    name: 'picloud.commission',
    maxAttempts: 1,
    timeoutSeconds: 300,
    run: async ({ piId }) => {
      const host = await ctx.store.host(piId);
      if (!host || !['new', 'maintenance', 'broken'].includes(host.state)) return;
      await returnToService(piId).catch((err: unknown) =>
        ctx.logger.warn({ err, serial: host.serial }, 'Pi could not be put into service'),
      );
    },
  });
}

/**
 * After a start: every task still running gets its job queued again (a no-op when it exists);
 * one whose job has already given up is failed now rather than left hanging.
 */
export async function recoverTasks(ctx: PicloudContext): Promise<number> {
  let n = 0;
  for (const task of await ctx.store.runningTasks()) {
    const jobId = await enqueueTask(ctx, task);
    const job = await ctx.jobs.get(jobId);
    if (job && (job.state === 'failed' || job.state === 'done')) {
      const run = await loadRun(ctx, task.id, {
        id: jobId,
        attempt: job.attempts,
        maxAttempts: job.max_attempts,
        signal: new AbortController().signal,
        logger: ctx.logger,
        progress: async () => undefined,
      });
      if (run) await failTask(run, job.last_error ?? 'the job stopped before finishing');
    }
    n++;
  }
  return n;
}
