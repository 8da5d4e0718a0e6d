// Signing a zone snapshot at publish time (RFC 4035 §2): DNSKEY (and CDS/CDNSKEY, RFC 7344 §4)
// at the apex signed by the KSK, every authoritative RRset signed by the ZSK, and an NSEC3 chain
// (RFC 5155 §7.1) over every authoritative name and empty non-terminal. Delegations are not
// signed (§2.2 of RFC 4035); their DS is. Glue below a cut is neither signed nor hashed.
import { RRType } from '../wire/constants.js';
import { canonicalName, isInZone, parentName } from '../wire/name.js';
import { encodeSoa } from '../server/index.js';
import type { SnapshotRecord, ZoneSnapshot } from '../server/index.js';
import { dsRdata } from './keys.js';
import {
  buildChain,
  defaultNsec3Params,
  nsec3paramRdata,
  nsec3Rdata,
  typeBitmap,
} from './nsec3.js';
import type { Signing, ZoneKey } from './signatures.js';

export const CDS = 59;
export const CDNSKEY = 60;
/** Types the signer owns: any in the input snapshot are replaced by its own. */
const owned = new Set<number>([
  RRType.RRSIG,
  RRType.NSEC,
  RRType.DNSKEY,
  RRType.NSEC3,
  RRType.NSEC3PARAM,
  CDS,
  CDNSKEY,
]);
/** RRsets signed by the key-signing key (RFC 7344 §4.1 for CDS/CDNSKEY). */
const kskSigned = new Set<number>([RRType.DNSKEY, CDS, CDNSKEY]);

type Sets = Map<string, Map<number, { ttl: number; rdata: Uint8Array[] }>>;

function group(records: readonly SnapshotRecord[]): Sets {
  const sets: Sets = new Map();
  for (const r of records) {
    const name = canonicalName(r.name);
    let types = sets.get(name);
    if (!types) sets.set(name, (types = new Map<number, { ttl: number; rdata: Uint8Array[] }>()));
    const set = types.get(r.type);
    if (!set) types.set(r.type, { ttl: r.ttl, rdata: [r.rdata] });
    else {
      set.ttl = Math.min(set.ttl, r.ttl);
      if (!set.rdata.some((d) => Buffer.compare(d, r.rdata) === 0)) set.rdata.push(r.rdata);
    }
  }
  return sets;
}

/** Names below a zone cut hold only glue: not authoritative (RFC 4035 §2.2). */
function isGlue(name: string, apex: string, cuts: ReadonlySet<string>): boolean {
  for (let n = parentName(name); n !== apex && isInZone(n, apex); n = parentName(n))
    if (cuts.has(n)) return true;
  return false;
}

/** RFC 8078 §4: "remove my DS": CDS 0 0 0 00 and CDNSKEY 0 3 0 AA==. */
const CDS_DELETE = Buffer.from([0, 0, 0, 0, 0]);
const CDNSKEY_DELETE = Buffer.from([0, 0, 3, 0, 0]);

/** The DNSSEC records the keys publish at the apex. */
function keyRecords(
  apex: string,
  keys: readonly ZoneKey[],
  ttl: number,
  cdsDelete: boolean,
): SnapshotRecord[] {
  const out: SnapshotRecord[] = [];
  for (const k of keys) {
    out.push({ name: apex, type: RRType.DNSKEY, ttl, rdata: k.dnskey });
    if (k.role === 'ksk' && (k.cds ?? k.active) && !cdsDelete) {
      out.push({ name: apex, type: CDNSKEY, ttl, rdata: k.dnskey });
      out.push({ name: apex, type: CDS, ttl, rdata: dsRdata(apex, k.dnskey) });
    }
  }
  if (cdsDelete) {
    out.push({ name: apex, type: CDNSKEY, ttl, rdata: CDNSKEY_DELETE });
    out.push({ name: apex, type: CDS, ttl, rdata: CDS_DELETE });
  }
  out.push({
    name: apex,
    type: RRType.NSEC3PARAM,
    ttl: 0,
    rdata: nsec3paramRdata(defaultNsec3Params),
  });
  return out;
}

/** The signed form of `snapshot`: its records plus DNSKEY, CDS, CDNSKEY, NSEC3PARAM, NSEC3 and RRSIGs. */
export function signSnapshot(
  snapshot: ZoneSnapshot,
  keys: readonly ZoneKey[],
  signing: Signing,
  options: { cdsDelete?: boolean } = {},
): ZoneSnapshot {
  const apex = canonicalName(snapshot.apex);
  const soa = snapshot.soa;
  const negativeTtl = Math.min(soa.ttl, soa.minimum);
  const data = snapshot.records.filter((r) => !owned.has(r.type) && r.type !== RRType.SOA);
  const extra = keyRecords(apex, keys, soa.ttl, options.cdsDelete ?? false);
  const sets = group([
    ...data,
    ...extra,
    { name: apex, type: RRType.SOA, ttl: soa.ttl, rdata: soa.rdata ?? encodeSoa(soa) },
  ]);
  const cuts = new Set(
    [...sets].filter(([n, t]) => n !== apex && t.has(RRType.NS)).map(([n]) => n),
  );
  const signers = (type: number) =>
    keys.filter((k) => k.active && (k.role === 'ksk') === kskSigned.has(type));
  const sigs: SnapshotRecord[] = [];
  const sign = (name: string, type: number, ttl: number, rdata: readonly Uint8Array[]) => {
    for (const k of signers(type))
      sigs.push({ name, type: RRType.RRSIG, ttl, rdata: signing.sign(k, name, type, ttl, rdata) });
  };
  const hashed = new Map<string, number[]>();
  for (const [name, types] of sets) {
    if (isGlue(name, apex, cuts)) continue;
    const cut = cuts.has(name);
    const present: number[] = [];
    for (const [type, set] of types) {
      if (cut && type !== RRType.NS && type !== RRType.DS) continue; // occluded at a cut
      present.push(type);
      if (cut && type === RRType.NS) continue;
      sign(name, type, set.ttl, set.rdata);
    }
    if (!cut || types.has(RRType.DS)) present.push(RRType.RRSIG);
    hashed.set(name, present);
    // Empty non-terminals get an NSEC3 with an empty bitmap (RFC 5155 §7.1).
    for (let p = parentName(name); name !== apex && p !== apex && !hashed.has(p); p = parentName(p))
      if (!sets.has(p)) hashed.set(p, []);
  }
  const nsec3: SnapshotRecord[] = [];
  for (const { link, next } of buildChain(hashed, defaultNsec3Params)) {
    const owner = `${link.hash}.${apex}`;
    const rdata = nsec3Rdata(defaultNsec3Params, next, typeBitmap(link.types));
    nsec3.push({ name: owner, type: RRType.NSEC3, ttl: negativeTtl, rdata });
    sign(owner, RRType.NSEC3, negativeTtl, [rdata]);
  }
  return { ...snapshot, records: [...data, ...extra, ...nsec3, ...sigs] };
}
