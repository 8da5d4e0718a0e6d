// Additional-section processing (RFC 1035 §4.3.2 step 6, RFC 2782): addresses of NS, MX and SRV
// targets that we serve authoritatively, so resolvers need not ask again.
import { RRType } from '../wire/constants.js';
import { parentName } from '../wire/name.js';
import type { Answer } from './answer.js';
import { cutAbove } from './delegation.js';
import type { ZoneTable } from './zone-table.js';

const wantsAddresses = new Set<number>([RRType.NS, RRType.MX, RRType.SRV]);

/** Append A/AAAA RRsets for the targets of NS/MX/SRV records in the answer section. */
export function addTargetAddresses(ans: Answer, table: ZoneTable): void {
  const seen = new Set<string>();
  for (const entry of ans.answer) {
    if (!wantsAddresses.has(entry.rrset.type)) continue;
    for (const target of entry.rrset.targets) {
      if (target === undefined || seen.has(target)) continue;
      seen.add(target);
      const zone = table.findZone(target);
      const node = zone?.nodes.get(target);
      if (!zone || !node || cutAbove(zone, target, parentName)) continue;
      for (const t of [RRType.A, RRType.AAAA]) {
        const set = node.rrsets.get(t);
        if (set) ans.additional.push({ owner: set.owner, rrset: set });
      }
      if (!ans.zones.includes(zone)) ans.zones.push(zone);
    }
  }
}
