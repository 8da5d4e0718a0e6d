// A Pi cloud for tests: the whole app with the simulator at no hardware time, short boot
// timeouts, a shared cache of built images, an administrator (who owns the Pi zone) and helpers.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ConfigInput } from '../../src/config.js';
import type { App } from '../../src/main.js';
import { buildAccount } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import type { Engine } from '../support/databases.js';

const exec = promisify(execFile);

/** Built once per machine and shared: building the default images takes half a second. */
export const sharedImagesDir = join(tmpdir(), 'bestiary-test-pi-images');

/** Boot phases time out after this long in tests (the simulator takes no hardware time). */
export const testTimeoutSeconds = 1.5;

export function piConfig(
  picloud: Record<string, unknown> = {},
  simulator: Record<string, unknown> = {},
): ConfigInput {
  return {
    picloud: {
      timeouts: {
        dhcpSeconds: testTimeoutSeconds,
        tftpFileSeconds: testTimeoutSeconds,
        kernelSeconds: testTimeoutSeconds,
        rootfsSeconds: testTimeoutSeconds,
        sshSeconds: testTimeoutSeconds,
      },
      ...picloud,
      simulator: { timeScale: 0, seedPis: 12, imagesDir: sharedImagesDir, ...simulator },
    },
  };
}

/** The app with the Pi cloud started, and an administrator so the Pi zone has an owner. */
export async function startPiApp(
  options: { engine?: Engine; config?: ConfigInput; runJobs?: boolean } = {},
): Promise<TestApp & { stopPi(): Promise<void> }> {
  const t = await buildTestApp({
    ...(options.engine ? { engine: options.engine } : {}),
    config: options.config ?? piConfig(),
  });
  await buildAccount(t.app, { role: 'admin', email: 'admin@bestiary.example' });
  await t.app.picloud.start({ runJobs: options.runJobs ?? false });
  return {
    ...t,
    stopPi: () => t.app.picloud.stop(0),
    async close() {
      await t.app.picloud.stop(0);
      await t.close();
    },
  };
}

/** Run Pi jobs until the server named `name` has no task running (or `ms` passes). */
export async function settle(app: App, accountId: string, name: string, ms = 20_000) {
  const until = Date.now() + ms;
  for (;;) {
    await app.picloud.drain();
    const v = await app.picloud.servers.get(accountId, name);
    if (!v.taskId) return v;
    if (Date.now() > until) throw new Error(`${name} still busy: ${v.bootProgress}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A fresh ed25519 key pair made by OpenSSH's ssh-keygen. */
export async function keyPair(dir = mkdtempSync(join(tmpdir(), 'pi-key-')), name = 'id_ed25519') {
  const file = join(dir, name);
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@test`, '-f', file]);
  return { file, pub: readFileSync(`${file}.pub`, 'utf8').trim() };
}

/** Run a command with OpenSSH's own client; resolves with output and exit code, never throws. */
export async function ssh(key: string, port: number, command: string, user = 'root') {
  const args = [
    ...['-i', key, '-p', String(port)],
    ...['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'],
    ...['-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'LogLevel=ERROR'],
    ...['-o', 'ConnectTimeout=10', `${user}@127.0.0.1`, command],
  ];
  return exec('ssh', args, { timeout: 30_000 }).then(
    (r) => ({ stdout: r.stdout, stderr: r.stderr, code: 0 }),
    (e: { stdout?: string; stderr?: string; code?: number }) => ({
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
      code: e.code ?? -1,
    }),
  );
}
