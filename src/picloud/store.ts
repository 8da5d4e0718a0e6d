// All SQL of the Pi cloud. Allocation is one conditional UPDATE in a transaction, so no Pi is
// ever given to two customers, on SQLite (one writer) and PostgreSQL (SKIP LOCKED) alike.
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Dialect } from '../db/index.js';
import type { PiModel } from './drivers/index.js';
import type {
  HostState,
  HostsTable,
  ImagesTable,
  PicloudTables,
  ServersTable,
  SitesTable,
  SshKeysTable,
  SwitchesTable,
  TasksTable,
} from './tables.js';

export type HostRow = Selectable<HostsTable>;
export type ServerRow = Selectable<ServersTable>;
export type TaskRow = Selectable<TasksTable>;
export type ImageRow = Selectable<ImagesTable>;
export type SshKeyRow = Selectable<SshKeysTable>;
export type SiteRow = Selectable<SitesTable>;
export type SwitchRow = Selectable<SwitchesTable>;

/** Which Pis an order may get: every field given must match. */
export interface SpecFilter {
  models: PiModel[];
  memoryMb?: number | undefined;
  cpuMhz?: number | undefined;
}

/** States in which a Pi counts as stock the catalogue offers. */
const inService: HostState[] = [
  'ready',
  'allocated',
  'provisioning',
  'live',
  'releasing',
  'failed',
];

export function createPicloudStore(db: Kysely<PicloudTables>, dialect: Dialect) {
  return {
    // Sites and switches
    insertSite: (row: SiteRow) => db.insertInto('pi_sites').values(row).execute(),
    sites: () => db.selectFrom('pi_sites').selectAll().orderBy('id').execute(),
    site: (id: string) =>
      db.selectFrom('pi_sites').selectAll().where('id', '=', id).executeTakeFirst(),
    insertSwitch: (row: SwitchRow) => db.insertInto('pi_switches').values(row).execute(),
    switches: () =>
      db.selectFrom('pi_switches').selectAll().orderBy('site_id').orderBy('name').execute(),
    switchByName: (siteId: string, name: string) =>
      db
        .selectFrom('pi_switches')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('name', '=', name)
        .executeTakeFirst(),

    // Pis
    /** Insert a Pi with the next free slot (its /64 and SSH port number). */
    insertHost(row: Omit<HostRow, 'slot'>): Promise<HostRow> {
      return db.transaction().execute(async (trx) => {
        const top = await trx
          .selectFrom('pi_hosts')
          .select((eb) => eb.fn.max('slot').as('slot'))
          .executeTakeFirst();
        const full = { ...row, slot: Number(top?.slot ?? 0) + 1 };
        await trx.insertInto('pi_hosts').values(full).execute();
        return full;
      });
    },
    host: (id: string) =>
      db.selectFrom('pi_hosts').selectAll().where('id', '=', id).executeTakeFirst(),
    hostBySerial: (serial: string) =>
      db.selectFrom('pi_hosts').selectAll().where('serial', '=', serial).executeTakeFirst(),
    hostByMac: (mac: string) =>
      db.selectFrom('pi_hosts').selectAll().where('mac', '=', mac).executeTakeFirst(),
    hosts(filter: { siteId?: string; state?: HostState } = {}) {
      let q = db.selectFrom('pi_hosts').selectAll();
      if (filter.siteId) q = q.where('site_id', '=', filter.siteId);
      if (filter.state) q = q.where('state', '=', filter.state);
      return q.orderBy('site_id').orderBy('slot').execute();
    },
    countHosts: async () =>
      Number(
        (
          await db
            .selectFrom('pi_hosts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirst()
        )?.n ?? 0,
      ),
    /** Move a Pi between states, only from one of `from` (so concurrent changes cannot clash). */
    async setHostState(
      id: string,
      to: HostState,
      reason: string | null,
      now: string,
      from?: HostState[],
    ): Promise<boolean> {
      let q = db
        .updateTable('pi_hosts')
        .set({ state: to, state_reason: reason, updated_at: now })
        .where('id', '=', id);
      if (from) q = q.where('state', 'in', from);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** Give the Pi back: no server, in state `to`. */
    releaseHost: (id: string, to: HostState, reason: string | null, now: string) =>
      db
        .updateTable('pi_hosts')
        .set({ state: to, state_reason: reason, server_id: null, updated_at: now })
        .where('id', '=', id)
        .execute(),
    /** Specs on offer: each distinct (model, memory, cpu, nic) in service, with how many are free. */
    specs: () =>
      db
        .selectFrom('pi_hosts')
        .select(['model', 'memory_mb', 'cpu_mhz', 'nic_mbps'])
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn.sum<number>(eb.case().when('state', '=', 'ready').then(1).else(0).end()).as('free'),
        ])
        .where('state', 'in', inService)
        .groupBy(['model', 'memory_mb', 'cpu_mhz', 'nic_mbps'])
        .orderBy('memory_mb')
        .orderBy('cpu_mhz')
        .orderBy('model')
        .execute(),

    // Images
    insertImage: (row: ImageRow) => db.insertInto('pi_images').values(row).execute(),
    images: () => db.selectFrom('pi_images').selectAll().orderBy('name').execute(),
    image: (name: string) =>
      db.selectFrom('pi_images').selectAll().where('name', '=', name).executeTakeFirst(),
    setImageArchive: (name: string, archive: string) =>
      db.updateTable('pi_images').set({ archive }).where('name', '=', name).execute(),
    retireImage: (name: string, now: string) =>
      db.transaction().execute(async (trx) => {
        await trx.deleteFrom('pi_image_defaults').where('image', '=', name).execute();
        await trx
          .updateTable('pi_images')
          .set({ retired_at: now })
          .where('name', '=', name)
          .execute();
      }),
    imageDefaults: () => db.selectFrom('pi_image_defaults').selectAll().execute(),
    async setImageDefault(model: PiModel, image: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('pi_image_defaults').where('model', '=', model).execute();
        await trx.insertInto('pi_image_defaults').values({ model, image }).execute();
      });
    },

    // Customers' SSH keys
    insertKey: (row: SshKeyRow) => db.insertInto('pi_ssh_keys').values(row).execute(),
    keysOf: (accountId: string) =>
      db
        .selectFrom('pi_ssh_keys')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at')
        .execute(),
    keyByFingerprint: (accountId: string, fingerprint: string) =>
      db
        .selectFrom('pi_ssh_keys')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('fingerprint', '=', fingerprint)
        .executeTakeFirst(),
    deleteKey: async (accountId: string, id: string) =>
      Number(
        (
          await db
            .deleteFrom('pi_ssh_keys')
            .where('account_id', '=', accountId)
            .where('id', '=', id)
            .executeTakeFirst()
        ).numDeletedRows,
      ) > 0,

    // Servers and tasks
    /**
     * Order: the server, its Pi and its first task in one transaction. The Pi is taken by one
     * conditional UPDATE (ready → allocated); null means none of that spec is free.
     */
    allocate(
      server: ServerRow,
      task: TaskRow,
      spec: SpecFilter,
      imageFor: Partial<Record<PiModel, string>>,
      now: string,
    ) {
      return db.transaction().execute(async (trx) => {
        await trx.insertInto('pi_servers').values(server).execute();
        let pick = trx
          .selectFrom('pi_hosts')
          .select('id')
          .where('state', '=', 'ready')
          .where('model', 'in', spec.models);
        if (spec.memoryMb !== undefined) pick = pick.where('memory_mb', '=', spec.memoryMb);
        if (spec.cpuMhz !== undefined) pick = pick.where('cpu_mhz', '=', spec.cpuMhz);
        pick = pick
          .orderBy('memory_mb')
          .orderBy('cpu_mhz')
          .orderBy('nic_mbps')
          .orderBy('model')
          .orderBy('slot')
          .limit(1);
        const host = await trx
          .updateTable('pi_hosts')
          .set({ state: 'allocated', server_id: server.id, state_reason: null, updated_at: now })
          .where('id', '=', dialect.skipLocked(pick))
          .where('state', '=', 'ready')
          .returningAll()
          .executeTakeFirst();
        const image = host && imageFor[host.model];
        if (!host || !image) throw new NoStock();
        await trx
          .updateTable('pi_servers')
          .set({ pi_id: host.id, image })
          .where('id', '=', server.id)
          .execute();
        await trx.insertInto('pi_tasks').values(task).execute();
        return host;
      });
    },
    server: (id: string) =>
      db.selectFrom('pi_servers').selectAll().where('id', '=', id).executeTakeFirst(),
    serverByActiveName: (name: string) =>
      db.selectFrom('pi_servers').selectAll().where('active_name', '=', name).executeTakeFirst(),
    serversOf: (accountId: string) =>
      db
        .selectFrom('pi_servers')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('active_name', 'is not', null)
        .orderBy('name')
        .execute(),
    updateServer: (id: string, changes: Updateable<ServersTable>) =>
      db.updateTable('pi_servers').set(changes).where('id', '=', id).execute(),
    /**
     * Start a task on a server only if none is running and it is in one of `statuses`: the
     * conditional UPDATE makes two clicks (or two API calls) start one task.
     */
    startTask(
      task: TaskRow,
      statuses: ServersTable['status'][],
      changes: Updateable<ServersTable>,
    ) {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('pi_servers')
          .set({ ...changes, task_id: task.id, updated_at: task.created_at })
          .where('id', '=', task.server_id)
          .where('task_id', 'is', null)
          .where('status', 'in', statuses)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return false;
        await trx.insertInto('pi_tasks').values(task).execute();
        return true;
      });
    },
    task: (id: string) =>
      db.selectFrom('pi_tasks').selectAll().where('id', '=', id).executeTakeFirst(),
    tasksOf: (serverId: string, limit = 20) =>
      db
        .selectFrom('pi_tasks')
        .selectAll()
        .where('server_id', '=', serverId)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute(),
    runningTasks: () =>
      db.selectFrom('pi_tasks').selectAll().where('state', '=', 'running').execute(),
    updateTask: (id: string, changes: Updateable<TasksTable>) =>
      db.updateTable('pi_tasks').set(changes).where('id', '=', id).execute(),
    /** End a task and free its server for the next one, together. */
    finishTask: (
      task: TaskRow,
      changes: Updateable<TasksTable>,
      server: Updateable<ServersTable>,
    ) =>
      db.transaction().execute(async (trx) => {
        await trx.updateTable('pi_tasks').set(changes).where('id', '=', task.id).execute();
        await trx
          .updateTable('pi_servers')
          .set({ ...server, task_id: null })
          .where('id', '=', task.server_id)
          .where('task_id', '=', task.id)
          .execute();
      }),
  };
}

/** Thrown inside the allocation transaction to roll it back when no Pi is free. */
export class NoStock extends Error {}

export type PicloudStore = ReturnType<typeof createPicloudStore>;
