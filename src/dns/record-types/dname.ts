// DNAME records (RFC 6672): redirect a whole subtree. Singleton and occlusion rules live in
// ../rrset-rules.ts; a target inside the owner's own subtree would expand forever (§2.4).
import { isInZone } from '../names.js';
import { error } from './common.js';
import { nameTargetType } from './name-target.js';

/** Delegation-name (subtree redirect) records. */
export const dname = nameTargetType({
  type: 'DNAME',
  code: 39,
  what: 'DNAME target',
  kind: 'any',
  extra: (d, ctx) =>
    isInZone(d.target, ctx.owner)
      ? [error(`DNAME at ${ctx.owner} points into its own subtree (${d.target}), which loops`)]
      : [],
});
