// Ordering a Pi: checking the name, the model (a board or the API's number), the disk and the
// image, then allocating the lowest free spec that matches in one transaction.
import type { Actor } from '../core/actor.js';
import { ValidationError } from '../core/errors.js';
import { newId, randomToken } from '../core/ids.js';
import type { Catalogue } from './catalogue.js';
import type { PicloudContext } from './context.js';
import { NameInUse, OutOfStock } from './errors.js';
import type { PiModel } from './models.js';
import { isPiModel, modelsForApiNumber } from './models.js';
import { enqueueTask } from './pipeline/jobs.js';
import type { ServerRow, TaskRow } from './store.js';
import { NoStock } from './store.js';
import type { TaskKind } from './tables.js';
import type { ServerView, TaskView } from './views.js';
import { taskView } from './views.js';

export interface OrderInput {
  /** Chosen name, or absent to let Bestiary choose. */
  name?: string | undefined;
  /** A board (panel) or the API's model number (3, 4, …); absent means a Pi 3. */
  model?: PiModel | number | undefined;
  memoryMb?: number | undefined;
  cpuMhz?: number | undefined;
  diskGb?: number | undefined;
  image?: string | null | undefined;
  /** authorized_keys lines, already validated. */
  keys: readonly string[];
}

export const namePattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lower-cased and checked: a DNS label, because it becomes {name}.{pi domain}. */
export function checkName(input: string): string {
  const name = input.trim().toLowerCase();
  if (!namePattern.test(name))
    throw new ValidationError(
      'A server name is 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen.',
    );
  return name;
}

export function newTask(
  ctx: PicloudContext,
  server: ServerRow,
  kind: TaskKind,
  params: unknown,
  stage: string,
): TaskRow {
  const now = ctx.now();
  return {
    id: newId(),
    server_id: server.id,
    account_id: server.account_id,
    kind,
    state: 'running',
    step: 'queued',
    stage,
    power_cycles: 0,
    params: JSON.stringify(params),
    result: null,
    error: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
}

export const actorParams = (actor: Actor) => ({
  actor: { accountId: actor.accountId, ip: actor.ip, channel: actor.channel },
});

/** The order use-case; `view` turns the stored server into what callers see. */
export function createOrdering(
  ctx: PicloudContext,
  catalogue: Catalogue,
  view: (row: ServerRow) => Promise<ServerView>,
) {
  const { store } = ctx;
  /** Order a Pi: allocate the lowest free spec that matches, then provision it in a job. */
  return async function order(
    accountId: string,
    input: OrderInput,
    actor: Actor,
  ): Promise<{ server: ServerView; task: TaskView }> {
    const name = input.name !== undefined ? checkName(input.name) : `pi-${randomToken(8)}`;
    const boards =
      input.model === undefined
        ? modelsForApiNumber(3)
        : typeof input.model === 'number'
          ? modelsForApiNumber(input.model)
          : isPiModel(input.model)
            ? [input.model]
            : [];
    if (boards.length === 0) throw new ValidationError('Invalid model number');
    const disk = input.diskGb ?? ctx.config.defaultDiskGb;
    if (!Number.isInteger(disk) || disk < 10 || disk % 10 !== 0 || disk > ctx.config.maxDiskGb)
      throw new ValidationError(
        `The disk size must be a multiple of 10 GB from 10 to ${ctx.config.maxDiskGb}.`,
      );
    const imageFor: Partial<Record<PiModel, string>> = {};
    let imageProblem: unknown = null;
    for (const b of boards) {
      try {
        imageFor[b] = (await catalogue.resolveImage(b, input.image)).name;
      } catch (err) {
        imageProblem = err;
      }
    }
    const offered = boards.filter((b) => imageFor[b]);
    if (offered.length === 0) throw imageProblem as Error;
    if (await store.serverByActiveName(name)) throw new NameInUse(name);

    const now = ctx.now();
    const server: ServerRow = {
      id: newId(),
      account_id: accountId,
      name,
      active_name: name,
      pi_id: null,
      image: imageFor[offered[0]!]!,
      disk_gb: disk,
      ssh_keys: input.keys.length ? `${input.keys.join('\n')}\n` : '',
      status: 'provisioning',
      power: 0,
      is_booting: 1,
      boot_phase: 'prepare',
      boot_progress: 'Waiting for a Pi',
      ssh_port: null,
      task_id: null,
      error: null,
      created_at: now,
      updated_at: now,
      live_at: null,
      cancelled_at: null,
    };
    const task = newTask(ctx, server, 'provision', actorParams(actor), 'Provisioning');
    server.task_id = task.id;
    try {
      await store.allocate(
        server,
        task,
        { models: offered, memoryMb: input.memoryMb, cpuMhz: input.cpuMhz },
        imageFor,
        now,
      );
    } catch (err) {
      if (err instanceof NoStock) throw new OutOfStock();
      if (await store.serverByActiveName(name)) throw new NameInUse(name);
      throw err;
    }
    const stored = (await store.server(server.id))!;
    await ctx.audit.record({
      actor,
      ownerAccountId: accountId,
      action: 'pi.ordered',
      objectType: 'pi_server',
      objectId: name,
      after: { image: stored.image, disk, keys: input.keys.length, pi: stored.pi_id },
    });
    await enqueueTask(ctx, task);
    return { server: await view(stored), task: taskView(task) };
  };
}
