// Octet-level helpers for RDATA: a growable writer, a bounds-checked reader, and domain names in
// wire form (RFC 1035 §3.1) including reading compression pointers (RFC 1035 §4.1.4).
import { ValidationError } from '../core/errors.js';
import { labelOctetsOf, nameFromOctets } from './names.js';

const MAX_POINTER_HOPS = 128;

/** Uncompressed wire form of a name (length-prefixed labels, then the zero octet). */
export function nameToWire(name: string): Uint8Array {
  const labels = labelOctetsOf(name);
  const out = new Uint8Array(labels.reduce((n, l) => n + l.length + 1, 1));
  let at = 0;
  for (const label of labels) {
    out[at++] = label.length;
    out.set(label, at);
    at += label.length;
  }
  return out;
}

const truncated = (what: string): ValidationError =>
  new ValidationError(`Malformed wire data: ${what}`, [what]);

/**
 * Reads a name at `offset` in `buf`, following compression pointers (each must point strictly
 * backwards, which rules out loops). Returns the canonical name and the offset just after the
 * name's first occurrence. Throws ValidationError on anything malformed.
 */
export function readWireName(buf: Uint8Array, offset: number): { name: string; next: number } {
  const labels: Uint8Array[] = [];
  let at = offset;
  let next = -1;
  let wire = 1;
  for (let hops = 0; ;) {
    const len = buf[at];
    if (len === undefined) throw truncated('name runs past the end of the data');
    if (len === 0) break;
    if ((len & 0xc0) === 0xc0) {
      const low = buf[at + 1];
      if (low === undefined) throw truncated('compression pointer is cut short');
      const target = ((len & 0x3f) << 8) | low;
      if (next < 0) next = at + 2;
      if (target >= at || ++hops > MAX_POINTER_HOPS) throw truncated('compression pointer loops');
      at = target;
      continue;
    }
    if (len > 63) throw truncated(`label length ${len} is not a valid label type`);
    if (at + 1 + len > buf.length) throw truncated('label runs past the end of the data');
    wire += len + 1;
    if (wire > 255) throw truncated('name is longer than 255 octets');
    labels.push(buf.subarray(at + 1, at + 1 + len));
    at += len + 1;
  }
  if (next < 0) next = at + 1;
  return { name: nameFromOctets(labels), next };
}

/** Builds RDATA octets field by field. */
export interface ByteWriter {
  u8(v: number): void;
  u16(v: number): void;
  u32(v: number): void;
  bytes(b: Uint8Array): void;
  /** A length-prefixed character-string (RFC 1035 §3.3); throws past 255 octets. */
  charString(b: Uint8Array): void;
  /** An uncompressed name (RFC 3597 §4: no compression in RDATA we emit). */
  name(n: string): void;
  done(): Uint8Array;
}

/** A fresh writer. */
export function byteWriter(): ByteWriter {
  const out: number[] = [];
  return {
    u8: (v) => void out.push(v & 0xff),
    u16: (v) => void out.push((v >>> 8) & 0xff, v & 0xff),
    u32: (v) => void out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff),
    bytes: (b) => void out.push(...b),
    charString: (b) => {
      if (b.length > 255) throw new ValidationError('a character-string is at most 255 octets');
      out.push(b.length, ...b);
    },
    name: (n) => void out.push(...nameToWire(n)),
    done: () => Uint8Array.from(out),
  };
}

/** Reads RDATA octets field by field, never past `end`; every overrun is a ValidationError. */
export interface ByteReader {
  u8(): number;
  u16(): number;
  u32(): number;
  bytes(n: number): Uint8Array;
  /** Everything up to the end of the RDATA. */
  rest(): Uint8Array;
  charString(): Uint8Array;
  name(): string;
  remaining(): number;
  /** Throws unless every octet was consumed. */
  end(): void;
}

/**
 * A reader over `buf[start, end)`. Pass the whole DNS message and the RDATA bounds so that
 * compressed names in RDATA (allowed for the RFC 1035 types) resolve against the message.
 */
export function byteReader(buf: Uint8Array, start = 0, end = buf.length): ByteReader {
  if (start < 0 || end > buf.length || start > end)
    throw truncated('RDATA bounds are outside the data');
  let at = start;
  const take = (n: number): number => {
    if (at + n > end) throw truncated('RDATA is shorter than its fields');
    const from = at;
    at += n;
    return from;
  };
  const byte = (i: number): number => buf[i] ?? 0;
  return {
    u8: () => byte(take(1)),
    u16: () => {
      const i = take(2);
      return (byte(i) << 8) | byte(i + 1);
    },
    u32: () => {
      const i = take(4);
      return ((byte(i) << 24) | (byte(i + 1) << 16) | (byte(i + 2) << 8) | byte(i + 3)) >>> 0;
    },
    bytes: (n) => buf.slice(take(n), at),
    rest: () => buf.slice(take(end - at), end),
    charString: () => {
      const len = byte(take(1));
      return buf.slice(take(len), at);
    },
    name: () => {
      const { name, next } = readWireName(buf.subarray(0, end), at);
      if (next > end) throw truncated('name runs past the RDATA');
      at = next;
      return name;
    },
    remaining: () => end - at,
    end: () => {
      if (at !== end) throw truncated(`${end - at} unexpected octets after the RDATA fields`);
    },
  };
}
