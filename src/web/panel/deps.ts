// What the panel's areas are built from: module doors and configuration, never the database.
import type { AccountsModule } from '../../accounts/index.js';
import type { BackupsModule } from '../../backups/index.js';
import type { Config } from '../../config.js';
import type { Clock } from '../../core/clock.js';
import type { Sealer } from '../../core/crypto.js';
import type { Logger } from '../../core/logger.js';
import type { DnsModule } from '../../dns/index.js';
import type { DomainsModule } from '../../domains/index.js';
import type { Jobs } from '../../jobs/index.js';
import type { Mailer } from '../../mail/index.js';
import type { MonitoringModule } from '../../monitoring/index.js';
import type { PicloudModule } from '../../picloud/index.js';

export interface PanelDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  sealer: Sealer;
  accounts: AccountsModule;
  domains: DomainsModule;
  dns: DnsModule;
  mailer: Mailer;
  jobs: Jobs;
  picloud: PicloudModule;
  backups: BackupsModule;
  monitoring: MonitoringModule;
}
