// The API listener: the reference path layout (/login, /dns/v2/…, /beta/…) on its own port,
// OpenAPI at /openapi.json, health and metrics. Each API keeps its reference's error shapes.
import { Hono } from 'hono';
import type { AccountsModule } from '../../accounts/index.js';
import type { BackupsModule } from '../../backups/index.js';
import type { Config } from '../../config.js';
import { isAppError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { DnsModule } from '../../dns/index.js';
import type { DomainsModule } from '../../domains/index.js';
import type { MonitoringModule } from '../../monitoring/index.js';
import type { PicloudModule } from '../../picloud/index.js';
import type { WebEnv } from '../context.js';
import { statusForCode } from '../errors.js';
import type { HealthDeps } from '../health.js';
import { healthRoutes } from '../health.js';
import { strictUrl } from '../input.js';
import { clientIp } from '../middleware/client-ip.js';
import { securityHeaders } from '../middleware/headers.js';
import { requestId } from '../middleware/request-id.js';
import { authDocs, tokenRoutes } from './auth.js';
import { backupDocs, backupsApi } from './backups.js';
import { monitoringApi } from './monitoring.js';
import { monitoringDocs } from './monitoring-docs.js';
import { dnsApi, dnsDocs } from './dns.js';
import { domainDocs, domainsApi } from './domains.js';
import { referenceJson } from './json.js';
import { buildOpenApi } from './openapi.js';
import { piApi } from './pi.js';
import { piDocs } from './pi-docs.js';

export interface ApiDeps {
  config: Config;
  logger: Logger;
  accounts: AccountsModule;
  domains: DomainsModule;
  dns: DnsModule;
  picloud: PicloudModule;
  backups: BackupsModule;
  monitoring: MonitoringModule;
  health: HealthDeps;
  version: string;
}

export function createApiApp(deps: ApiDeps) {
  const { config } = deps;
  const app = new Hono<WebEnv>();
  const docs = [...authDocs, ...domainDocs, ...dnsDocs];
  docs.push(...piDocs);
  docs.push(...backupDocs, ...monitoringDocs);
  const openapi = JSON.stringify(
    buildOpenApi(
      {
        title: `${config.provider.name} API`,
        version: deps.version,
        serverUrl: config.api.publicUrl,
      },
      docs,
    ),
  );

  app.use(
    requestId(),
    clientIp(config.trustedProxies),
    securityHeaders({ tls: config.api.publicUrl.startsWith('https:') }),
    strictUrl(),
  );
  app.route('/', healthRoutes(deps.health));
  app.get('/openapi.json', (c) => c.body(openapi, 200, { 'Content-Type': 'application/json' }));
  app.route(
    '/',
    tokenRoutes({ apiKeys: deps.accounts.apiKeys, bodyLimit: config.limits.bodyBytes }),
  );
  app.route(
    '/',
    piApi({ apiKeys: deps.accounts.apiKeys, picloud: deps.picloud, apiUrl: config.api.publicUrl }),
  );
  app.route('/', backupsApi({ apiKeys: deps.accounts.apiKeys, backups: deps.backups }));
  app.route('/', monitoringApi({ accounts: deps.accounts, monitoring: deps.monitoring }));
  app.route('/', domainsApi({ apiKeys: deps.accounts.apiKeys, domains: deps.domains }));
  app.route(
    '/',
    dnsApi({
      apiKeys: deps.accounts.apiKeys,
      dns: deps.dns,
      logger: deps.logger,
      bodyLimit: config.limits.bodyBytes,
    }),
  );

  app.notFound((c) => referenceJson(c, { error: 'Not found' }, 404));
  app.onError((err, c) => {
    if (isAppError(err) && err.code !== 'INTERNAL') {
      return referenceJson(c, { error: err.message }, statusForCode[err.code]);
    }
    deps.logger.error(
      { err, requestId: c.get('requestId'), path: c.req.path },
      'API request failed',
    );
    return referenceJson(c, { error: `Internal error; reference ${c.get('requestId')}` }, 500);
  });
  return app;
}
