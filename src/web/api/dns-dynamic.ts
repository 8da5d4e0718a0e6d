// Dynamic DNS (apis.md §3.9): GET/POST/PUT /dynamic/{fqdn}, and /zones/{zone}/dynamic/{host},
// set the host's A (IPv4 client) or AAAA (IPv6 client) to the request's source address.
// Credentials come as Basic, Bearer, or username/password form fields or query parameters.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { ApiPrincipal } from '../../accounts/index.js';
import { touchesApi } from '../../accounts/index.js';
import { ForbiddenError, UnauthenticatedError } from '../../core/errors.js';
import type { WebEnv } from '../context.js';
import type { DnsApiDeps } from './dns-common.js';
import { accessFor, dnsErrorResponse, formFields } from './dns-common.js';
import { readCredentials } from './credentials.js';
import { referenceJson } from './json.js';

const METHODS = ['GET', 'POST', 'PUT'];

export function dynamicRoutes(deps: DnsApiDeps) {
  const app = new Hono<WebEnv>();

  async function principalOf(c: Context<WebEnv>): Promise<ApiPrincipal> {
    const ip = c.get('clientIp');
    const header = readCredentials(c.req.header('authorization'));
    let principal: ApiPrincipal;
    if (header.kind === 'bearer')
      principal = await deps.apiKeys.authenticateToken(header.token, ip);
    else if (header.kind === 'basic')
      principal = await deps.apiKeys.authenticateBasic(header.id, header.secret, ip);
    else if (header.kind === 'malformed') throw new UnauthenticatedError();
    else {
      const form = (await formFields(c, deps.bodyLimit)) ?? {};
      const id = form.username ?? c.req.query('username');
      const secret = form.password ?? c.req.query('password');
      if (!id || secret === undefined) throw new UnauthenticatedError();
      principal = await deps.apiKeys.authenticateBasic(id, secret, ip);
    }
    if (!touchesApi(principal.scope, 'dns')) throw new ForbiddenError();
    return principal;
  }

  async function update(c: Context<WebEnv>, host: string, zone?: string) {
    const ip = c.get('clientIp');
    const access = accessFor(await principalOf(c), ip);
    const result = await deps.dns.setAddress(access, host, ip, zone);
    return referenceJson(c, {
      message: `${result.added} records added`,
      records_added: result.added,
      records_removed: result.removed,
    });
  }

  app.on(METHODS, '/dynamic/:fqdn', (c) => update(c, c.req.param('fqdn')));
  app.on(METHODS, '/zones/:zone/dynamic/:host', (c) =>
    update(c, c.req.param('host'), c.req.param('zone')),
  );
  // Dynamic DNS clients print `error` (mb_ddns), so even bad input is one string.
  app.onError((err, c) => dnsErrorResponse(c, err, deps.logger, true));
  return app;
}
