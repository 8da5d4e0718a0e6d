// Replies not worth caching, built straight from the query bytes: NXDOMAIN (the zone's SOA after
// the question, its owner a pointer into the question) and REFUSED. Random-name floods then
// cost no encoding and cannot push useful answers out of the cache.
import { EDNS_MAX_PAYLOAD, Rcode, RRClass, RRType } from '../wire/constants.js';
import type { QueryView } from '../wire/query.js';
import type { Answer } from './answer.js';
import type { IndexedZone } from './zone-index.js';

/** The SOA record of a negative answer after its owner name: type, class, TTL, RDATA (RFC 2308 §3). */
export function soaTail(zone: IndexedZone): Buffer {
  const rdata = zone.soa.rdata[0]!;
  const out = Buffer.alloc(10 + rdata.length);
  out.writeUInt16BE(RRType.SOA, 0);
  out.writeUInt16BE(RRClass.IN, 2);
  out.writeUInt32BE(zone.negativeTtl >>> 0, 4);
  out.writeUInt16BE(rdata.length, 8);
  out.set(rdata, 10);
  return out;
}

function skeleton(msg: Buffer, v: QueryView, rcode: number, aa: boolean, extra: number): Buffer {
  const qEnd = v.nameEnd + 4;
  const out = Buffer.allocUnsafe(qEnd + extra + (v.edns ? 11 : 0));
  msg.copy(out, 0, 0, qEnd);
  out[2] = 0x80 | (aa ? 0x04 : 0) | (msg[2]! & 0x01);
  out[3] = (msg[3]! & 0x10) | rcode;
  out[4] = 0;
  out[5] = 1;
  out.fill(0, 6, 12);
  if (v.edns) {
    out[11] = 1;
    const p = out.length - 11;
    out[p] = 0;
    out.writeUInt16BE(RRType.OPT, p + 1);
    out.writeUInt16BE(EDNS_MAX_PAYLOAD, p + 3);
    out.writeUInt32BE(v.dnssecOk ? 0x8000 : 0, p + 5);
    out.writeUInt16BE(0, p + 9);
  }
  return out;
}

/** A ready reply for a plain NXDOMAIN or REFUSED answer, or null when the answer needs encoding. */
export function negativeReply(
  msg: Buffer,
  v: QueryView,
  ans: Answer,
  tail: (z: IndexedZone) => Buffer,
): Buffer | null {
  if (ans.rcode === Rcode.REFUSED && ans.zones.length === 0)
    return skeleton(msg, v, Rcode.REFUSED, false, 0);
  if (
    ans.kind !== 'nxdomain' ||
    ans.answer.length !== 0 ||
    ans.authority.length !== 1 ||
    ans.zones.length !== 1
  )
    return null;
  const zone = ans.zones[0]!;
  const t = tail(zone);
  const out = skeleton(msg, v, Rcode.NXDOMAIN, true, 2 + t.length);
  out[9] = 1; // NSCOUNT
  // The apex is a suffix of the question name, so the SOA owner is a pointer into it.
  const apexLen = ans.authority[0]!.rrset.owner.length;
  const at = v.nameEnd - apexLen;
  const q = v.nameEnd + 4;
  out.writeUInt16BE(0xc000 | at, q);
  t.copy(out, q + 2);
  return out;
}
