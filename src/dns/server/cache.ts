// Encoded answers keyed by the query's lower-case question, EDNS bits and size limit. A hit is
// copied and patched (ID, RD/CD, the question's letter case), so it costs one copy, no lookup.
import type { IndexedZone } from './zone-index.js';

export interface CachedAnswer {
  bytes: Buffer;
  rcode: number;
  /** The zone answered from ('' for REFUSED): response rate limiting groups NXDOMAINs by it. */
  apex: string;
  zones: readonly IndexedZone[];
  /** Built for one query and never cached (NXDOMAIN, REFUSED): send as it is. */
  fresh?: boolean;
}

export interface AnswerCache {
  get(key: string): CachedAnswer | undefined;
  set(key: string, value: CachedAnswer): void;
  clear(): void;
  readonly size: number;
}

/** A bounded cache; entries die with the zone snapshots they were built from. */
export function createAnswerCache(maxEntries: number): AnswerCache {
  const map = new Map<string, CachedAnswer>();
  return {
    get(key) {
      const hit = map.get(key);
      if (hit === undefined) return undefined;
      for (let i = 0; i < hit.zones.length; i++) {
        if (hit.zones[i]!.retired) {
          map.delete(key);
          return undefined;
        }
      }
      return hit;
    },
    set(key, value) {
      if (maxEntries <= 0) return;
      if (map.size >= maxEntries) {
        // Evict the oldest insertion; cheap, and random-name floods cannot grow memory.
        const oldest = map.keys().next();
        if (!oldest.done) map.delete(oldest.value);
      }
      map.set(key, value);
    },
    clear: () => map.clear(),
    get size() {
      return map.size;
    },
  };
}

/** Copy a cached reply for a new query: its ID, RD/CD bits and the question name as sent. */
export function patchReply(cached: Buffer, query: Buffer, nameEnd: number): Buffer {
  const out = Buffer.allocUnsafe(cached.length);
  patchReplyInto(cached, query, nameEnd, out, 0);
  return out;
}

/** patchReply into `out` at `at` (a batch's reply slot); returns the reply's length. */
export function patchReplyInto(
  cached: Buffer,
  query: Buffer,
  nameEnd: number,
  out: Buffer,
  at: number,
): number {
  cached.copy(out, at);
  out[at] = query[0]!;
  out[at + 1] = query[1]!;
  out[at + 2] = (cached[2]! & 0xfe) | (query[2]! & 0x01);
  out[at + 3] = (cached[3]! & 0xef) | (query[3]! & 0x10);
  query.copy(out, at + 12, 12, nameEnd);
  return cached.length;
}
