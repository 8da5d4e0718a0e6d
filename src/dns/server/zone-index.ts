// Indexing a snapshot once so each lookup is a few Map reads: owner name -> node -> RRsets,
// with empty non-terminals present (RFC 4592 §2.2.2) and delegation points marked.
import { RRType } from '../wire/constants.js';
import { canonicalName, isInZone, nameToWire, parentName, wireToName } from '../wire/name.js';
import type { SnapshotSoa, ZoneSnapshot } from './types.js';
import { nsec3Index, type Nsec3Index } from './nsec3-index.js';

export interface RRset {
  name: string;
  /** Lower-case uncompressed owner name. */
  owner: Uint8Array;
  type: number;
  ttl: number;
  rdata: Uint8Array[];
  /** Canonical target names for NS/MX/SRV/CNAME/DNAME, index-aligned with rdata. */
  targets: (string | undefined)[];
  /** The RRSIGs covering this RRset, in a signed zone. */
  sigs?: RRset;
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
  /** The NSEC3 chain of a signed zone (kept outside `nodes`: RFC 5155 §7.2.8). */
  nsec3?: Nsec3Index;
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

/** Index RRSIGs onto the RRsets they cover and NSEC3 records into the zone's chain. */
function indexDnssec(zone: IndexedZone, sigs: readonly RRset[], chain: readonly RRset[]): void {
  const params = zone.nodes.get(zone.apex)?.rrsets.get(RRType.NSEC3PARAM)?.rdata[0];
  if (params && chain.length > 0) zone.nsec3 = nsec3Index(params, chain);
  for (const sig of sigs) {
    const covered = Buffer.from(sig.rdata[0]!).readUInt16BE(0);
    const target =
      covered === RRType.NSEC3
        ? zone.nsec3?.byHash.get(sig.name.slice(0, sig.name.indexOf('.')))
        : zone.nodes.get(sig.name)?.rrsets.get(covered);
    if (target) target.sigs = sig;
  }
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
  // RRSIGs are grouped by (owner, covered type); NSEC3 records stay out of the name tree.
  const sigs = new Map<string, RRset>();
  const chain = new Map<string, RRset>();
  for (const rec of snapshot.records) {
    if (rec.type === RRType.SOA) continue;
    const name = canonicalName(rec.name);
    if (!isInZone(name, apex)) throw new Error(`record ${rec.name} is outside zone ${apex}`);
    const aside = rec.type === RRType.RRSIG ? sigs : rec.type === RRType.NSEC3 ? chain : undefined;
    const key = aside === sigs ? `${name}|${Buffer.from(rec.rdata).readUInt16BE(0)}` : name;
    const n = aside ? undefined : node(nodes, name);
    let set = aside ? aside.get(key) : n!.rrsets.get(rec.type);
    if (!set) {
      const owner = n?.owner ?? nameToWire(name);
      set = { name, owner, type: rec.type, ttl: rec.ttl, rdata: [], targets: [] };
      if (aside) aside.set(key, set);
      else n!.rrsets.set(rec.type, set);
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
  const zone: IndexedZone = {
    apex,
    serial: snapshot.soa.serial >>> 0,
    soa,
    soaFields: snapshot.soa,
    negativeTtl: Math.min(snapshot.soa.ttl, snapshot.soa.minimum),
    nodes,
    snapshot,
    retired: false,
  };
  if (sigs.size > 0 || chain.size > 0) indexDnssec(zone, [...sigs.values()], [...chain.values()]);
  return zone;
}
