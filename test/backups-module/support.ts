// Test support for the backups module: the whole app with artifacts in a private directory,
// an operator actor, and the backup.* events it emitted.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Account } from '../../src/accounts/index.js';
import type { ConfigInput } from '../../src/config.js';
import type { Actor } from '../../src/core/actor.js';
import type { EventMap } from '../../src/core/events.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import type { Engine } from '../support/databases.js';

export type BackupEvent =
  | { name: 'backup.succeeded'; payload: EventMap['backup.succeeded'] }
  | { name: 'backup.failed'; payload: EventMap['backup.failed'] }
  | { name: 'backup.restored'; payload: EventMap['backup.restored'] };

export interface BackupsWorld extends TestApp {
  dir: string;
  operator: Actor;
  events: BackupEvent[];
}

export const operator: Actor = { accountId: null, ip: null, channel: 'cli', isAdmin: true };

/** The app with backups stored under a fresh directory; `close` removes it. */
export async function backupsWorld(
  options: { engine?: Engine; config?: ConfigInput } = {},
): Promise<BackupsWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'bestiary-bkmod-'));
  const t = await buildTestApp({
    ...(options.engine ? { engine: options.engine } : {}),
    config: {
      ...options.config,
      backups: { storageDir: join(dir, 'store'), tmpDir: dir, ...options.config?.backups },
    },
  });
  const events: BackupEvent[] = [];
  t.app.events.on(
    'backup.succeeded',
    (payload) => void events.push({ name: 'backup.succeeded', payload }),
  );
  t.app.events.on(
    'backup.failed',
    (payload) => void events.push({ name: 'backup.failed', payload }),
  );
  t.app.events.on(
    'backup.restored',
    (payload) => void events.push({ name: 'backup.restored', payload }),
  );
  return {
    ...t,
    dir,
    operator,
    events,
    async close() {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Mail in the outbox to `to`, newest first. */
export async function mailTo(t: TestApp, to: string) {
  return (await t.app.mailer.list(200)).filter((m) => m.to_address === to);
}

/** A customer's site directory backed up three times, then half deleted (WARN), then gone (ERROR). */
export async function siteWithHistory(
  w: Pick<BackupsWorld, 'app' | 'clock' | 'dir'>,
  customer: Account,
  name = 'site',
) {
  const site = join(w.dir, name);
  const fill = () => {
    mkdirSync(site, { recursive: true });
    for (let i = 0; i < 10; i++)
      writeFileSync(join(site, `page${i}.html`), `<p>${'x'.repeat(2000)} ${i}</p>`);
  };
  fill();
  const target = await w.app.backups.addTarget(
    {
      name,
      owner: { kind: 'server', accountId: customer.id, serverId: `srv-${name}` },
      config: { kind: 'files', paths: [site] },
      reverifySchedule: null,
      restoreTestSchedule: null,
    },
    operator,
  );
  const run = async () => {
    w.clock.advance(60_000);
    await w.app.backups.runNow(operator, target.id);
    await w.app.jobs.drain();
    return (await w.app.backups.listRuns(operator, target.id))[0]!;
  };
  for (let i = 0; i < 3; i++) await run();
  for (let i = 0; i < 6; i++) rmSync(join(site, `page${i}.html`));
  const warned = await run();
  rmSync(site, { recursive: true, force: true });
  const failed = await run();
  fill(); // whole again, so later runs are good
  return { target, warned, failed, site };
}
