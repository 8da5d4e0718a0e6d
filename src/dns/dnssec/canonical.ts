// Canonical form and order (RFC 4034 §6) and RRSIG RDATA (RFC 4034 §3.1): what a signature
// covers is the RRSIG RDATA without its signature, then each RR of the set in canonical form,
// sorted by RDATA as left-justified unsigned octet sequences (§6.3).
import { RRType } from '../wire/constants.js';
import { labelCount, nameToWire } from '../wire/name.js';

/** Offsets of embedded names that are lower-cased in canonical form (RFC 4034 §6.2, RFC 6840 §5.1). */
const nameAt = new Map<number, number>([
  [RRType.NS, 0],
  [RRType.CNAME, 0],
  [RRType.DNAME, 0],
  [RRType.PTR, 0],
  [RRType.MX, 2],
  [RRType.SRV, 6],
]);

/** Lower-case the name at `off` in place; returns the offset after it. Length octets are < 0x41. */
function lowerName(b: Buffer, off: number): number {
  while (off < b.length && b[off] !== 0) {
    const end = off + 1 + b[off]!;
    for (let i = off + 1; i < end && i < b.length; i++) {
      const c = b[i]!;
      if (c >= 0x41 && c <= 0x5a) b[i] = c + 0x20;
    }
    off = end;
  }
  return off + 1;
}

/** The RDATA of a record in canonical form (names lower-cased for the types that have them). */
export function canonicalRdata(type: number, rdata: Uint8Array): Buffer {
  const b = Buffer.from(rdata);
  if (type === RRType.SOA) lowerName(b, lowerName(b, 0));
  else {
    const off = nameAt.get(type);
    if (off !== undefined) lowerName(b, off);
  }
  return b;
}

/** Compare two RDATA in canonical order (RFC 4034 §6.3). */
export const compareRdata = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);

/** Compare two names in canonical order (RFC 4034 §6.1): label by label from the right. */
export function compareNames(a: string, b: string): number {
  const la = labelsOf(a);
  const lb = labelsOf(b);
  for (let i = 1; i <= Math.min(la.length, lb.length); i++) {
    const c = Buffer.compare(la[la.length - i]!, lb[lb.length - i]!);
    if (c !== 0) return c;
  }
  return la.length - lb.length;
}

function labelsOf(name: string): Buffer[] {
  const wire = nameToWire(name.toLowerCase());
  const out: Buffer[] = [];
  for (let p = 0; wire[p] !== 0; p += wire[p]! + 1)
    out.push(Buffer.from(wire.subarray(p + 1, p + 1 + wire[p]!)));
  return out;
}

export interface RrsigFields {
  typeCovered: number;
  algorithm: number;
  /** Owner name of the RRset (a wildcard keeps its "*" label, which the labels field leaves out). */
  owner: string;
  originalTtl: number;
  /** Seconds since the epoch (RFC 4034 §3.1.5; serial arithmetic past 2106 is not our problem). */
  expiration: number;
  inception: number;
  keyTag: number;
  signer: string;
}

/** RRSIG RDATA up to, not including, the signature (RFC 4034 §3.1). */
export function rrsigHead(f: RrsigFields): Buffer {
  const signer = nameToWire(f.signer.toLowerCase());
  const out = Buffer.alloc(18 + signer.length);
  out.writeUInt16BE(f.typeCovered, 0);
  out[2] = f.algorithm;
  // §3.1.3: labels of the owner, not counting the root or a leading wildcard label.
  out[3] = labelCount(f.owner) - (f.owner.startsWith('*.') ? 1 : 0);
  out.writeUInt32BE(f.originalTtl >>> 0, 4);
  out.writeUInt32BE(f.expiration >>> 0, 8);
  out.writeUInt32BE(f.inception >>> 0, 12);
  out.writeUInt16BE(f.keyTag, 16);
  out.set(signer, 18);
  return out;
}

/** The RRs of a set as a signature covers them (RFC 4034 §3.1.8.1), sorted and de-duplicated. */
export function canonicalRrset(
  owner: string,
  type: number,
  ttl: number,
  rdatas: readonly Uint8Array[],
): Buffer {
  const name = nameToWire(owner.toLowerCase());
  const sorted = rdatas.map((r) => canonicalRdata(type, r)).sort(compareRdata);
  const parts: Buffer[] = [];
  let last: Buffer | undefined;
  for (const r of sorted) {
    if (last && last.equals(r)) continue;
    last = r;
    const head = Buffer.alloc(10);
    head.writeUInt16BE(type, 0);
    head.writeUInt16BE(1, 2);
    head.writeUInt32BE(ttl >>> 0, 4);
    head.writeUInt16BE(r.length, 8);
    parts.push(Buffer.from(name), head, r);
  }
  return Buffer.concat(parts);
}
