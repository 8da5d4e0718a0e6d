// Indexing a snapshot once so each lookup is a few Map reads: owner name -> node -> RRsets,
// with empty non-terminals present (RFC 4592 §2.2.2) and delegation points marked.
import { RRType } from '../wire/constants.js';
import { canonicalName, isInZone, nameToWire, parentName, wireToName } from '../wire/name.js';
import type { SnapshotSoa, ZoneSnapshot } from './types.js';

export interface RRset {
  name: string;
  /** Lower-case uncompressed owner name. */
  owner: Uint8Array;
  type: number;
  ttl: number;
  rdata: Uint8Array[];
  /** Canonical target names for NS/MX/SRV/CNAME/DNAME, index-aligned with rdata. */
  targets: (string | undefined)[];
}

export interface ZoneNode {
  name: string;
  owner: Uint8Array;
  rrsets: Map<number, RRset>;
  /** A delegation point: a non-apex name with NS (RFC 1034 §4.2.1). */
  cut: boolean;
}

export interface IndexedZone {
  apex: string;
  serial: number;
  soa: RRset;
  soaFields: SnapshotSoa;
  /** TTL of negative answers: min(SOA TTL, SOA MINIMUM) (RFC 2308 §3, §5). */
  negativeTtl: number;
  nodes: Map<string, ZoneNode>;
  snapshot: ZoneSnapshot;
  /** Set when a newer snapshot replaces this one; cached answers built from it are then stale. */
  retired: boolean;
}

/** RDATA offset of the target name for the types that have one. */
const targetOffset = new Map<number, number>([
  [RRType.NS, 0],
  [RRType.CNAME, 0],
  [RRType.DNAME, 0],
  [RRType.PTR, 0],
  [RRType.MX, 2],
  [RRType.SRV, 6],
]);

/** Encode SOA RDATA (RFC 1035 §3.3.13) from its fields. */
export function encodeSoa(soa: SnapshotSoa): Uint8Array {
  const m = nameToWire(soa.mname);
  const r = nameToWire(soa.rname);
  const out = Buffer.alloc(m.length + r.length + 20);
  out.set(m, 0);
  out.set(r, m.length);
  let p = m.length + r.length;
  for (const v of [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum]) {
    out.writeUInt32BE(v >>> 0, p);
    p += 4;
  }
  return out;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && Buffer.compare(a, b) === 0;

function node(nodes: Map<string, ZoneNode>, name: string): ZoneNode {
  let n = nodes.get(name);
  if (!n) {
    n = { name, owner: nameToWire(name), rrsets: new Map(), cut: false };
    nodes.set(name, n);
  }
  return n;
}

/** Build the lookup index of a snapshot. Throws when a record lies outside the zone. */
export function indexZone(snapshot: ZoneSnapshot): IndexedZone {
  const apex = canonicalName(snapshot.apex);
  const nodes = new Map<string, ZoneNode>();
  const apexNode = node(nodes, apex);
  const soaRdata = snapshot.soa.rdata ?? encodeSoa(snapshot.soa);
  const soa: RRset = {
    name: apex,
    owner: apexNode.owner,
    type: RRType.SOA,
    ttl: snapshot.soa.ttl,
    rdata: [soaRdata],
    targets: [undefined],
  };
  apexNode.rrsets.set(RRType.SOA, soa);
  for (const rec of snapshot.records) {
    if (rec.type === RRType.SOA) continue;
    const name = canonicalName(rec.name);
    if (!isInZone(name, apex)) throw new Error(`record ${rec.name} is outside zone ${apex}`);
    const n = node(nodes, name);
    let set = n.rrsets.get(rec.type);
    if (!set) {
      set = { name, owner: n.owner, type: rec.type, ttl: rec.ttl, rdata: [], targets: [] };
      n.rrsets.set(rec.type, set);
    }
    // RFC 2181 §5.2: one TTL per RRset (we take the lowest); §5: no duplicate records.
    set.ttl = Math.min(set.ttl, rec.ttl);
    if (set.rdata.some((r) => sameBytes(r, rec.rdata))) continue;
    set.rdata.push(rec.rdata);
    const off = targetOffset.get(rec.type);
    set.targets.push(
      rec.target !== undefined
        ? canonicalName(rec.target)
        : off !== undefined && rec.rdata.length > off
          ? wireToName(rec.rdata, off, true)
          : undefined,
    );
  }
  // Empty non-terminals: every ancestor between an owner and the apex exists (RFC 4592 §2.2.2).
  for (const name of [...nodes.keys()]) {
    for (let p = name; p !== apex && p !== '.';) {
      p = parentName(p);
      if (nodes.has(p)) break;
      node(nodes, p);
    }
  }
  for (const n of nodes.values()) n.cut = n.name !== apex && n.rrsets.has(RRType.NS);
  return {
    apex,
    serial: snapshot.soa.serial >>> 0,
    soa,
    soaFields: snapshot.soa,
    negativeTtl: Math.min(snapshot.soa.ttl, snapshot.soa.minimum),
    nodes,
    snapshot,
    retired: false,
  };
}
