// The composition root: buildApp(config) builds every module and adapter. The server, the CLI
// and the tests all start here; nothing else wires modules together.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createAccountsModule } from './accounts/index.js';
import { backupKeyFrom, createBackupsModule, nextSlot, parseCron } from './backups/index.js';
import type { Config } from './config.js';
import type { Clock } from './core/clock.js';
import { systemClock } from './core/clock.js';
import { createSealer } from './core/crypto.js';
import { createEventBus } from './core/events.js';
import { newSecret } from './core/ids.js';
import type { Logger } from './core/logger.js';
import { createLogger } from './core/logger.js';
import type { Database } from './db/index.js';
import { createDatabase, migrateToLatest } from './db/index.js';
import { createDnsModule } from './dns/index.js';
import { subscribePiNames } from './dns/subscriptions.js';
import { createDomainsModule } from './domains/index.js';
import { createJobs } from './jobs/index.js';
import { createMailer } from './mail/index.js';
import { createMonitoringModule, subscribeMonitoring } from './monitoring/index.js';
import { createPicloudModule } from './picloud/index.js';
import { createApiApp } from './web/api/index.js';
import type { HealthDeps } from './web/health.js';
import { createPanelApp } from './web/panel/index.js';

export const version = '0.1.0';

/** The longest gap between a cron schedule's next slots: how often its job should succeed. */
function cronPeriodMs(schedule: string, from: number): number {
  const cron = parseCron(schedule);
  let longest = 0;
  for (let at = from, i = 0; i < 8; i++) {
    const next = nextSlot(cron, at);
    if (next === null) break;
    if (i > 0) longest = Math.max(longest, next - at);
    at = next;
  }
  return longest || 86_400_000;
}

export interface AppOverrides {
  clock?: Clock;
  logger?: Logger;
  db?: Database;
}

/** The provider's secret key: configured, or generated once into the data directory. */
function secretKeyFor(config: Config): string {
  if (config.secretKey) return config.secretKey;
  if (config.dataDir === ':memory:') return newSecret(32);
  const file = join(config.dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${newSecret(32)}\n`, { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

/** Build the whole platform, without listening or starting background work. */
export function buildApp(config: Config, overrides: AppOverrides = {}) {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const db =
    overrides.db ?? createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const secretKey = secretKeyFor(config);
  const sealer = createSealer(secretKey);
  const events = createEventBus(logger);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const panelUrl = config.panel.publicUrl.replace(/\/$/, '');
  const mailer = createMailer({
    db,
    clock,
    logger,
    smtpUrl: config.mail.smtpUrl,
    from: config.mail.from,
    outboxUrl: `${panelUrl}/admin/outbox`,
  });
  const jobs = createJobs({
    db,
    clock,
    logger,
    pollMs: config.jobs.pollMs,
    concurrency: config.jobs.concurrency,
    leaseSeconds: config.jobs.leaseSeconds,
  });
  const accounts = createAccountsModule({
    db,
    clock,
    logger,
    events,
    sealer,
    mail: mailer,
    providerName: config.provider.name,
    session: config.session,
    tokenTtlSeconds: config.tokens.ttlSeconds,
    rateLimits: config.rateLimits,
    resetUrl: (token) => `${panelUrl}/password/reset?token=${token}`,
    confirmUrl: (token) => `${panelUrl}/signup/confirm?token=${token}`,
    forgotUrl: `${panelUrl}/password/forgot`,
  });
  const domains = createDomainsModule({
    db,
    clock,
    audit: accounts.audit,
    events,
    jobs,
    config: {
      ...config.domains,
      currency: config.provider.currency,
      nameservers: config.dns.nameservers,
    },
  });

  const dns = createDnsModule({
    db,
    clock,
    logger,
    events,
    audit: accounts.audit,
    sealer,
    registry,
    config: { ...config.dns, providerZones: config.domains.freeSubdomainParents },
  });
  // A domain the customer just got gets its zone (domains -> dns is a reaction, through events).
  events.on('domain.registered', async ({ accountId, domain, kind }) => {
    await dns.zoneForDomain(accountId, domain, 'domain', kind === 'free-subdomain');
  });
  // The built-in registrar publishes the DS of a domain registered here (dns -> domains, by event).
  events.on('zone.ds_changed', async ({ zone, ds }) => {
    await domains.publishDs(zone, ds);
  });

  const picloud = createPicloudModule({
    db,
    clock,
    logger,
    events,
    audit: accounts.audit,
    config: config.picloud,
    dataDir: config.dataDir,
    jobs: { pollMs: config.jobs.pollMs, leaseSeconds: config.jobs.leaseSeconds },
  });
  // Each live Pi gets its names in the provider's Pi zone, owned by the first administrator.
  subscribePiNames({
    dns,
    events,
    logger,
    zone: config.picloud.domain,
    ttl: config.picloud.dnsTtl,
    sshFrontAddress: config.picloud.sshFrontAddress,
    owner: async () =>
      (await accounts.accounts.findByEmail(`admin@${config.provider.domain}`))?.id ??
      (await accounts.accounts.list({ limit: 500 })).find((a) => a.role === 'admin')?.id ??
      null,
  });

  const backups = createBackupsModule({
    db,
    clock,
    logger,
    events,
    jobs,
    audit: accounts.audit,
    mailer,
    config: config.backups,
    providerKey: backupKeyFrom(secretKey),
    dataDir: config.dataDir,
    // Bestiary's own database: the PostgreSQL URL, or the SQLite file this process opened.
    self: {
      databaseUrl: db.engine === 'postgres' ? config.databaseUrl : undefined,
      sqlitePath:
        db.engine === 'sqlite' && !overrides.db && config.dataDir !== ':memory:'
          ? join(config.dataDir, 'bestiary.sqlite')
          : undefined,
    },
    panelUrl,
    emailOf: async (id) => (await accounts.accounts.get(id))?.email ?? null,
    admins: async () =>
      (await accounts.accounts.list({ limit: 500 }))
        .filter((a) => a.role === 'admin' && a.status === 'active')
        .map((a) => a.email),
    findPi: async (accountId, name) =>
      picloud.servers.get(accountId, name).then(
        (s) => ({ id: s.id }),
        () => null,
      ),
  });

  const monitoring = createMonitoringModule({
    db,
    clock,
    logger,
    registry,
    audit: accounts.audit,
    sendMail: (m) => mailer.send(m),
    admins: async () =>
      (await accounts.accounts.list({ limit: 500 }))
        .filter((a) => a.role === 'admin' && a.status === 'active')
        .map((a) => a.email),
    config: config.monitoring,
    apiUrl: config.api.publicUrl,
  });
  // Live Pis get ssh and web checks, backup targets a heartbeat (reactions, through events).
  subscribeMonitoring({
    events,
    monitoring,
    logger,
    backupPeriodMs: (schedule) => cronPeriodMs(schedule, clock.now()),
    backupGraceMs: config.backups.staleGraceMinutes * 60_000,
  });

  const health: HealthDeps = {
    pingDatabase: async () => {
      await sql`select 1`.execute(db.kysely);
    },
    jobsHealthy: () => !config.jobs.enabled || jobs.running,
    registry,
    metricsAllow: config.metrics.allow,
  };
  const panel = createPanelApp({
    config,
    clock,
    logger,
    sealer,
    accounts,
    domains,
    dns,
    mailer,
    jobs,
    health,
    picloud,
    backups,
    monitoring,
  });
  const api = createApiApp({
    config,
    logger,
    accounts,
    domains,
    dns,
    picloud,
    backups,
    monitoring,
    health,
    version,
  });

  return {
    config,
    clock,
    logger,
    db,
    events,
    registry,
    sealer,
    mailer,
    jobs,
    accounts,
    domains,
    dns,
    picloud,
    backups,
    monitoring,
    panel,
    api,
    /** Bring the database schema up to date. */
    migrate: () => migrateToLatest(db.kysely, db.dialect),
    /** Stop background work and close the database. */
    async close(): Promise<void> {
      // Monitoring first: it writes its last batch and series while the database is open.
      await monitoring.stop();
      await jobs.stop();
      await backups.stop();
      await picloud.stop();
      await dns.stop();
      await db.close();
    },
  };
}

export type App = ReturnType<typeof buildApp>;
