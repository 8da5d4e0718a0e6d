// Automatic checks: every live server gets ssh and web checks in the reference's naming, gone with
// the server; every watched backup target gets a heartbeat its runs beat (or fail).
import type { Config } from '../config.js';
import type { Logger } from '../core/logger.js';
import type { Engine } from './engine.js';
import { serverCheckNames } from './format.js';
import type { Inventory } from './inventory.js';

/**
 * A customer's server that answers: a Pi today, a managed server (`vds`) when that module exists.
 * Whatever emits "server live" facts maps them to this; nothing here knows the Pi cloud.
 */
export interface LiveServer {
  /** `pi`, `vds`: the word after `managed` in the check names. */
  kind: string;
  serverId: string;
  accountId: string;
  name: string;
  /** Where SSH answers (for a Pi, the shared front address and the Pi's port). */
  sshHost: string;
  sshPort: number;
  /** Its own address: the web check asks http://ADDRESS/. */
  address: string;
  /** The hardware it runs on, for the bracketed context of alert lines. */
  host?: string;
}

export interface WatchedBackup {
  targetId: string;
  name: string;
  accountId: string | null;
  /** A successful beat is expected at least this often (from the target's schedule). */
  periodMs: number;
  /** Lateness allowed before a missing beat counts as down. */
  graceMs: number;
}

const urlHost = (address: string) => (address.includes(':') ? `[${address}]` : address);

export function createAutomatic(deps: {
  inventory: Inventory;
  engine: Engine;
  logger: Logger;
  config: Config['monitoring'];
}) {
  const { inventory, config } = deps;
  const serverOrigin = (kind: string, id: string) => `${kind}:${id}:`;
  const backupOrigin = (id: string) => `backup:${id}`;

  async function watchBackup(b: WatchedBackup) {
    return inventory.ensure({
      source: 'auto',
      origin: backupOrigin(b.targetId),
      accountId: b.accountId,
      ref: `${b.targetId}-backup`,
      input: {
        name: `backup ${b.name}`,
        type: 'push',
        params: { periodMs: b.periodMs, graceMs: b.graceMs },
        // A failed backup is a fact, not a flaky probe: down at once, up on the next success.
        downRetries: 1,
        upRetries: 1,
        where: '',
      },
    });
  }

  return {
    /** Add (or bring up to date) a live server's ssh and web checks. Safe to repeat. */
    async serverLive(s: LiveServer): Promise<void> {
      const context = [s.address, s.host ? `${s.kind}host:${s.host}` : '']
        .filter(Boolean)
        .join(' ');
      const base = { accountId: s.accountId, source: 'auto' as const };
      let parent: string | null = null;
      if (config.automatic.ssh) {
        const names = serverCheckNames(s.kind, s.name, s.serverId, 'ssh');
        const def = await inventory.ensure({
          ...base,
          origin: `${serverOrigin(s.kind, s.serverId)}ssh`,
          ref: names.ref,
          input: {
            name: names.name,
            type: 'ssh',
            params: { host: s.sshHost, port: s.sshPort },
            where: s.address,
            context,
          },
        });
        parent = def.id;
      }
      if (config.automatic.web) {
        const names = serverCheckNames(s.kind, s.name, s.serverId, 'web');
        await inventory.ensure({
          ...base,
          origin: `${serverOrigin(s.kind, s.serverId)}web`,
          ref: names.ref,
          // Behind its ssh check: a server that is down explains why its web is too.
          input: {
            name: names.name,
            type: 'http',
            params: { url: `http://${urlHost(s.address)}/` },
            where: '',
            context,
            parent,
          },
        });
      }
    },
    /** The server is gone: its checks go with it. */
    async serverGone(kind: string, serverId: string): Promise<void> {
      const rows = await inventory.managed(serverOrigin(kind, serverId));
      // Children first, so no check is left pointing at a removed parent.
      const web = (o: string | null) => Number(o?.endsWith(':web') ?? false);
      for (const row of rows.sort((a, b) => web(b.origin) - web(a.origin)))
        await inventory.drop(row.id);
    },
    watchBackup,
    async unwatchBackup(targetId: string): Promise<void> {
      const rows = await inventory.managed(backupOrigin(targetId));
      for (const row of rows)
        if (row.origin === backupOrigin(targetId)) await inventory.drop(row.id);
    },
    /** A backup run finished: its heartbeat beats, or fails with the run's summary. */
    async backupResult(b: WatchedBackup, ok: boolean, summary: string): Promise<void> {
      const row = await inventory.managed(backupOrigin(b.targetId));
      const id =
        row.find((r) => r.origin === backupOrigin(b.targetId))?.id ?? (await watchBackup(b)).id;
      deps.engine.beat(id, ok ? 'success' : 'fail', summary);
    },
  };
}

export type Automatic = ReturnType<typeof createAutomatic>;
