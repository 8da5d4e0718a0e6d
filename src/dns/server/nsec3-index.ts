// The NSEC3 chain of a signed zone as the server searches it: by hash for a match, by order for
// the record covering a hash (RFC 5155 §7.2). Hashing itself is the DNSSEC module's nsec3.ts.
import { base32hex, nsec3Hash, type Nsec3Params } from '../dnssec/nsec3.js';
import type { RRset } from './zone-index.js';

export interface Nsec3Index {
  params: Nsec3Params;
  /** NSEC3 RRsets by the lower-case base32hex hash of their owner. */
  byHash: Map<string, RRset>;
  /** The hashes in order (base32hex keeps the order of the raw hashes). */
  sorted: string[];
}

/** Index NSEC3 RRsets under the parameters of the zone's NSEC3PARAM RDATA (RFC 5155 §4.2). */
export function nsec3Index(param: Uint8Array, chain: readonly RRset[]): Nsec3Index {
  const b = Buffer.from(param);
  const params = { iterations: b.readUInt16BE(2), salt: b.subarray(5, 5 + b[4]!) };
  const byHash = new Map<string, RRset>();
  for (const set of chain) byHash.set(set.name.slice(0, set.name.indexOf('.')), set);
  return { params, byHash, sorted: [...byHash.keys()].sort() };
}

export const hashOf = (index: Nsec3Index, name: string): string =>
  base32hex(nsec3Hash(name, index.params));

/** The NSEC3 RRset whose owner hash equals that of `name`, if any (a "match"). */
export const matching = (index: Nsec3Index, name: string): RRset | undefined =>
  index.byHash.get(hashOf(index, name));

/** The NSEC3 RRset covering the hash of `name`: the last owner hash before it, wrapping around. */
export function covering(index: Nsec3Index, name: string): RRset | undefined {
  const h = hashOf(index, name);
  const s = index.sorted;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s[mid]! < h) lo = mid + 1;
    else hi = mid;
  }
  const owner = lo === 0 ? s[s.length - 1] : s[lo - 1];
  return owner === undefined ? undefined : index.byHash.get(owner);
}
