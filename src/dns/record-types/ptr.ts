// PTR records (RFC 1035 §3.3.12): a name for reverse lookups and DNS-SD.
import { nameTargetType } from './name-target.js';

/** Pointer records. Targets may carry `_` labels (DNS-SD, RFC 6763), so only address checks apply. */
export const ptr = nameTargetType({ type: 'PTR', code: 12, what: 'PTR target', kind: 'any' });
