// Dynamic UPDATE (RFC 2136): check the zone, the TSIG key's scope, the prerequisites against the
// served snapshot and the update section's form, then hand the update to the DNS module.
import { Rcode, RRClass, RRType } from '../wire/constants.js';
import { isInZone } from '../wire/name.js';
import type { ParsedMessage, WireRecord } from '../wire/reader.js';
import { keyAllows, type TsigSession } from './tsig-guard.js';
import type { UpdateHandler, UpdateRecord } from './types.js';
import type { IndexedZone } from './zone-index.js';
import type { ZoneTable } from './zone-table.js';

const metaTypes = new Set<number>([
  RRType.ANY,
  RRType.AXFR,
  RRType.IXFR,
  RRType.MAILA,
  RRType.MAILB,
  RRType.OPT,
  RRType.TSIG,
  RRType.TKEY,
]);

const same = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && Buffer.compare(a, b) === 0;

/** RFC 2136 §3.2: evaluate the prerequisite section; NOERROR when all hold. */
export function checkPrerequisites(zone: IndexedZone, prereqs: readonly WireRecord[]): number {
  const valueSets = new Map<string, WireRecord[]>();
  for (const p of prereqs) {
    if (p.ttl !== 0) return Rcode.FORMERR;
    if (!isInZone(p.name, zone.apex)) return Rcode.NOTZONE;
    const node = zone.nodes.get(p.name);
    const inUse = node !== undefined && node.rrsets.size > 0;
    if (p.class === RRClass.ANY) {
      if (p.rdata.length !== 0) return Rcode.FORMERR;
      if (p.type === RRType.ANY ? !inUse : !node?.rrsets.has(p.type))
        return p.type === RRType.ANY ? Rcode.NXDOMAIN : Rcode.NXRRSET;
    } else if (p.class === RRClass.NONE) {
      if (p.rdata.length !== 0) return Rcode.FORMERR;
      if (p.type === RRType.ANY ? inUse : node?.rrsets.has(p.type))
        return p.type === RRType.ANY ? Rcode.YXDOMAIN : Rcode.YXRRSET;
    } else if (p.class === RRClass.IN) {
      const k = `${p.name}|${p.type}`;
      valueSets.set(k, [...(valueSets.get(k) ?? []), p]);
    } else return Rcode.FORMERR;
  }
  // §3.2.3: value-dependent prerequisites must match the whole RRset exactly (TTL aside).
  for (const group of valueSets.values()) {
    const set = zone.nodes.get(group[0]!.name)?.rrsets.get(group[0]!.type);
    if (!set) return Rcode.NXRRSET;
    const wanted = group.map((g) => g.rdata);
    if (
      !wanted.every((w) => set.rdata.some((r) => same(r, w))) ||
      !set.rdata.every((r) => wanted.some((w) => same(r, w)))
    )
      return Rcode.NXRRSET;
  }
  return Rcode.NOERROR;
}

/** RFC 2136 §3.4.1: the prescan of the update section. */
export function prescan(zone: IndexedZone, updates: readonly WireRecord[]): number {
  for (const u of updates) {
    if (!isInZone(u.name, zone.apex)) return Rcode.NOTZONE;
    if (u.class === RRClass.IN) {
      if (metaTypes.has(u.type)) return Rcode.FORMERR;
    } else if (u.class === RRClass.ANY) {
      if (u.ttl !== 0 || u.rdata.length !== 0 || (metaTypes.has(u.type) && u.type !== RRType.ANY))
        return Rcode.FORMERR;
    } else if (u.class === RRClass.NONE) {
      if (u.ttl !== 0 || metaTypes.has(u.type)) return Rcode.FORMERR;
    } else return Rcode.FORMERR;
  }
  return Rcode.NOERROR;
}

const toUpdate = (r: WireRecord): UpdateRecord => ({
  name: r.name,
  type: r.type,
  class: r.class,
  ttl: r.ttl,
  rdata: r.rdata,
});

/**
 * Decide an UPDATE message. Updates run one at a time so each sees the snapshot its predecessor
 * produced: `onUpdate` must install the new snapshot (replaceZone) before it resolves.
 */
export async function decideUpdate(
  msg: ParsedMessage,
  session: TsigSession | undefined,
  source: string,
  deps: { table: ZoneTable; onUpdate?: UpdateHandler },
): Promise<number> {
  const zq = msg.questions[0];
  if (msg.questions.length !== 1 || !zq || zq.type !== RRType.SOA) return Rcode.FORMERR;
  const zone = deps.table.getZone(zq.name);
  if (!zone || zone.apex !== zq.name) return Rcode.NOTAUTH;
  // We require TSIG for every update; an unsigned one, or a key scoped elsewhere, is refused.
  if (!session || !keyAllows(session.key, zone.apex) || !deps.onUpdate) return Rcode.REFUSED;
  const pre = checkPrerequisites(zone, msg.answers);
  if (pre !== Rcode.NOERROR) return pre;
  const scan = prescan(zone, msg.authority);
  if (scan !== Rcode.NOERROR) return scan;
  return deps.onUpdate({
    zone: zone.apex,
    keyName: session.key.name,
    source,
    prerequisites: msg.answers.map(toUpdate),
    updates: msg.authority.map(toUpdate),
  });
}
