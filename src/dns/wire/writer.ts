// Building DNS messages with name compression (RFC 1035 §4.1.4) and a size limit that truncates
// the way RFC 2181 §9 and RFC 9471 ask: whole RRsets or nothing, TC=1 when required data is cut.
import { COMPRESSIBLE_RDATA, Flag, HEADER_SIZE, RRType } from './constants.js';
import { WireError } from './errors.js';
import { nameToWire } from './name.js';

/** A record ready to encode: owner as uncompressed wire bytes, RDATA uncompressed. */
export interface OutRecord {
  owner: Uint8Array;
  type: number;
  class: number;
  ttl: number;
  rdata: Uint8Array;
  /** Additional-section data that must not be silently dropped (in-domain glue, RFC 9471). */
  required?: boolean;
}

export interface OutQuestion {
  /** The name with the client's letter case; compression keys use its lower-case form. */
  wire: Uint8Array;
  type: number;
  class: number;
}

export interface OutOpt {
  udpSize: number;
  extRcode: number;
  version: number;
  do: boolean;
}

export interface OutMessage {
  id: number;
  /** Second header word without the RCODE's low bits mixed in: they come from `rcode`. */
  flags: number;
  rcode: number;
  question?: OutQuestion;
  answer: readonly OutRecord[];
  authority: readonly OutRecord[];
  additional: readonly OutRecord[];
  opt?: OutOpt;
  /** Extra RRs appended verbatim after everything else (a TSIG record is added by tsig.ts instead). */
}

const OPT_SIZE = 11;

/** A growable-free writer over one scratch buffer; compression keys are lower-case name suffixes. */
export interface Writer {
  buf: Buffer;
  pos: number;
  dict: Map<string, number>;
}

export const createWriter = (size = 65535): Writer => ({
  buf: Buffer.allocUnsafe(size),
  pos: 0,
  dict: new Map(),
});

/** The compression key of a whole name: its bytes as latin1 text, ASCII letters lower-cased. */
function lowerKey(wire: Uint8Array): string {
  const b = Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength);
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c >= 0x41 && c <= 0x5a) {
      let s = '';
      for (let j = 0; j < b.length; j++) {
        const d = b[j]!;
        s += String.fromCharCode(d >= 0x41 && d <= 0x5a ? d + 0x20 : d);
      }
      return s;
    }
  }
  return b.toString('latin1');
}

function need(w: Writer, n: number): void {
  if (w.pos + n > w.buf.length) throw new WireError('message too large');
}

/** Write a name, reusing an earlier suffix where one matches; records new suffixes in `added`. */
export function writeName(w: Writer, wire: Uint8Array, added?: string[]): void {
  let p = 0;
  // One key for the whole name; each suffix's key is a slice of it (one latin1 char per byte).
  const full = lowerKey(wire);
  while (p < wire.length) {
    const len = wire[p]!;
    if (len === 0) {
      need(w, 1);
      w.buf[w.pos++] = 0;
      return;
    }
    const key = p === 0 ? full : full.slice(p);
    const at = w.dict.get(key);
    if (at !== undefined) {
      need(w, 2);
      w.buf[w.pos++] = 0xc0 | (at >> 8);
      w.buf[w.pos++] = at & 0xff;
      return;
    }
    if (w.pos < 0x4000) {
      w.dict.set(key, w.pos);
      added?.push(key);
    }
    need(w, len + 1);
    for (let i = 0; i <= len; i++) w.buf[w.pos + i] = wire[p + i]!;
    w.pos += len + 1;
    p += len + 1;
  }
  throw new WireError('unterminated name');
}

const nameEnd = (b: Uint8Array, off: number): number => {
  while (b[off] !== 0) {
    if (b[off] === undefined) throw new WireError('bad name in RDATA');
    off += b[off]! + 1;
  }
  return off + 1;
};

function writeRdata(w: Writer, rr: OutRecord, added: string[]): void {
  const r = rr.rdata;
  if (!COMPRESSIBLE_RDATA.has(rr.type) || r.length === 0) {
    need(w, r.length);
    w.buf.set(r, w.pos);
    w.pos += r.length;
    return;
  }
  let p = 0;
  if (rr.type === RRType.MX) {
    need(w, 2);
    w.buf[w.pos++] = r[0]!;
    w.buf[w.pos++] = r[1]!;
    p = 2;
  }
  const names = rr.type === RRType.SOA ? 2 : 1;
  for (let i = 0; i < names; i++) {
    const e = nameEnd(r, p);
    writeName(w, r.subarray(p, e), added);
    p = e;
  }
  need(w, r.length - p);
  w.buf.set(r.subarray(p), w.pos);
  w.pos += r.length - p;
}

/** Append one record; false (and nothing written) when it would pass `limit`. */
export function writeRecord(w: Writer, rr: OutRecord, limit: number): boolean {
  const start = w.pos;
  const added: string[] = [];
  try {
    writeName(w, rr.owner, added);
    need(w, 10);
    const b = w.buf;
    b.writeUInt16BE(rr.type, w.pos);
    b.writeUInt16BE(rr.class, w.pos + 2);
    b.writeUInt32BE(rr.ttl >>> 0, w.pos + 4);
    const rdlenAt = w.pos + 8;
    w.pos += 10;
    writeRdata(w, rr, added);
    b.writeUInt16BE(w.pos - rdlenAt - 2, rdlenAt);
    if (w.pos <= limit) return true;
  } catch (e) {
    if (!(e instanceof WireError) || w.pos <= limit) throw e;
  }
  for (const k of added) w.dict.delete(k);
  w.pos = start;
  return false;
}

function writeOpt(w: Writer, opt: OutOpt): void {
  const b = w.buf;
  b[w.pos] = 0;
  b.writeUInt16BE(RRType.OPT, w.pos + 1);
  b.writeUInt16BE(opt.udpSize, w.pos + 3);
  b[w.pos + 5] = opt.extRcode;
  b[w.pos + 6] = opt.version;
  b.writeUInt16BE(opt.do ? 0x8000 : 0, w.pos + 7);
  b.writeUInt16BE(0, w.pos + 9);
  w.pos += OPT_SIZE;
}

/**
 * Encode `m` into `w` within `limit` bytes and return a copy. If the answer or authority section
 * does not fit, the reply carries only the question with TC=1; additional records that do not fit
 * are left out, with TC=1 only when one of them was required.
 */
export function encodeMessage(m: OutMessage, limit = 65535, w: Writer = createWriter()): Buffer {
  const room = limit - (m.opt ? OPT_SIZE : 0);
  let tc = false;
  const counts = [0, 0, 0];
  const head = (): void => {
    w.pos = HEADER_SIZE;
    w.dict.clear();
    if (m.question) {
      writeName(w, m.question.wire);
      need(w, 4);
      w.buf.writeUInt16BE(m.question.type, w.pos);
      w.buf.writeUInt16BE(m.question.class, w.pos + 2);
      w.pos += 4;
    }
  };
  head();
  const main = [m.answer, m.authority];
  outer: for (let s = 0; s < 2; s++) {
    for (const rr of main[s]!) {
      if (!writeRecord(w, rr, room)) {
        tc = true;
        counts[0] = counts[1] = 0;
        head();
        break outer;
      }
      counts[s]!++;
    }
  }
  if (!tc) {
    for (const rr of m.additional) {
      if (writeRecord(w, rr, room)) counts[2]!++;
      else if (rr.required) tc = true;
    }
  }
  if (m.opt) {
    writeOpt(w, m.opt);
    counts[2]!++;
  }
  const b = w.buf;
  b.writeUInt16BE(m.id, 0);
  b.writeUInt16BE((m.flags & ~0x020f) | (tc ? Flag.TC : 0) | (m.rcode & 0xf), 2);
  b.writeUInt16BE(m.question ? 1 : 0, 4);
  b.writeUInt16BE(counts[0]!, 6);
  b.writeUInt16BE(counts[1]!, 8);
  b.writeUInt16BE(counts[2]!, 10);
  return Buffer.from(b.subarray(0, w.pos));
}

/** A query: one question (class IN), no records, EDNS when `opt` is given. */
export function encodeQuery(q: {
  id: number;
  name: string;
  type: number;
  flags?: number;
  opt?: OutOpt | undefined;
}): Buffer {
  return encodeMessage({
    id: q.id,
    flags: q.flags ?? 0,
    rcode: 0,
    question: { wire: nameToWire(q.name), type: q.type, class: 1 },
    answer: [],
    authority: [],
    additional: [],
    ...(q.opt ? { opt: q.opt } : {}),
  });
}
