// Every migration, by dated name. Append new ones; never edit one that has shipped.
import type { DatedMigration } from './types.js';
import { migration as accounts } from './2026-11-27T1200-accounts.js';
import { migration as mailOutbox } from './2026-11-27T1210-mail-outbox.js';
import { migration as jobs } from './2026-11-27T1220-jobs.js';
import { migration as domains } from './2026-11-27T1230-domains.js';
import { migration as dns } from './2026-11-27T1300-dns.js';
import { migration as picloud } from './2026-11-27T1400-picloud.js';
import { migration as backups } from './2026-11-27T1500-backups.js';
import { migration as monitoring } from './2026-11-27T1600-monitoring.js';
import { migration as dnssec } from './2026-11-27T1700-dnssec.js';
import { migration as dnssecStatus } from './2026-11-27T1710-dnssec-status.js';

export const migrations: Record<string, DatedMigration> = {
  '2026-11-27T1200-accounts': accounts,
  '2026-11-27T1210-mail-outbox': mailOutbox,
  '2026-11-27T1220-jobs': jobs,
  '2026-11-27T1230-domains': domains,
  '2026-11-27T1300-dns': dns,
  '2026-11-27T1400-picloud': picloud,
  '2026-11-27T1500-backups': backups,
  '2026-11-27T1600-monitoring': monitoring,
  '2026-11-27T1700-dnssec': dnssec,
  '2026-11-27T1710-dnssec-status': dnssecStatus,
};
