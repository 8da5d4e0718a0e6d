// The served zones, keyed by lower-case apex; the closest enclosing zone of a name is found by
// trying its suffixes from the longest, so a lookup costs one Map read per label.
import { canonicalName, parentName } from '../wire/name.js';
import { indexZone, type IndexedZone } from './zone-index.js';
import type { ZoneSnapshot } from './types.js';

export interface ZoneTable {
  /** The zone whose apex is the longest suffix of the canonical name `qname`. */
  findZone(qname: string): IndexedZone | undefined;
  getZone(apex: string): IndexedZone | undefined;
  /** Index and install a snapshot; returns it and the one it replaced (now retired). */
  replace(snapshot: ZoneSnapshot): { zone: IndexedZone; previous: IndexedZone | undefined };
  remove(apex: string): IndexedZone | undefined;
  list(): IterableIterator<IndexedZone>;
}

export function createZoneTable(): ZoneTable {
  const zones = new Map<string, IndexedZone>();
  return {
    findZone(qname) {
      for (let n = qname; ; n = parentName(n)) {
        const z = zones.get(n);
        if (z) return z;
        if (n === '.') return undefined;
      }
    },
    getZone: (apex) => zones.get(canonicalName(apex)),
    replace(snapshot) {
      const zone = indexZone(snapshot);
      const previous = zones.get(zone.apex);
      if (previous) previous.retired = true;
      zones.set(zone.apex, zone);
      return { zone, previous };
    },
    remove(apex) {
      const key = canonicalName(apex);
      const z = zones.get(key);
      if (z) {
        z.retired = true;
        zones.delete(key);
      }
      return z;
    },
    list: () => zones.values(),
  };
}
