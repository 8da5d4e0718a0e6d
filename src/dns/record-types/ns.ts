// NS records (RFC 1035 §3.3.11): below the apex they delegate a child zone (glue rules live in
// ../rrset-rules.ts); at the apex they come from provider configuration.
import { ROOT } from '../names.js';
import { error } from './common.js';
import { nameTargetType } from './name-target.js';

/** Name-server records. */
export const ns = nameTargetType({
  type: 'NS',
  code: 2,
  what: 'NS target',
  kind: 'host',
  extra: (d) => (d.target === ROOT ? [error('NS target cannot be the root name')] : []),
});
