// Referrals at zone cuts (RFC 1034 §4.3.2 step 3b): NS in authority, AA=0, glue in additional.
import { RRType } from '../wire/constants.js';
import { isInZone } from '../wire/name.js';
import type { Answer } from './answer.js';
import type { IndexedZone, ZoneNode } from './zone-index.js';

/** Fill `ans` with a referral to the child zone at `cut`. */
export function referral(zone: IndexedZone, cut: ZoneNode, ans: Answer, dnssecOk: boolean): void {
  const ns = cut.rrsets.get(RRType.NS)!;
  ans.aa = false;
  ans.kind = 'referral';
  ans.authority.push({ owner: ns.owner, rrset: ns });
  // RFC 4035 §3.1.4: a signed referral carries the DS RRset (or the signer proves its absence).
  const ds = cut.rrsets.get(RRType.DS);
  if (dnssecOk && ds) ans.authority.push({ owner: ds.owner, rrset: ds });
  for (const target of ns.targets) {
    if (target === undefined || !isInZone(target, zone.apex)) continue;
    // Glue is taken from the zone even when occluded by the cut; in-domain glue is required (RFC 9471).
    const host = zone.nodes.get(target);
    if (!host) continue;
    const required = isInZone(target, cut.name);
    for (const t of [RRType.A, RRType.AAAA]) {
      const set = host.rrsets.get(t);
      if (set) ans.additional.push({ owner: set.owner, rrset: set, required });
    }
  }
}

/** The delegation point at or above `name` inside `zone`, if any (data below it is not authoritative). */
export function cutAbove(
  zone: IndexedZone,
  name: string,
  parentOf: (n: string) => string,
): ZoneNode | undefined {
  let found: ZoneNode | undefined;
  for (let n = name; n !== zone.apex && n !== '.'; n = parentOf(n)) {
    const node = zone.nodes.get(n);
    if (node?.cut) found = node;
  }
  return found;
}
