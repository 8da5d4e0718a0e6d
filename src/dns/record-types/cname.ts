// CNAME records (RFC 1034 §3.6.2, RFC 1035 §3.3.1): an alias to another name. Exclusivity at the
// owner and the apex ban are cross-record rules, checked in ../rrset-rules.ts.
import { error } from './common.js';
import { nameTargetType } from './name-target.js';

/** Canonical-name (alias) records. */
export const cname = nameTargetType({
  type: 'CNAME',
  code: 5,
  what: 'CNAME target',
  kind: 'any',
  extra: (d, ctx) =>
    d.target === ctx.owner ? [error(`CNAME at ${ctx.owner} points at itself`)] : [],
});
