// ANAME records: Bestiary's apex alias (the reference's ANAME; octodns calls it ALIAS). It is never
// served as itself: the server answers A/AAAA queries at the owner with the target's addresses,
// and zone transfers carry those resolved A/AAAA records instead.
//
// Type code: ANAME has no IANA code, so it takes 65401 from the private-use range 65280-65534
// (RFC 6895 §3.1). PowerDNS uses the same number for its equivalent ALIAS type, which keeps dumps
// readable side by side. The code only matters inside Bestiary (storage, RFC 2136 UPDATE).
import { error } from './common.js';
import { nameTargetType } from './name-target.js';

/** Private-use type code of ANAME. */
export const ANAME_CODE = 65401;

/** Apex alias records, resolved by the server into A/AAAA. */
export const aname = nameTargetType({
  type: 'ANAME',
  code: ANAME_CODE,
  what: 'ANAME target',
  kind: 'any',
  extra: (d, ctx) =>
    d.target === ctx.owner ? [error(`ANAME at ${ctx.owner} points at itself`)] : [],
});
