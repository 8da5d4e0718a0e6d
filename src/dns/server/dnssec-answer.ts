// DNSSEC in answers to queries with the DO bit (RFC 4035 §3.1): the RRSIGs of every RRset in the
// answer and authority sections, and the NSEC3 proofs of RFC 5155 §7.2 for what does not exist.
// The zone was signed when it was published; here we only pick records, so this stays cheap.
import { labelCount, parentName } from '../wire/name.js';
import { RRType } from '../wire/constants.js';
import type { Answer, Denial, SectionEntry } from './answer.js';
import { covering, matching } from './nsec3-index.js';
import type { RRset } from './zone-index.js';

/** Each entry followed by its RRSIGs, which take its TTL (a negative SOA's is shortened). */
function withSigs(entries: readonly SectionEntry[]): SectionEntry[] {
  const out: SectionEntry[] = [];
  for (const e of entries) {
    out.push(e);
    if (e.rrset.sigs) out.push({ owner: e.owner, rrset: e.rrset.sigs, ttl: e.ttl });
  }
  return out;
}

/** The name one label longer than the closest encloser, on the way to `name` (RFC 5155 §1.3). */
function nextCloser(name: string, closestEncloser: string): string {
  const want = labelCount(closestEncloser) + 1;
  let n = name;
  while (labelCount(n) > want) n = parentName(n);
  return n;
}

const wildcardAt = (encloser: string): string => (encloser === '.' ? '*.' : `*.${encloser}`);

/** The NSEC3 RRsets proving one denial. */
function proof(d: Denial): (RRset | undefined)[] {
  const index = d.zone.nsec3!;
  const ce = d.closestEncloser ?? d.zone.apex;
  switch (d.kind) {
    case 'nodata': // §7.2.3 (also DS at an insecure delegation, §7.2.4)
      return [matching(index, d.name)];
    case 'nxdomain': // §7.2.2: closest encloser proof plus the wildcard's absence
      return [
        matching(index, ce),
        covering(index, nextCloser(d.name, ce)),
        covering(index, wildcardAt(ce)),
      ];
    case 'wildcard': // §7.2.6: the next closer name does not exist
      return [covering(index, nextCloser(d.name, ce))];
    case 'wildcard-nodata': // §7.2.5
      return [
        matching(index, ce),
        covering(index, nextCloser(d.name, ce)),
        matching(index, wildcardAt(ce)),
      ];
    case 'referral': {
      // §7.2.7: a secure delegation carries its signed DS; an insecure one the cut's NSEC3.
      const cut = d.zone.nodes.get(d.name);
      return cut?.rrsets.has(RRType.DS) ? [] : [matching(index, d.name)];
    }
  }
}

/** Add RRSIGs and denial proofs to an answer from signed zones (DO was set). */
export function addDnssec(ans: Answer): void {
  ans.answer = withSigs(ans.answer);
  // §3.1.1: a signed RRset in the additional section (the address of an MX, SRV or NS target)
  // takes its RRSIGs along; the writer may still drop them, and keep the addresses, for space.
  ans.additional = withSigs(ans.additional);
  const authority = withSigs(ans.authority);
  const seen = new Set<RRset>();
  for (const d of ans.denials ?? []) {
    for (const set of proof(d)) {
      if (!set || seen.has(set)) continue;
      seen.add(set);
      authority.push({ owner: set.owner, rrset: set });
      if (set.sigs) authority.push({ owner: set.owner, rrset: set.sigs });
    }
  }
  ans.authority = authority;
}
