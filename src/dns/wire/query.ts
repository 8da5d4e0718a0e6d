// The allocation-light query parser of the hot path: header, one question and an optional OPT,
// read straight from the packet into a reused view. Anything unusual is left to parseMessage.
import { EDNS_MAX_PAYLOAD, HEADER_SIZE, Opcode, RRType, UDP_CLASSIC_LIMIT } from './constants.js';

/** One query's fields; a single instance is reused per socket, so never keep a reference to it. */
export interface QueryView {
  id: number;
  flags: number;
  /** Offset just past the question's name (the name starts at 12). */
  nameEnd: number;
  qtype: number;
  qclass: number;
  edns: boolean;
  udpSize: number;
  ednsVersion: number;
  dnssecOk: boolean;
  /** Cache key: lower-case name, type, class, EDNS/DO bits and the reply size limit. */
  key: string;
}

export const createQueryView = (): QueryView => ({
  id: 0,
  flags: 0,
  nameEnd: 0,
  qtype: 0,
  qclass: 0,
  edns: false,
  udpSize: 0,
  ednsVersion: 0,
  dnssecOk: false,
  key: '',
});

/** Reply size limit for UDP: 512 without EDNS, else the advertised size capped at our 1232 (RFC 6891 §6.2.5). */
export const udpLimit = (v: QueryView): number =>
  v.edns ? Math.min(Math.max(v.udpSize, UDP_CLASSIC_LIMIT), EDNS_MAX_PAYLOAD) : UDP_CLASSIC_LIMIT;

/**
 * Fill `v` from a standard query: QUERY opcode, QR=0, one question, no answer/authority records,
 * at most one OPT. Returns false when the packet needs the full parser (which also judges errors).
 * `scratch` holds the key bytes; it must be at least 300 bytes.
 */
export function readQuery(buf: Buffer, v: QueryView, scratch: Buffer, tcp: boolean): boolean {
  const len = buf.length;
  if (len < HEADER_SIZE + 5) return false;
  const flags = (buf[2]! << 8) | buf[3]!;
  if ((flags & 0x8000) !== 0 || ((flags >> 11) & 0xf) !== Opcode.QUERY) return false;
  if (
    buf[4] !== 0 ||
    buf[5] !== 1 ||
    buf[6] !== 0 ||
    buf[7] !== 0 ||
    buf[8] !== 0 ||
    buf[9] !== 0 ||
    buf[10] !== 0
  )
    return false;
  const arcount = buf[11]!;
  if (arcount > 1) return false;
  let p = HEADER_SIZE;
  let k = 0;
  for (;;) {
    const l = buf[p]!;
    if (l === 0) break;
    if (l > 63 || p + l + 1 >= len) return false;
    scratch[k++] = l;
    for (let i = 1; i <= l; i++) {
      const b = buf[p + i]!;
      scratch[k++] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
    }
    p += l + 1;
    if (p - HEADER_SIZE > 254) return false;
  }
  scratch[k++] = 0;
  v.nameEnd = ++p;
  if (p + 4 > len) return false;
  v.qtype = (buf[p]! << 8) | buf[p + 1]!;
  v.qclass = (buf[p + 2]! << 8) | buf[p + 3]!;
  p += 4;
  v.edns = false;
  v.dnssecOk = false;
  v.udpSize = UDP_CLASSIC_LIMIT;
  v.ednsVersion = 0;
  if (arcount === 1) {
    // OPT: root owner, type 41, class = payload size, TTL = ext-rcode|version|DO|Z (RFC 6891 §6.1.2).
    if (p + 11 > len || buf[p] !== 0 || ((buf[p + 1]! << 8) | buf[p + 2]!) !== RRType.OPT)
      return false;
    v.edns = true;
    v.udpSize = (buf[p + 3]! << 8) | buf[p + 4]!;
    v.ednsVersion = buf[p + 6]!;
    v.dnssecOk = (buf[p + 7]! & 0x80) !== 0;
    const rdlen = (buf[p + 9]! << 8) | buf[p + 10]!;
    p += 11;
    // Walk the options only to check the framing; none changes our answer.
    const end = p + rdlen;
    if (end !== len) return false;
    while (p < end) {
      if (p + 4 > end) return false;
      p += 4 + ((buf[p + 2]! << 8) | buf[p + 3]!);
    }
    if (p !== end) return false;
  } else if (p !== len) return false;
  v.id = (buf[0]! << 8) | buf[1]!;
  v.flags = flags;
  const limit = tcp ? 65535 : udpLimit(v);
  scratch[k++] = buf[v.nameEnd]!;
  scratch[k++] = buf[v.nameEnd + 1]!;
  scratch[k++] = buf[v.nameEnd + 2]!;
  scratch[k++] = buf[v.nameEnd + 3]!;
  scratch[k++] =
    (v.edns ? 1 : 0) | (v.dnssecOk ? 2 : 0) | (v.ednsVersion > 0 ? 4 : 0) | (tcp ? 8 : 0);
  scratch[k++] = limit >> 8;
  scratch[k++] = limit & 0xff;
  v.key = scratch.toString('latin1', 0, k);
  return true;
}
