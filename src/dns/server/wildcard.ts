// Wildcard matching (RFC 4592 §3.3): a missing name is answered from "*.<closest encloser>" when
// that node exists; an existing name (empty non-terminals included) never matches a wildcard.
import type { IndexedZone, ZoneNode } from './zone-index.js';

/** The source of synthesis for a name whose closest encloser is `closestEncloser`, if it exists. */
export function wildcardSource(zone: IndexedZone, closestEncloser: string): ZoneNode | undefined {
  return zone.nodes.get(closestEncloser === '.' ? '*.' : `*.${closestEncloser}`);
}
