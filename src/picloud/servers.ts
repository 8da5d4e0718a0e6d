// Customers' Pis: ordering (the lowest free spec that matches), reading them, and starting the
// actions on them. Every action is a task run by a durable job; one task at a time per server.
import type { Actor } from '../core/actor.js';
import { ConflictError } from '../core/errors.js';
import type { Catalogue } from './catalogue.js';
import type { PicloudContext } from './context.js';
import { targetOf } from './context.js';
import { NotProvisioned, ServerBusy, ServerNotFound } from './errors.js';
import { actorParams, createOrdering, namePattern, newTask } from './order.js';
import { enqueueTask } from './pipeline/jobs.js';
import type { ServerRow } from './store.js';
import type { ServerStatus, TaskKind } from './tables.js';
import type { ServerView, TaskView } from './views.js';
import { serverView, taskView } from './views.js';

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
    const task = newTask(ctx, server, kind, params, stage);
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

  const order = createOrdering(ctx, catalogue, view);

  return {
    order,
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
