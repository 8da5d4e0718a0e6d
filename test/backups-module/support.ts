// Test support for the backups module: the whole app with artifacts in a private directory,
// an operator actor, and the backup.* events it emitted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
