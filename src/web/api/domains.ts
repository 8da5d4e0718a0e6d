// The Domains API read calls (reference apis.md §5): GET /beta/domains, /beta/domains/{domain}
// and its nameservers. Errors are {"error": "..."}, like the reference's other /beta APIs.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiKeys } from '../../accounts/index.js';
import { allows, touchesDomain } from '../../accounts/index.js';
import { isAppError } from '../../core/errors.js';
import type { DomainsModule } from '../../domains/index.js';
import type { WebEnv } from '../context.js';
import { requireApiKey } from './auth.js';
import { referenceJson } from './json.js';
import type { RouteDoc } from './openapi.js';

const error = z.object({ error: z.string() });
const domainInfo = z.object({
  domain: z.string(),
  status: z.string().describe('registered, dns-only, pending, failed, or free-subdomain'),
  expiry: z.string().nullable().describe('YYYY-MM-DD; null for names that do not expire'),
  nameservers: z.array(z.string()),
  registrar: z.string().nullable(),
});

export const domainDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/beta/domains',
    summary: 'List the domains this key may see',
    tag: 'Domains',
    responses: {
      200: { description: 'Domain names', schema: z.object({ domains: z.array(z.string()) }) },
      403: { description: 'Not authorised', schema: error },
    },
  },
  {
    method: 'get',
    path: '/beta/domains/{domain}',
    summary: 'Information about one domain',
    tag: 'Domains',
    responses: {
      200: { description: 'The domain', schema: domainInfo },
      403: { description: 'Not authorised', schema: error },
      404: { description: 'No such domain in this account', schema: error },
    },
  },
  {
    method: 'get',
    path: '/beta/domains/{domain}/nameservers',
    summary: "The domain's nameservers",
    tag: 'Domains',
    responses: {
      200: {
        description: 'Nameservers',
        schema: z.object({ nameservers: z.array(z.object({ name: z.string() })) }),
      },
      403: { description: 'Not authorised', schema: error },
      404: { description: 'No such domain in this account', schema: error },
    },
  },
];

const fail = (c: Context<WebEnv>, status: 401 | 403 | 404, message: string) =>
  referenceJson(c, { error: message }, status);

export function domainsApi(deps: { apiKeys: ApiKeys; domains: DomainsModule }) {
  const app = new Hono<WebEnv>();
  app.use('/beta/domains', requireApiKey(deps, 'domains', fail));
  app.use('/beta/domains/*', requireApiKey(deps, 'domains', fail));

  app.get('/beta/domains', async (c) => {
    const principal = c.get('principal')!;
    const names = (await deps.domains.list(principal.accountId))
      .filter((d) => d.status !== 'failed' && touchesDomain(principal.scope, d.name))
      .map((d) => d.name);
    return referenceJson(c, { domains: names });
  });

  /** The domain, when it is this account's and the key may read it; the error answer otherwise. */
  async function load(c: Context<WebEnv>) {
    const principal = c.get('principal')!;
    const name = c.req.param('domain')!.toLowerCase().replace(/\.$/, '');
    try {
      const domain = await deps.domains.get(principal.accountId, name);
      if (!allows(principal.scope, { api: 'domains', write: false, zone: domain.name }))
        return fail(c, 403, 'Not authorised');
      const registry =
        domain.kind === 'registration' ? await deps.domains.registryInfo(domain.name) : null;
      return { domain, registry };
    } catch (e) {
      if (isAppError(e) && e.code === 'NOT_FOUND') return fail(c, 404, 'Domain not found');
      throw e;
    }
  }

  app.get('/beta/domains/:domain', async (c) => {
    const found = await load(c);
    if (found instanceof Response) return found;
    const { domain, registry } = found;
    return referenceJson(c, {
      domain: domain.name,
      status: domain.kind === 'free-subdomain' ? 'free-subdomain' : domain.status,
      expiry: domain.expires_at ? domain.expires_at.slice(0, 10) : null,
      nameservers: registry?.nameservers ?? [],
      registrar: domain.registrar,
    });
  });

  app.get('/beta/domains/:domain/nameservers', async (c) => {
    const found = await load(c);
    if (found instanceof Response) return found;
    return referenceJson(c, {
      nameservers: (found.registry?.nameservers ?? []).map((name) => ({ name })),
    });
  });

  return app;
}
