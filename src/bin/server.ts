// The process entry for `npm start`: load config, build the app, migrate, start every role,
// and stop cleanly on SIGTERM/SIGINT.
import { loadConfig } from '../config.js';
import { cliActor } from '../core/actor.js';
import { buildApp } from '../main.js';
import { listen } from './listen.js';

const config = loadConfig();
const app = buildApp(config);
const log = app.logger;

await app.migrate();
const admin = await app.accounts.accounts.ensureFirstAdmin(`admin@${config.provider.domain}`, {
  ...cliActor,
  channel: 'system',
});
if (admin) {
  // Printed once, on the first start only: the database keeps only its hash.
  process.stdout.write(
    `\n  First administrator created.\n    email:    ${admin.email}\n    password: ${admin.password}\n` +
      `  This password is shown once and must be changed at first login: ${config.panel.publicUrl}/login\n\n`,
  );
}

const panel = await listen('panel', app.panel as never, config.panel.listen, log);
const api = await listen('api', app.api as never, config.api.listen, log);
if (config.dns.enabled) await app.dns.start();
if (config.jobs.enabled) app.jobs.start();
// Backups: the built-in target for our own database, then schedules (backups.enabled).
await app.backups.start();
if (config.picloud.enabled) await app.picloud.start({ runJobs: config.jobs.enabled });
// Monitoring: stored checks always (the panel shows them); probes, the IRC bot and the checks
// file only where monitoring.enabled (one instance per database).
await app.monitoring.start({ probe: config.monitoring.enabled });
const housekeeping = setInterval(
  () =>
    void app.accounts
      .purgeExpired()
      .catch((err: unknown) => log.warn({ err }, 'housekeeping failed')),
  600_000,
);
log.info(
  {
    panel: panel.addresses,
    api: api.addresses,
    dns: config.dns.enabled ? config.dns.listen : 'off',
    database: app.db.engine,
    jobs: config.jobs.enabled,
    monitoring: config.monitoring.enabled,
  },
  `Bestiary is up: panel ${config.panel.publicUrl}, API ${config.api.publicUrl}` +
    (config.dns.enabled ? `, DNS ${config.dns.listen}` : ''),
);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  clearInterval(housekeeping);
  await Promise.allSettled([panel.close(), api.close()]);
  await app.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
