// Dynamic DNS (apis.md §3.9): point a host's A or AAAA RRset at the address a request came from,
// in the key's zone with the longest matching suffix, through the ordinary change path.
import { isIP } from 'node:net';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { DnsAccess } from './access.js';
import { hostOf, isInZone, normalizeName, resolveHost } from './names.js';
import type { RecordOps, WriteResult } from './record-ops.js';
import { DnsAccessDenied } from './record-ops.js';
import { recordFromJson } from './record-types/index.js';
import { apexOf } from './records.js';
import type { ZoneRow } from './store.js';
import type { Zones } from './zones.js';

/** TTL of a dynamic record that did not exist yet: short, because home addresses change. */
const DYNAMIC_TTL = 300;

export function createDynamic(deps: { zones: Zones; records: RecordOps }) {
  /** The access's zone holding `fqdn`: the longest suffix wins (a delegated sub-zone). */
  async function zoneFor(access: DnsAccess, fqdn: string): Promise<ZoneRow> {
    let name: string;
    try {
      name = normalizeName(fqdn);
    } catch (e) {
      throw new ValidationError(`'${fqdn}' is not a host name: ${(e as Error).message}`);
    }
    const zones = (await deps.zones.list(access)).filter((z) => isInZone(name, apexOf(z)));
    const best = zones.sort((a, b) => b.name.length - a.name.length)[0];
    if (!best) throw new NotFoundError('Zone');
    return best;
  }

  return {
    /**
     * Set `host` (an FQDN, or a host of `zoneName` when given) to `address`: A for IPv4, AAAA
     * for IPv6. Keeps the RRset's TTL when it exists.
     */
    async setAddress(
      access: DnsAccess,
      host: string,
      address: string,
      zoneName?: string,
    ): Promise<WriteResult> {
      const family = isIP(address);
      if (family === 0) throw new ValidationError(`'${address}' is not an IP address`);
      const zone = zoneName ? await deps.zones.find(access, zoneName) : await zoneFor(access, host);
      const apex = apexOf(zone);
      const relative = hostOf(resolveHost(zoneName ? host : normalizeName(host), apex), apex);
      const type = family === 4 ? 'A' : 'AAAA';
      const selection = {
        base: { host: relative, type },
        anyOf: [],
        excludeTemplate: false,
        excludeGenerated: false,
      };
      if (!access.allows(true, zone.name, relative, type))
        throw new DnsAccessDenied(`change ${type} records at ${relative} in ${zone.name}`);
      const current = await deps.records.list(access, zone, selection);
      const record = recordFromJson({ host: relative, type, data: address }, apex, {
        ttl: current[0]?.ttl ?? Math.min(DYNAMIC_TTL, zone.default_ttl),
      });
      return deps.records.replace(access, zone, selection, [record]);
    },
  };
}
