// Answering a query from the zone table: the algorithm of RFC 1034 §4.3.2 with wildcards
// (RFC 4592), DNAME (RFC 6672), CNAME chains across our zones and minimal ANY (RFC 8482).
import { Rcode, RRType } from '../wire/constants.js';
import { labelCount, nameToWire, parentName, wireToName } from '../wire/name.js';
import { addTargetAddresses } from './additional.js';
import { emptyAnswer, type Answer, type Denial } from './answer.js';
import { referral } from './delegation.js';
import { wildcardSource } from './wildcard.js';
import type { IndexedZone, RRset, ZoneNode } from './zone-index.js';
import type { ZoneTable } from './zone-table.js';

export interface LookupQuestion {
  /** Canonical lower-case name. */
  name: string;
  /** Uncompressed wire name as the client sent it; used as the owner of answers at the qname. */
  wire: Uint8Array;
  type: number;
  dnssecOk: boolean;
  /** Over TCP an ANY query gets every RRset (RFC 8482 §4.4 allows it); over UDP one. */
  tcp: boolean;
}

const MAX_CHAIN = 8;

/** What one name resolved to inside one zone. */
type Step = { next?: string; done: boolean };

function negative(ans: Answer, zone: IndexedZone, rcode: number): void {
  ans.rcode = rcode;
  // RFC 2308 §3: the SOA goes in authority with TTL min(SOA TTL, MINIMUM).
  ans.authority.push({ owner: zone.soa.owner, rrset: zone.soa, ttl: zone.negativeTtl });
}

/** The RRset an ANY query gets over UDP: the lowest type present, a real RRset rather than HINFO. */
function anyAnswer(node: ZoneNode, tcp: boolean): RRset[] {
  const sets = [...node.rrsets.values()].sort((a, b) => a.type - b.type);
  return tcp ? sets : sets.slice(0, 1);
}

/** Answer `name` from the data at `node` (owner `owner`, which differs for wildcards). */
function fromNode(
  ans: Answer,
  zone: IndexedZone,
  node: ZoneNode,
  owner: Uint8Array,
  q: LookupQuestion,
): Step {
  const cname = node.rrsets.get(RRType.CNAME);
  if (cname && q.type !== RRType.CNAME && q.type !== RRType.ANY) {
    ans.answer.push({ owner, rrset: cname });
    return { next: cname.targets[0], done: false };
  }
  const sets =
    q.type === RRType.ANY
      ? anyAnswer(node, q.tcp)
      : [node.rrsets.get(q.type)].filter((s) => s !== undefined);
  if (sets.length === 0) {
    ans.kind = ans.kind === 'wildcard' ? 'wildcard-nodata' : 'nodata';
    negative(ans, zone, Rcode.NOERROR);
  } else {
    for (const s of sets) ans.answer.push({ owner, rrset: s });
  }
  return { done: true };
}

/** DNAME substitution (RFC 6672 §2.2): answer the DNAME and a synthesized CNAME, then go on. */
function dname(ans: Answer, node: ZoneNode, set: RRset, name: string, owner: Uint8Array): Step {
  const target = set.targets[0] ?? wireToName(set.rdata[0]!, 0, true);
  const prefix = name.slice(0, name.length - node.name.length);
  const next = target === '.' ? prefix : prefix + target;
  ans.answer.push({ owner: set.owner, rrset: set });
  let rdata: Uint8Array;
  try {
    rdata = nameToWire(next);
  } catch {
    ans.rcode = Rcode.YXDOMAIN;
    return { done: true };
  }
  const synth: RRset = {
    name,
    owner,
    type: RRType.CNAME,
    ttl: set.ttl,
    rdata: [rdata],
    targets: [next],
  };
  ans.answer.push({ owner, rrset: synth });
  return { next, done: false };
}

/** Note the proof a signed answer needs for this step (only when the client asked for DNSSEC). */
function note(ans: Answer, q: LookupQuestion, d: Denial): void {
  if (q.dnssecOk && d.zone.nsec3) (ans.denials ??= []).push(d);
}

/** The proof owed after answering `name` from a node: none, NODATA, or a wildcard's. */
function noteStep(ans: Answer, q: LookupQuestion, zone: IndexedZone, name: string): void {
  const ce = ans.closestEncloser;
  if (ans.kind === 'nodata') note(ans, q, { zone, kind: 'nodata', name });
  else if (ans.kind === 'wildcard' || ans.kind === 'wildcard-nodata')
    note(ans, q, { zone, kind: ans.kind, name, closestEncloser: ce });
}

/** One name in one zone: walk down from the apex, then exact match, wildcard or NXDOMAIN. */
function step(
  ans: Answer,
  zone: IndexedZone,
  q: LookupQuestion,
  name: string,
  owner: Uint8Array,
  first: boolean,
): Step {
  const path: string[] = [];
  for (let n = name; n !== zone.apex; n = parentName(n)) path.push(n);
  let encloser = zone.nodes.get(zone.apex)!;
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i]!;
    const node = zone.nodes.get(n);
    if (!node) break;
    encloser = node;
    if (node.cut && (i > 0 || q.type !== RRType.DS)) {
      if (first) {
        referral(zone, node, ans, q.dnssecOk);
        note(ans, q, { zone, kind: 'referral', name: node.name });
      }
      return { done: true };
    }
    const dn = i > 0 ? node.rrsets.get(RRType.DNAME) : undefined;
    if (dn) return dname(ans, node, dn, name, owner);
  }
  if (encloser.name === name) {
    const r = fromNode(ans, zone, encloser, owner, q);
    noteStep(ans, q, zone, name);
    return r;
  }
  const apexDname = encloser.name === zone.apex ? encloser.rrsets.get(RRType.DNAME) : undefined;
  if (apexDname) return dname(ans, encloser, apexDname, name, owner);
  ans.closestEncloser = encloser.name;
  const source = wildcardSource(zone, encloser.name);
  if (source) {
    ans.kind = 'wildcard';
    ans.wildcard = source.name;
    const r = fromNode(ans, zone, source, owner, q);
    noteStep(ans, q, zone, name);
    return r;
  }
  ans.kind = 'nxdomain';
  negative(ans, zone, Rcode.NXDOMAIN);
  note(ans, q, { zone, kind: 'nxdomain', name, closestEncloser: encloser.name });
  return { done: true };
}

/** DS at the apex of a zone is parent-side data (RFC 4035 §3.1.4.1): answer from the parent we serve. */
function parentSide(table: ZoneTable, q: LookupQuestion): IndexedZone | undefined {
  if (q.type !== RRType.DS || q.name === '.') return undefined;
  const zone = table.findZone(q.name);
  return zone?.apex === q.name ? table.findZone(parentName(q.name)) : undefined;
}

/** Resolve a question against every zone we serve. */
export function resolve(table: ZoneTable, q: LookupQuestion): Answer {
  const zone = parentSide(table, q) ?? table.findZone(q.name);
  if (!zone) return emptyAnswer(Rcode.REFUSED, false, 'refused');
  const ans = emptyAnswer(Rcode.NOERROR, true, 'answer');
  ans.zones.push(zone);
  let z = zone;
  let name = q.name;
  let owner = q.wire;
  const seen = new Set<string>([name]);
  for (let hop = 0; ; hop++) {
    const r = step(ans, z, q, name, owner, hop === 0);
    if (r.done || r.next === undefined) break;
    const next = r.next;
    const nz = table.findZone(next);
    // RFC 1034 §4.3.2: follow the chain while it stays in zones we are authoritative for.
    if (!nz || seen.has(next) || hop + 1 >= MAX_CHAIN || labelCount(next) > 127) {
      if (!nz) ans.kind = 'cname-exit';
      break;
    }
    seen.add(next);
    if (!ans.zones.includes(nz)) ans.zones.push(nz);
    z = nz;
    name = next;
    owner = nameToWire(next);
    ans.kind = 'answer';
  }
  if (ans.kind !== 'referral') addTargetAddresses(ans, table);
  return ans;
}
