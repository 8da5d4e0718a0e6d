// GET /zones (apis.md §3.3), and Bestiary's marked extensions: add a DNS-only zone, delete a zone,
// and "who may issue" for a name (RFC 8659), so automation needs no panel for these.
import { Hono } from 'hono';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import type { WebEnv } from '../context.js';
import { readJson } from '../input.js';
import type { DnsApiDeps } from './dns-common.js';
import { accessOf, formFields } from './dns-common.js';
import { referenceJson } from './json.js';

export const addZoneBody = z.object({ zone: z.string().min(1).max(253) });

export function zoneRoutes(deps: DnsApiDeps) {
  const { dns } = deps;
  const app = new Hono<WebEnv>();

  // Zones the key has any permission on; acme.sh and lexicon use it as a token check.
  app.get('/zones', async (c) => {
    const zones = await dns.zones.list(accessOf(c));
    return referenceJson(c, { zones: zones.map((z) => z.name) });
  });

  // Extension: add a DNS-only zone (JSON {"zone": …} or a form field).
  app.post('/zones', async (c) => {
    const body = (await formFields(c, deps.bodyLimit)) ?? (await readJson(c, deps.bodyLimit));
    const parsed = addZoneBody.safeParse(body);
    if (!parsed.success) throw new ValidationError('The body needs {"zone": "example.org"}');
    const zone = await dns.zones.add(accessOf(c), parsed.data.zone);
    return referenceJson(c, { message: `Zone ${zone.name} added`, zone: zone.name }, 201);
  });

  // Extension: delete a zone and all its records.
  app.delete('/zones/:zone', async (c) => {
    const access = accessOf(c);
    const zone = await dns.zones.find(access, c.req.param('zone'));
    await dns.zones.remove(access, zone);
    return referenceJson(c, { message: `Zone ${zone.name} deleted`, zone: zone.name });
  });

  // Extension: RFC 8659 "who may issue" for ?name= (a host of the zone; the apex by default).
  app.get('/zones/:zone/caa', async (c) => {
    const access = accessOf(c);
    const zone = await dns.zones.find(access, c.req.param('zone'));
    return referenceJson(c, await dns.issuersFor(access, zone, c.req.query('name') ?? '@'));
  });

  return app;
}
