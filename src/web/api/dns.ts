// The DNS API v2 (apis.md §3) on the API listener at /dns/v2, and at /beta/dns for clients from
// the beta (§0.1): zones, records, dynamic DNS, and Bestiary's marked extensions.
import type { MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import type { WebEnv } from '../context.js';
import { requireApiKey } from './auth.js';
import type { DnsApiDeps } from './dns-common.js';
import { dnsErrorResponse, errorReply } from './dns-common.js';
import { dnssecRoutes } from './dns-dnssec.js';
import { dynamicRoutes } from './dns-dynamic.js';
import { recordRoutes } from './dns-records.js';
import { zoneRoutes } from './dns-zones.js';

export { dnsDocs } from './dns-docs.js';

export function dnsApi(deps: DnsApiDeps) {
  const v2 = new Hono<WebEnv>();
  v2.route('/', dynamicRoutes(deps));
  const auth = requireApiKey(deps, 'dns', errorReply);
  // Dynamic DNS has its own credentials (form and query too), so it skips this check.
  const authUnlessDynamic: MiddlewareHandler<WebEnv> = (c, next) =>
    /\/zones\/[^/]+\/dynamic\//.test(c.req.path) ? next() : auth(c, next);
  v2.use('/zones/*', authUnlessDynamic); // also matches /zones itself
  v2.route('/', zoneRoutes(deps));
  v2.route('/', dnssecRoutes(deps));
  v2.route('/', recordRoutes(deps));
  v2.onError((err, c) => dnsErrorResponse(c, err, deps.logger));

  const app = new Hono<WebEnv>();
  app.route('/dns/v2', v2);
  app.route('/beta/dns', v2);
  return app;
}
