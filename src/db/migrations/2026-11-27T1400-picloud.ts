// The Pi cloud: sites, switches, Pis, images, customers' SSH keys, servers (a Pi given to a
// customer) and the tasks (provision, reboot, power, re-image, cancel) that act on them.
import type { DatedMigration } from './types.js';

export const migration: DatedMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('pi_sites')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('pi_switches')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('site_id', 'text', (c) => c.notNull().references('pi_sites.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('ports', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('pi_switches_site_name', ['site_id', 'name'])
      .execute();

    await db.schema
      .createTable('pi_hosts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('serial', 'text', (c) => c.notNull().unique())
      .addColumn('mac', 'text', (c) => c.notNull().unique())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('memory_mb', 'integer', (c) => c.notNull())
      .addColumn('cpu_mhz', 'integer', (c) => c.notNull())
      .addColumn('nic_mbps', 'integer', (c) => c.notNull())
      .addColumn('site_id', 'text', (c) => c.notNull().references('pi_sites.id'))
      .addColumn('switch_id', 'text', (c) => c.references('pi_switches.id'))
      .addColumn('port', 'integer')
      // Numbers the Pi's /64 and its SSH port: fixed per Pi, so addresses never race.
      .addColumn('slot', 'integer', (c) => c.notNull().unique())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('state_reason', 'text')
      // At most one server per Pi, and one Pi per server: the allocation guard.
      .addColumn('server_id', 'text', (c) => c.unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('pi_hosts_switch_port', ['switch_id', 'port'])
      .execute();
    await db.schema.createIndex('pi_hosts_state').on('pi_hosts').columns(['state']).execute();

    await db.schema
      .createTable('pi_images')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('archive', 'text', (c) => c.notNull())
      .addColumn('default_user', 'text')
      .addColumn('models', 'text', (c) => c.notNull())
      .addColumn('retired_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('pi_image_defaults')
      .addColumn('model', 'text', (c) => c.primaryKey())
      .addColumn('image', 'text', (c) => c.notNull().references('pi_images.name'))
      .execute();

    await db.schema
      .createTable('pi_ssh_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) =>
        c.notNull().references('accounts.id').onDelete('cascade'),
      )
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('algorithm', 'text', (c) => c.notNull())
      .addColumn('bits', 'integer', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('line', dialect.textType, (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('pi_ssh_keys_account_fp', ['account_id', 'fingerprint'])
      .execute();

    await db.schema
      .createTable('pi_servers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) =>
        c.notNull().references('accounts.id').onDelete('cascade'),
      )
      .addColumn('name', 'text', (c) => c.notNull())
      // The name while the server exists; NULL once cancelled, so the name can be used again.
      .addColumn('active_name', 'text', (c) => c.unique())
      .addColumn('pi_id', 'text', (c) => c.references('pi_hosts.id'))
      .addColumn('image', 'text', (c) => c.notNull())
      .addColumn('disk_gb', 'integer', (c) => c.notNull())
      .addColumn('ssh_keys', dialect.textType, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('power', 'integer', (c) => c.notNull())
      .addColumn('is_booting', 'integer', (c) => c.notNull())
      .addColumn('boot_phase', 'text')
      .addColumn('boot_progress', 'text')
      .addColumn('ssh_port', 'integer')
      .addColumn('task_id', 'text')
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('live_at', 'text')
      .addColumn('cancelled_at', 'text')
      .execute();
    await db.schema
      .createIndex('pi_servers_account')
      .on('pi_servers')
      .columns(['account_id', 'status'])
      .execute();

    await db.schema
      .createTable('pi_tasks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('server_id', 'text', (c) => c.notNull().references('pi_servers.id'))
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('power_cycles', 'integer', (c) => c.notNull())
      .addColumn('params', dialect.textType, (c) => c.notNull())
      .addColumn('result', dialect.textType)
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createIndex('pi_tasks_server')
      .on('pi_tasks')
      .columns(['server_id', 'created_at'])
      .execute();
    await db.schema.createIndex('pi_tasks_state').on('pi_tasks').columns(['state']).execute();
  },
};
