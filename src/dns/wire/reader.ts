// Parsing whole DNS messages (RFC 1035 §4.1) for the slow paths: UPDATE, transfers, TSIG, tests.
// Every bounds problem throws WireError; nothing here can read past the buffer or loop forever.
import { HEADER_SIZE, MAX_NAME_WIRE, RRClass, RRType } from './constants.js';
import { WireError } from './errors.js';
import { wireToName } from './name.js';

export interface WireQuestion {
  /** Canonical lower-case text name. */
  name: string;
  /** The name's wire bytes with the sender's letter case. */
  wire: Uint8Array;
  type: number;
  class: number;
}

export interface WireRecord {
  /** Canonical lower-case owner name. */
  name: string;
  type: number;
  class: number;
  ttl: number;
  /** RDATA with any compression pointers expanded (RFC 3597 §4). */
  rdata: Uint8Array;
}

/** EDNS(0) as sent in the OPT pseudo-RR (RFC 6891 §6.1.2-6.1.3). */
export interface EdnsInfo {
  udpSize: number;
  extRcode: number;
  version: number;
  do: boolean;
  options: { code: number; data: Uint8Array }[];
}

export interface ParsedMessage {
  id: number;
  /** The whole second header word: QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE. */
  flags: number;
  opcode: number;
  rcode: number;
  questions: WireQuestion[];
  answers: WireRecord[];
  authority: WireRecord[];
  /** Additional records without OPT and TSIG, which are lifted out below. */
  additional: WireRecord[];
  edns?: EdnsInfo;
  /** The TSIG record and the offset where it starts, for verification (RFC 8945 §4.3.3). */
  tsig?: { record: WireRecord; offset: number };
}

/** Read a possibly compressed name at `off`: its uncompressed wire bytes and the offset after it. */
export function readNameWire(buf: Uint8Array, off: number): { wire: Uint8Array; next: number } {
  const out: number[] = [];
  let next = -1;
  let pos = off;
  let hops = 0;
  for (;;) {
    const len = buf[pos];
    if (len === undefined) throw new WireError('name runs past the end of the message');
    if ((len & 0xc0) === 0xc0) {
      const lo = buf[pos + 1];
      if (lo === undefined) throw new WireError('truncated compression pointer');
      const target = ((len & 0x3f) << 8) | lo;
      // Pointers must point backwards, which with the hop bound rules out loops (RFC 1035 §4.1.4).
      if (target >= pos || ++hops > 127) throw new WireError('bad compression pointer');
      if (next < 0) next = pos + 2;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new WireError('unknown label type');
    if (pos + len + 1 > buf.length) throw new WireError('label runs past the end of the message');
    out.push(len);
    for (let i = 1; i <= len; i++) out.push(buf[pos + i]!);
    if (out.length > MAX_NAME_WIRE) throw new WireError('name longer than 255 octets');
    pos += len + 1;
    if (len === 0) break;
  }
  return { wire: Uint8Array.from(out), next: next < 0 ? pos : next };
}

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number): number =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

/** Layout of RDATA fields that are names: 'n' a name, a digit that many fixed octets, '*' the rest. */
const rdataLayouts = new Map<number, string>([
  [RRType.NS, 'n'],
  [3, 'n'],
  [4, 'n'],
  [RRType.CNAME, 'n'],
  [7, 'n'],
  [8, 'n'],
  [9, 'n'],
  [RRType.PTR, 'n'],
  [RRType.DNAME, 'n'],
  [RRType.SOA, 'nn*'],
  [RRType.MINFO, 'nn'],
  [RRType.RP, 'nn'],
  [RRType.MX, '2n'],
  [RRType.AFSDB, '2n'],
  [21, '2n'],
  [36, '2n'],
  [26, '2nn'],
  [RRType.SRV, '6n'],
]);

/** RDATA at [off, off+len) with embedded names decompressed; other types are copied as they are. */
export function readRdata(buf: Uint8Array, off: number, len: number, type: number): Uint8Array {
  const end = off + len;
  if (end > buf.length) throw new WireError('RDATA runs past the end of the message');
  const layout = rdataLayouts.get(type);
  if (layout === undefined || len === 0) return buf.slice(off, end);
  const parts: Uint8Array[] = [];
  let pos = off;
  for (const step of layout) {
    if (step === 'n') {
      const { wire, next } = readNameWire(buf, pos);
      if (next > end) throw new WireError('name runs past RDATA');
      parts.push(wire);
      pos = next;
    } else {
      const n = step === '*' ? end - pos : Number(step);
      if (pos + n > end) throw new WireError('RDATA too short');
      parts.push(buf.subarray(pos, pos + n));
      pos += n;
    }
  }
  if (pos !== end) throw new WireError('RDATA length does not match its contents');
  return Buffer.concat(parts);
}

function readRecord(buf: Uint8Array, off: number): { rr: WireRecord; next: number } {
  const { wire, next: afterName } = readNameWire(buf, off);
  if (afterName + 10 > buf.length) throw new WireError('record header runs past the end');
  const type = u16(buf, afterName);
  const klass = u16(buf, afterName + 2);
  const ttl = u32(buf, afterName + 4);
  const rdlen = u16(buf, afterName + 8);
  const rdStart = afterName + 10;
  // OPT and TSIG RDATA are never compressed; keep their bytes exactly for TSIG and option parsing.
  const rdata =
    type === RRType.OPT || type === RRType.TSIG
      ? readRdata(buf, rdStart, rdlen, 0)
      : readRdata(buf, rdStart, rdlen, type);
  return {
    rr: { name: wireToName(wire, 0, true), type, class: klass, ttl, rdata },
    next: rdStart + rdlen,
  };
}

function parseEdns(rr: WireRecord): EdnsInfo {
  if (rr.name !== '.') throw new WireError('OPT owner must be the root');
  const options: EdnsInfo['options'] = [];
  for (let p = 0; p < rr.rdata.length;) {
    if (p + 4 > rr.rdata.length) throw new WireError('truncated EDNS option');
    const code = u16(rr.rdata, p);
    const len = u16(rr.rdata, p + 2);
    if (p + 4 + len > rr.rdata.length) throw new WireError('EDNS option runs past the OPT record');
    options.push({ code, data: rr.rdata.slice(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  return {
    udpSize: Math.max(512, rr.class),
    extRcode: rr.ttl >>> 24,
    version: (rr.ttl >>> 16) & 0xff,
    do: (rr.ttl & 0x8000) !== 0,
    options,
  };
}

/** Parse a complete message. Throws WireError on anything malformed, including trailing garbage. */
export function parseMessage(buf: Uint8Array): ParsedMessage {
  if (buf.length < HEADER_SIZE) throw new WireError('message shorter than its header');
  const flags = u16(buf, 2);
  const counts = [u16(buf, 4), u16(buf, 6), u16(buf, 8), u16(buf, 10)] as const;
  const msg: ParsedMessage = {
    id: u16(buf, 0),
    flags,
    opcode: (flags >> 11) & 0xf,
    rcode: flags & 0xf,
    questions: [],
    answers: [],
    authority: [],
    additional: [],
  };
  let pos = HEADER_SIZE;
  for (let i = 0; i < counts[0]; i++) {
    const { wire, next } = readNameWire(buf, pos);
    if (next + 4 > buf.length) throw new WireError('question runs past the end');
    msg.questions.push({
      name: wireToName(wire, 0, true),
      wire,
      type: u16(buf, next),
      class: u16(buf, next + 2),
    });
    pos = next + 4;
  }
  const sections = [msg.answers, msg.authority, msg.additional];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]!; i++) {
      const start = pos;
      const { rr, next } = readRecord(buf, pos);
      pos = next;
      if (rr.type === RRType.OPT && s === 2) {
        if (msg.edns) throw new WireError('more than one OPT record');
        msg.edns = parseEdns(rr);
      } else if (rr.type === RRType.TSIG) {
        // RFC 8945 §5.1: TSIG must be the last additional record and of class ANY.
        if (s !== 2 || i !== counts[3] - 1 || rr.class !== RRClass.ANY)
          throw new WireError('misplaced TSIG record');
        msg.tsig = { record: rr, offset: start };
      } else if (rr.type === RRType.OPT) {
        throw new WireError('OPT outside the additional section');
      } else sections[s]!.push(rr);
    }
  }
  if (pos !== buf.length) throw new WireError('trailing bytes after the last record');
  return msg;
}
