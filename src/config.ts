// The one place that reads the environment. loadConfig() parses env vars and an optional
// YAML/JSON file (BESTIARY_CONFIG) through one zod schema into a frozen, typed Config.
// Every option is documented in README.md; test/config.test.ts keeps the two in step.
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const listenAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):\d{1,5}$/, 'expected host:port, with [ ] around IPv6');

const cidr = z.string().refine((s) => {
  const [addr, len, extra] = s.split('/');
  if (extra !== undefined || !addr || isIP(addr) === 0) return false;
  if (len === undefined) return true;
  const n = Number(len);
  return Number.isInteger(n) && n >= 0 && n <= (isIP(addr) === 4 ? 32 : 128);
}, 'expected an address or CIDR prefix');

const rate = z.object({
  /** Attempts allowed per window. */
  limit: z.number().int().positive(),
  windowSeconds: z.number().int().positive(),
});

const tld = z.object({
  tld: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/),
  /** Yearly price in minor units (pence). */
  pricePerYear: z.number().int().nonnegative(),
});

export const configSchema = z
  .object({
    /** Where the embedded database, secret key and simulator state live. */
    dataDir: z.string().default('./data'),
    /** PostgreSQL URL; when unset, SQLite at {dataDir}/bestiary.sqlite. */
    databaseUrl: z.string().optional(),
    logLevel: z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
      .default('info'),
    /** 32+ byte secret for CSRF tokens and encryption at rest; generated into dataDir if unset. */
    secretKey: z.string().min(32).optional(),
    provider: z
      .object({
        name: z.string().default('Bestiary Hosting'),
        /** The provider's own domain: the first admin is admin@{domain}. */
        domain: z.string().default('bestiary.example'),
        currency: z.string().length(3).default('GBP'),
      })
      .prefault({}),
    panel: z
      .object({
        listen: z.array(listenAddress).default(['127.0.0.1:8080', '[::1]:8080']),
        /** The public URL of the panel, used in emails and for the Origin check. */
        publicUrl: z.url().default('http://localhost:8080'),
      })
      .prefault({}),
    api: z
      .object({
        listen: z.array(listenAddress).default(['127.0.0.1:8081', '[::1]:8081']),
        /** The public base URL of the API listener, used for absolute Location headers. */
        publicUrl: z.url().default('http://localhost:8081'),
      })
      .prefault({}),
    /** Reverse proxies whose X-Forwarded-For is believed. Anyone else's is ignored. */
    trustedProxies: z.array(cidr).default([]),
    session: z
      .object({
        cookieName: z.string().default('bestiary_session'),
        idleMinutes: z.number().int().positive().default(60),
        absoluteHours: z.number().int().positive().default(12),
        /** Sessions and tokens are bound to the client's address masked to these prefixes. */
        ipv4Prefix: z.number().int().min(0).max(32).default(32),
        ipv6Prefix: z.number().int().min(0).max(128).default(64),
      })
      .prefault({}),
    tokens: z
      .object({
        ttlSeconds: z.number().int().positive().default(300),
      })
      .prefault({}),
    rateLimits: z
      .object({
        loginPerIp: rate.default({ limit: 20, windowSeconds: 300 }),
        loginPerAccount: rate.default({ limit: 10, windowSeconds: 900 }),
        signupPerIp: rate.default({ limit: 10, windowSeconds: 3600 }),
        resetPerIp: rate.default({ limit: 10, windowSeconds: 3600 }),
        resetPerAccount: rate.default({ limit: 3, windowSeconds: 3600 }),
        tokenPerIp: rate.default({ limit: 120, windowSeconds: 60 }),
        tokenPerKey: rate.default({ limit: 60, windowSeconds: 60 }),
      })
      .prefault({}),
    mail: z
      .object({
        /** smtp://user:pass@host:port or smtps://…; unset means mail goes to the admin outbox. */
        smtpUrl: z.string().optional(),
        from: z.string().default('Bestiary <noreply@bestiary.example>'),
      })
      .prefault({}),
    domains: z
      .object({
        tlds: z.array(tld).default([
          { tld: 'com', pricePerYear: 1200 },
          { tld: 'org', pricePerYear: 1300 },
          { tld: 'net', pricePerYear: 1400 },
          { tld: 'uk', pricePerYear: 800 },
          { tld: 'co.uk', pricePerYear: 800 },
          { tld: 'io', pricePerYear: 4500 },
        ]),
        /** The provider's own domains that give out free subdomains, e.g. students.example. */
        freeSubdomainParents: z.array(z.string()).default(['students.bestiary.example']),
        /** Labels nobody may register. */
        reservedLabels: z.array(z.string()).default(['www', 'mail', 'admin', 'ns1', 'ns2']),
        registrationYears: z.number().int().min(1).max(10).default(1),
        /** How many free subdomains one account may hold. */
        freeSubdomainsPerAccount: z.number().int().min(0).default(1),
      })
      .prefault({}),
    dns: z
      .object({
        /** Serve DNS from this process. */
        enabled: z.boolean().default(true),
        /** UDP and TCP address of the authoritative server ("host:port"; port 53 works when privileged). */
        listen: listenAddress.default('127.0.0.1:5300'),
        /** UDP worker processes sharing the port (0: answer in the main process). */
        workers: z.number().int().min(0).max(64).default(0),
        /** The provider's nameservers: NS of every zone, and what the built-in registrar publishes. */
        nameservers: z
          .array(z.string())
          .min(1)
          .default(['ns1.bestiary.example.', 'ns2.bestiary.example.']),
        /** SOA RNAME: the zone contact as a DNS name (hostmaster.example.net. = hostmaster@example.net). */
        hostmaster: z.string().default('hostmaster.bestiary.example.'),
        soa: z
          .object({
            refresh: z.number().int().positive().default(3600),
            retry: z.number().int().positive().default(600),
            expire: z.number().int().positive().default(1_209_600),
            /** Negative-caching TTL (RFC 2308). */
            minimum: z.number().int().nonnegative().default(300),
            ttl: z.number().int().positive().default(3600),
          })
          .prefault({}),
        defaultTtl: z.number().int().positive().default(3600),
        nsTtl: z.number().int().positive().default(86_400),
        minTtl: z.number().int().nonnegative().default(30),
        maxTtl: z.number().int().positive().default(604_800),
        /** Records every new zone gets (API JSON shape, e.g. {host: '@', type: 'MX', mx_priority: 10, data: 'mx.example.net.'}). */
        template: z.array(z.record(z.string(), z.union([z.string(), z.number()]))).default([]),
        /** Secondaries to NOTIFY on every change. */
        secondaries: z
          .array(
            z.object({
              address: z.string(),
              port: z.number().int().positive().default(53),
              keyName: z.string().optional(),
            }),
          )
          .default([]),
        /** Who may AXFR/IXFR: a source prefix and/or a TSIG key name. */
        transfer: z
          .array(z.object({ cidr: cidr.optional(), keyName: z.string().optional() }))
          .default([]),
        /** The provider's own TSIG keys (for secondaries): name, hmac algorithm, base64 secret. */
        tsigKeys: z
          .array(
            z.object({
              name: z.string(),
              algorithm: z.string().default('hmac-sha256'),
              secret: z.string().min(16),
            }),
          )
          .default([]),
        /** Response rate limit per /24 (IPv4) or /56 (IPv6), answers per second; 0 turns it off. */
        rrlPerSecond: z.number().int().nonnegative().default(20),
        dnssec: z
          .object({
            /** Sign new zones (each zone can be switched on or off afterwards). */
            defaultOn: z.boolean().default(true),
            /** 13: ECDSA P-256/SHA-256 (RFC 6605); 15: Ed25519 (RFC 8080). */
            algorithm: z.union([z.literal(13), z.literal(15)]).default(13),
            /** Signature lifetime in days; each signature gets up to `jitterHours` more at random. */
            validityDays: z.number().int().min(2).max(90).default(14),
            jitterHours: z.number().int().min(0).max(72).default(24),
            /** Signatures with fewer days than this left are made again. */
            refreshDays: z.number().int().min(1).default(7),
            /** Days a zone-signing key signs before it is rolled over automatically. */
            zskLifetimeDays: z.number().int().min(7).default(90),
            /** Where a zone's DS is looked up ("host[:port]": resolvers or the parent's servers); empty: the system's resolvers. */
            parentServers: z.array(z.string()).default([]),
            /** Minutes between two checks of a signed zone's DS at its parent. */
            parentCheckMinutes: z.number().int().min(1).default(15),
          })
          .refine((d) => d.refreshDays < d.validityDays, {
            message: 'dns.dnssec.refreshDays must be less than validityDays',
          })
          .prefault({}),
      })
      .prefault({}),
    jobs: z
      .object({
        /** Run the job runner in this process. */
        enabled: z.boolean().default(true),
        pollMs: z.number().int().positive().default(500),
        concurrency: z.number().int().positive().default(4),
        /** How long a claimed job is leased before another runner may take it over. */
        leaseSeconds: z.number().int().positive().default(120),
      })
      .prefault({}),
    picloud: z
      .object({
        /** Run the Pi cloud (drivers, seeding, its jobs) in this process. */
        enabled: z.boolean().default(true),
        driver: z.enum(['simulator']).default('simulator'),
        /** Customer Pis are {name}.{domain} (AAAA) and ssh.{name}.{domain} (A, the SSH front). */
        domain: z.string().default('hostedpi.bestiary.example'),
        dnsTtl: z.number().int().positive().default(300),
        /** The routed prefix each Pi gets a /64 of. */
        ipv6Prefix: z.string().default('2001:db8:8000::/48'),
        /** The shared IPv4 address customers SSH to, one port per Pi. */
        sshFrontAddress: z.string().default('127.0.0.1'),
        sshPortBase: z.number().int().min(1024).max(65000).default(22000),
        /** Pi jobs run at once by this instance (they mostly wait on hardware). */
        concurrency: z.number().int().positive().default(32),
        defaultDiskGb: z.number().int().positive().multipleOf(10).default(10),
        maxDiskGb: z.number().int().positive().multipleOf(10).default(100),
        /** Per-phase boot timeouts, seconds (Pi 4 EEPROM: DHCP 45 s, TFTP 15 s per file). */
        timeouts: z
          .object({
            dhcpSeconds: z.number().positive().default(45),
            tftpFileSeconds: z.number().positive().default(15),
            kernelSeconds: z.number().positive().default(30),
            rootfsSeconds: z.number().positive().default(30),
            sshSeconds: z.number().positive().default(60),
          })
          .prefault({}),
        /** Power cycles after a timed-out step before the Pi is marked broken. */
        maxPowerCycles: z.number().int().min(0).max(10).default(2),
        simulator: z
          .object({
            /** Default {dataDir}/picloud (a temporary directory when dataDir is :memory:). */
            dataDir: z.string().optional(),
            /** Where image archives live; default {simulator.dataDir}/images. */
            imagesDir: z.string().optional(),
            /** Simulated hardware time: 1 = realistic, 0 = none. */
            timeScale: z.number().min(0).default(1),
            /** On first start with an empty fleet, enrol this many simulated Pis (mixed models). */
            seedPis: z.number().int().min(0).max(1000).default(12),
            seedSite: z
              .string()
              .regex(/^[A-Z0-9]{2,8}$/)
              .default('MER'),
          })
          .prefault({}),
      })
      .prefault({}),
    backups: z
      .object({
        /** Check schedules and run backup jobs in this process (with jobs.enabled). */
        enabled: z.boolean().default(true),
        /** Where artifacts are stored; default {dataDir}/backups (a temporary directory for :memory:). */
        storageDir: z.string().optional(),
        /** Private scratch space for credentials files and restore-test copies; default the OS tmpdir. */
        tmpDir: z.string().optional(),
        /** How often schedules are checked. */
        tickSeconds: z.number().int().positive().default(60),
        /** Schedule of a new target unless given (5-field cron, UTC). */
        defaultSchedule: z.string().default('17 3 * * *'),
        defaultRetention: z
          .object({
            last: z.number().int().min(1).default(7),
            daily: z.number().int().min(0).default(7),
            weekly: z.number().int().min(0).default(4),
            monthly: z.number().int().min(0).default(6),
          })
          .prefault({}),
        /** Restore-test and re-verify schedules of a new target unless given. */
        defaultRestoreTestSchedule: z.string().default('43 4 * * 0'),
        defaultReverifySchedule: z.string().default('29 5 * * *'),
        /** When the operators' daily summary is mailed. */
        summarySchedule: z.string().default('0 7 * * *'),
        /** Who gets provider reports and the daily summary; empty means every administrator. */
        operatorEmails: z.array(z.string()).default([]),
        /** Mail each run's report to the owner always, or only when it has WARN or ERROR lines. */
        emailReports: z.enum(['all', 'problems']).default('all'),
        /** A verified backup may be this late after its slot before it counts as missing. */
        staleGraceMinutes: z.number().int().min(0).default(120),
        /** Longest a backup or restore job may run. */
        jobTimeoutMinutes: z.number().int().positive().default(360),
        /** Encrypt new artifacts to this X25519 recipient (bestiary-x25519:…) instead of the provider key. */
        recipient: z.string().optional(),
        /** X25519 identities (BESTIARY-X25519-SECRET:…) that can decrypt, for restores and deep re-verify. */
        identities: z.array(z.string()).default([]),
        zstdLevel: z.number().int().min(1).max(19).default(3),
        self: z
          .object({
            /** Back up Bestiary's own database as a built-in provider target. */
            enabled: z.boolean().default(true),
            schedule: z.string().default('7 2 * * *'),
            restoreTestSchedule: z.string().default('37 2 * * *'),
          })
          .prefault({}),
      })
      .prefault({}),
    monitoring: z
      .object({
        /** Run the monitoring engine (probes, alerts, the IRC bot, the checks file) in this process. */
        enabled: z.boolean().default(true),
        /** YAML file of checks kept as code; reloaded when it changes. */
        checksFile: z.string().optional(),
        /** Settings of a check that gives none, in seconds. */
        defaults: z
          .object({
            intervalSeconds: z.number().positive().default(60),
            retryIntervalSeconds: z.number().positive().default(10),
            timeoutSeconds: z.number().positive().default(5),
            downRetries: z.number().int().min(1).max(10).default(2),
            upRetries: z.number().int().min(1).max(10).default(1),
          })
          .prefault({}),
        /** The shortest interval a customer may choose. */
        minIntervalSeconds: z.number().positive().default(30),
        /** Checks one customer account may have (automatic checks not counted). */
        maxChecksPerAccount: z.number().int().min(0).default(50),
        /** Let customers' checks probe loopback, private and link-local addresses. */
        allowPrivateTargets: z.boolean().default(false),
        /** Probes at once against one host. */
        perHostLimit: z.number().int().positive().default(4),
        /** Which automatic checks every live Pi (and managed server) gets. */
        automatic: z
          .object({
            ssh: z.boolean().default(true),
            web: z.boolean().default(true),
          })
          .prefault({}),
        retention: z
          .object({
            /** Minute-by-minute data is kept this long, then only hourly rollups. */
            rawHours: z.number().int().min(1).default(48),
            /** Hourly rollups are kept this long. */
            rollupDays: z.number().int().min(1).default(400),
            /** Alert history and acknowledgements are kept this long. */
            historyDays: z.number().int().min(1).default(400),
          })
          .prefault({}),
        irc: z
          .object({
            /** The IRC server; unset means no bot. */
            host: z.string().optional(),
            port: z.number().int().min(1).max(65535).default(6697),
            tls: z.boolean().default(true),
            /** Verify the server's certificate. */
            rejectUnauthorized: z.boolean().default(true),
            nick: z.string().default('bestiary'),
            username: z.string().optional(),
            realname: z.string().default('Bestiary monitoring'),
            serverPassword: z.string().optional(),
            /** SASL PLAIN: {account, password}; or EXTERNAL: {certificateFile, keyFile}. */
            sasl: z
              .union([
                z.object({ account: z.string(), password: z.string() }).strict(),
                z.object({ certificateFile: z.string(), keyFile: z.string() }).strict(),
              ])
              .optional(),
            /** Identify to NickServ after connecting, for networks without SASL. */
            nickservPassword: z.string().optional(),
            messageType: z.enum(['notice', 'privmsg']).default('notice'),
            /** Nicks or services accounts allowed to command the bot; empty: anyone in the operators' channel. */
            commandsFrom: z.array(z.string()).default([]),
            /** After IRC has been unreachable this long, alerts also go to the operators' email. */
            fallbackAfterSeconds: z.number().int().positive().default(120),
          })
          .prefault({}),
        operators: z
          .object({
            /** The operators' channel: every alert, and the only channel commands are taken from. */
            channel: z.string().default('#ops'),
            /** Every alert by email too (and the IRC fallback); empty: only the fallback, to every administrator. */
            emails: z.array(z.string()).default([]),
            /** Every alert to these webhooks: {url, format: json|slack|matrix, headers?}. */
            webhooks: z
              .array(
                z.object({
                  url: z.url(),
                  format: z.enum(['json', 'slack', 'matrix']).default('json'),
                  headers: z.record(z.string(), z.string()).optional(),
                }),
              )
              .default([]),
          })
          .prefault({}),
        /** Let customers add their own IRC channels, email addresses and webhooks for their own alerts. */
        customerDestinations: z.boolean().default(true),
        /** The public status page at /status. */
        statusPage: z
          .object({
            enabled: z.boolean().default(true),
            title: z.string().default('Service status'),
          })
          .prefault({}),
      })
      .prefault({}),
    metrics: z
      .object({
        /** Who may read /metrics. */
        allow: z.array(cidr).default(['127.0.0.0/8', '::1']),
      })
      .prefault({}),
    limits: z
      .object({
        bodyBytes: z
          .number()
          .int()
          .positive()
          .default(1024 * 1024),
      })
      .prefault({}),
  })
  .strict();

export type Config = Readonly<z.infer<typeof configSchema>>;
export type ConfigInput = z.input<typeof configSchema>;

/** Environment variables, and the config path each one sets. */
export const envVars = {
  BESTIARY_DATA_DIR: 'dataDir',
  DATABASE_URL: 'databaseUrl',
  BESTIARY_LOG_LEVEL: 'logLevel',
  BESTIARY_SECRET_KEY: 'secretKey',
  BESTIARY_PROVIDER_DOMAIN: 'provider.domain',
  BESTIARY_PANEL_LISTEN: 'panel.listen',
  BESTIARY_PANEL_URL: 'panel.publicUrl',
  BESTIARY_API_LISTEN: 'api.listen',
  BESTIARY_API_URL: 'api.publicUrl',
  BESTIARY_TRUSTED_PROXIES: 'trustedProxies',
  BESTIARY_SMTP_URL: 'mail.smtpUrl',
  BESTIARY_MAIL_FROM: 'mail.from',
  BESTIARY_JOBS: 'jobs.enabled',
  BESTIARY_DNS_LISTEN: 'dns.listen',
  BESTIARY_DNS_NAMESERVERS: 'dns.nameservers',
  BESTIARY_BACKUP_DIR: 'backups.storageDir',
  BESTIARY_MONITORING: 'monitoring.enabled',
  BESTIARY_MONITORING_CHECKS: 'monitoring.checksFile',
} as const;

const listPaths = new Set(['panel.listen', 'api.listen', 'trustedProxies', 'dns.nameservers']);
const booleanPaths = new Set(['jobs.enabled', 'monitoring.enabled']);

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Problems in configuration, reported all at once with the path of each. */
export class ConfigError extends Error {}

/** Parse a config object (already merged from file and env) into a frozen Config. */
export function parseConfig(input: unknown): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return deepFreeze(result.data);
}

/** Read BESTIARY_CONFIG (if set) and the environment variables above into a Config. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  let input: Record<string, unknown> = {};
  const file = env.BESTIARY_CONFIG;
  if (file) {
    if (!existsSync(file))
      throw new ConfigError(`BESTIARY_CONFIG names ${file}, which does not exist`);
    const parsed: unknown = parseYaml(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`${file} must hold a mapping of options`);
    }
    input = parsed as Record<string, unknown>;
  }
  for (const [name, path] of Object.entries(envVars)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw;
    if (listPaths.has(path))
      value = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    if (booleanPaths.has(path)) value = !['0', 'false', 'no', 'off'].includes(raw.toLowerCase());
    setPath(input, path, value);
  }
  return parseConfig(input);
}
