// Extension: a zone's DNSSEC through the DNS API. GET /zones/{zone}/dnssec shows keys, the DS for
// the registrar, the status at the parent, and where turning off or a KSK rollover stands; POST
// takes one action. Reading needs read access to the apex DNSKEY; acting needs write on the zone.
import { Hono } from 'hono';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import type { DnsModule, ZoneRow } from '../../dns/index.js';
import { DnsAccessDenied } from '../../dns/index.js';
import type { WebEnv } from '../context.js';
import { readJson } from '../input.js';
import type { DnsApiDeps } from './dns-common.js';
import { accessOf, formFields } from './dns-common.js';
import { referenceJson } from './json.js';

export const dnssecActions = ['on', 'off', 'keep', 'finish', 'check', 'roll-ksk'] as const;
export const dnssecBody = z.object({ action: z.enum(dnssecActions) });

/** The zone's DNSSEC as the API shows it (snake_case, like the reference's fields). */
export async function dnssecJson(dns: DnsModule, zone: ZoneRow) {
  const [keys, parent, next] = await Promise.all([
    dns.dnssecKeys(zone),
    dns.dnssecParent(zone),
    dns.dnssecNextKeyEvent(zone),
  ]);
  return {
    zone: zone.name,
    signed: zone.dnssec === 1,
    status: parent.status,
    checked_at: parent.checkedAt,
    check_error: parent.error,
    parent_ds: parent.parentDs,
    parent_ds_ttl: parent.dsTtl,
    ds: zone.dnssec
      ? keys.filter((k) => k.role === 'ksk' && k.state === 'active').map((k) => k.ds!)
      : [],
    keys: keys.map((k) => ({
      key_tag: k.keyTag,
      role: k.role,
      algorithm: k.algorithm,
      state: k.state,
      dnskey: k.dnskey,
      ...(k.ds ? { ds: k.ds } : {}),
      created_at: k.createdAt,
      published_at: k.publishedAt,
      active_at: k.activeAt,
      retired_at: k.retiredAt,
    })),
    zsk_next_event: next,
    turn_off: parent.turnOff,
    ksk_rollover: parent.kskRollover
      ? {
          stage: parent.kskRollover.stage,
          key_tag: parent.kskRollover.keyTag,
          ds: parent.kskRollover.ds,
          until: parent.kskRollover.until,
        }
      : null,
  };
}

export function dnssecRoutes(deps: DnsApiDeps) {
  const { dns } = deps;
  const app = new Hono<WebEnv>();
  const act: Record<(typeof dnssecActions)[number], (zone: ZoneRow) => Promise<unknown>> = {
    on: (z) => dns.setDnssec(z, true),
    off: (z) => dns.dnssecTurnOff(z),
    keep: (z) => dns.dnssecCancelTurnOff(z),
    finish: (z) => dns.dnssecFinishTurnOff(z),
    check: (z) => dns.dnssecCheckParent(z),
    'roll-ksk': (z) => dns.dnssecRollKsk(z),
  };

  app.get('/zones/:zone/dnssec', async (c) => {
    const access = accessOf(c);
    const zone = await dns.zones.find(access, c.req.param('zone'));
    if (!access.allows(false, zone.name, '@', 'DNSKEY'))
      throw new DnsAccessDenied(`read the DNSSEC keys of ${zone.name}`);
    return referenceJson(c, await dnssecJson(dns, zone));
  });

  app.post('/zones/:zone/dnssec', async (c) => {
    const access = accessOf(c);
    const zone = await dns.zones.find(access, c.req.param('zone'));
    // Signing touches every RRset of the zone: only a key that may change all of it.
    if (!access.allows(true, zone.name)) throw new DnsAccessDenied(`change DNSSEC of ${zone.name}`);
    const body = (await formFields(c, deps.bodyLimit)) ?? (await readJson(c, deps.bodyLimit));
    const parsed = dnssecBody.safeParse(body);
    if (!parsed.success)
      throw new ValidationError(`The body needs {"action": one of ${dnssecActions.join(', ')}}`);
    await act[parsed.data.action](zone);
    const fresh = await dns.zones.find(access, zone.name);
    return referenceJson(c, await dnssecJson(dns, fresh));
  });

  return app;
}
