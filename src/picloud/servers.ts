// Customers' Pis: ordering (the lowest free spec that matches), reading them, and starting the
// actions on them. Every action is a task run by a durable job; one task at a time per server.
import type { Actor } from '../core/actor.js';
import { ConflictError, ValidationError } from '../core/errors.js';
import { newId, randomToken } from '../core/ids.js';
import type { Catalogue } from './catalogue.js';
import type { PicloudContext } from './context.js';
import { targetOf } from './context.js';
import { NameInUse, NotProvisioned, OutOfStock, ServerBusy, ServerNotFound } from './errors.js';
import type { PiModel } from './models.js';
import { isPiModel, modelsForApiNumber } from './models.js';
import { enqueueTask } from './pipeline/jobs.js';
import type { ServerRow, TaskRow } from './store.js';
import { NoStock } from './store.js';
import type { ServerStatus, TaskKind } from './tables.js';
import type { ServerView, TaskView } from './views.js';
import { serverView, taskView } from './views.js';

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

const namePattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lower-cased and checked: a DNS label, because it becomes {name}.{pi domain}. */
export function checkName(input: string): string {
  const name = input.trim().toLowerCase();
  if (!namePattern.test(name))
    throw new ValidationError(
      'A server name is 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen.',
    );
  return name;
}

export function createServers(ctx: PicloudContext, catalogue: Catalogue) {
  const { store } = ctx;

  async function load(accountId: string, name: string): Promise<ServerRow> {
    const row = namePattern.test(name.toLowerCase())
      ? await store.serverByActiveName(name.toLowerCase())
      : undefined;
    if (!row || row.account_id !== accountId) throw new ServerNotFound();
    return row;
  }

  async function view(row: ServerRow): Promise<ServerView> {
    const host = row.pi_id ? await store.host(row.pi_id) : undefined;
    if (!host) throw new ServerNotFound();
    return serverView(ctx, row, host);
  }

  function newTask(server: ServerRow, kind: TaskKind, params: unknown, stage: string): TaskRow {
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

  /** Start `kind` on a server in one of `from`, or say clearly why not. */
  async function start(
    accountId: string,
    name: string,
    kind: TaskKind,
    from: ServerStatus[],
    params: Record<string, unknown>,
    changes: Partial<ServerRow>,
    stage: string,
  ): Promise<TaskView> {
    const server = await load(accountId, name);
    if (server.status === 'provisioning') throw new NotProvisioned();
    const task = newTask(server, kind, params, stage);
    if (!(await store.startTask(task, from, changes))) {
      const fresh = (await store.server(server.id))!;
      const running = fresh.task_id ? await store.task(fresh.task_id) : undefined;
      if (running) throw new ServerBusy(running.kind);
      throw new ConflictError(
        `This server is ${fresh.status}; it cannot be given that action now.`,
      );
    }
    await enqueueTask(ctx, task);
    return taskView(task);
  }

  const actorParams = (actor: Actor) => ({
    actor: { accountId: actor.accountId, ip: actor.ip, channel: actor.channel },
  });

  return {
    /** Order a Pi: allocate the lowest free spec that matches, then provision it in a job. */
    async order(
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
      const task = newTask(server, 'provision', actorParams(actor), 'Provisioning');
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
    },

    list: async (accountId: string): Promise<ServerView[]> =>
      Promise.all((await store.serversOf(accountId)).map(view)),

    get: async (accountId: string, name: string): Promise<ServerView> =>
      view(await load(accountId, name)),

    /** A task of this account's (the queue URL); someone else's is not found. */
    async task(accountId: string, taskId: string): Promise<{ task: TaskView; server: ServerRow }> {
      const task = await store.task(taskId);
      if (!task || task.account_id !== accountId) throw new ServerNotFound();
      return { task: taskView(task), server: (await store.server(task.server_id))! };
    },

    async tasks(accountId: string, name: string): Promise<TaskView[]> {
      return (await store.tasksOf((await load(accountId, name)).id)).map(taskView);
    },

    reboot: (accountId: string, name: string, actor: Actor) =>
      start(
        accountId,
        name,
        'reboot',
        ['live'],
        actorParams(actor),
        { is_booting: 1, power: 1, boot_phase: 'power', boot_progress: 'Rebooting' },
        'Rebooting',
      ),

    power: (accountId: string, name: string, on: boolean, actor: Actor) =>
      start(
        accountId,
        name,
        on ? 'power-on' : 'power-off',
        ['live'],
        actorParams(actor),
        on ? { is_booting: 1, boot_phase: 'power', boot_progress: 'Powering on' } : {},
        on ? 'Powering on' : 'Powering off',
      ),

    /** Throw away everything on the Pi and start again over `image` (default: the current one). */
    async reimage(
      accountId: string,
      name: string,
      input: { image?: string | null; keys?: readonly string[] | null },
      actor: Actor,
    ): Promise<TaskView> {
      const current = await view(await load(accountId, name));
      const image = (await catalogue.resolveImage(current.model, input.image ?? current.image))
        .name;
      const keys = input.keys ?? null;
      const task = await start(
        accountId,
        name,
        'reimage',
        ['live'],
        { ...actorParams(actor), image, keys },
        {
          status: 'installing',
          is_booting: 1,
          boot_phase: 'prepare',
          boot_progress: 'Installing operating system',
        },
        'Installing operating system',
      );
      await ctx.audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'pi.reimage_requested',
        objectType: 'pi_server',
        objectId: name,
        before: { image: current.image },
        after: { image, task: task.id },
      });
      return task;
    },

    /** Cancel: the name is free at once and the DNS names go; a job wipes the Pi and returns it. */
    async cancel(accountId: string, name: string, actor: Actor): Promise<TaskView> {
      const server = await load(accountId, name);
      const now = ctx.now();
      const task = await start(
        accountId,
        name,
        'cancel',
        ['live', 'failed'],
        actorParams(actor),
        { status: 'cancelled', active_name: null, cancelled_at: now, is_booting: 0 },
        'Cancelling',
      );
      await ctx.audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'pi.cancel_requested',
        objectType: 'pi_server',
        objectId: name,
        after: { task: task.id },
      });
      await ctx.events.emit('pi.removed', {
        serverId: server.id,
        accountId,
        name: server.name,
        piId: server.pi_id!,
      });
      return task;
    },

    /** Replace authorized_keys on the Pi itself (root and the image's default user). */
    async replaceKeys(
      accountId: string,
      name: string,
      keys: readonly string[],
      actor: Actor,
    ): Promise<ServerView> {
      const server = await load(accountId, name);
      if (server.status === 'provisioning') throw new NotProvisioned();
      if (server.status !== 'live') throw new ConflictError(`This server is ${server.status}.`);
      const host = (await store.host(server.pi_id!))!;
      await ctx.drivers().storage.writeAuthorizedKeys(targetOf(host), keys);
      const text = keys.length ? `${keys.join('\n')}\n` : '';
      await store.updateServer(server.id, { ssh_keys: text, updated_at: ctx.now() });
      await ctx.audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'pi.ssh_keys_replaced',
        objectType: 'pi_server',
        objectId: name,
        before: { keys: server.ssh_keys.split('\n').filter(Boolean).length },
        after: { keys: keys.length },
      });
      return view((await store.server(server.id))!);
    },

    /** SoC temperature in °C, or null when the Pi is off. */
    async temperature(accountId: string, name: string): Promise<number | null> {
      const server = await load(accountId, name);
      if (server.status !== 'live') return null;
      const host = (await store.host(server.pi_id!))!;
      return ctx.drivers().telemetry.temperature(targetOf(host));
    },
  };
}

export type Servers = ReturnType<typeof createServers>;
