// Octet-level helpers for RDATA: a growable writer, a bounds-checked reader, and domain names in
// wire form (RFC 1035 §3.1) including reading compression pointers (RFC 1035 §4.1.4).
import { ValidationError } from '../core/errors.js';
import { labelOctetsOf, nameFromOctets } from './names.js';

const MAX_POINTER_HOPS = 128;

/** Uncompressed wire form of a name (length-prefixed labels, then the zero octet). */
export function nameToWire(name: string): Uint8Array {
  if (/^(?:[a-z0-9_*-]{1,63}\.)+$/.test(name) && name.length < 255) {
    // Plain canonical names (the common case): each dot becomes the next label's length.
    const out = new Uint8Array(name.length + 1);
    let lengthAt = 0;
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c === 0x2e) {
        out[lengthAt] = i - lengthAt;
        lengthAt = i + 1;
      } else out[i + 1] = c;
    }
    return out;
  }
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

/**
 * Builds RDATA octets field by field. (A small class rather than a closure-built object: the
 * writer is made once per record on hot paths, and methods on a prototype cost nothing per call.)
 */
export class ByteWriter {
  private buf = new Uint8Array(64);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    bigger.set(this.buf.subarray(0, this.at));
    this.buf = bigger;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.at++] = v & 0xff;
  }

  u16(v: number): void {
    this.u8(v >>> 8);
    this.u8(v);
  }

  u32(v: number): void {
    this.u16(v >>> 16);
    this.u16(v);
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  /** A length-prefixed character-string (RFC 1035 §3.3); throws past 255 octets. */
  charString(b: Uint8Array): void {
    if (b.length > 255) throw new ValidationError('a character-string is at most 255 octets');
    this.u8(b.length);
    this.bytes(b);
  }

  /** An uncompressed name (RFC 3597 §4: no compression in RDATA we emit). */
  name(n: string): void {
    this.bytes(nameToWire(n));
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.at);
  }
}

/** A fresh writer. */
export const byteWriter = (): ByteWriter => new ByteWriter();

/** Reads RDATA octets field by field, never past `end`; every overrun is a ValidationError. */
export class ByteReader {
  private at: number;

  constructor(
    private readonly buf: Uint8Array,
    start: number,
    private readonly end_: number,
  ) {
    if (start < 0 || end_ > buf.length || start > end_) {
      throw truncated('RDATA bounds are outside the data');
    }
    this.at = start;
  }

  private take(n: number): number {
    if (this.at + n > this.end_) throw truncated('RDATA is shorter than its fields');
    const from = this.at;
    this.at += n;
    return from;
  }

  u8(): number {
    return this.buf[this.take(1)] ?? 0;
  }

  u16(): number {
    const i = this.take(2);
    return ((this.buf[i] ?? 0) << 8) | (this.buf[i + 1] ?? 0);
  }

  u32(): number {
    return ((this.u16() << 16) | this.u16()) >>> 0;
  }

  bytes(n: number): Uint8Array {
    const i = this.take(n);
    return this.buf.slice(i, i + n);
  }

  /** Everything up to the end of the RDATA. */
  rest(): Uint8Array {
    return this.bytes(this.end_ - this.at);
  }

  charString(): Uint8Array {
    return this.bytes(this.u8());
  }

  /** A name, following compression pointers into the rest of the message. */
  name(): string {
    const { name, next } = readWireName(this.buf.subarray(0, this.end_), this.at);
    if (next > this.end_) throw truncated('name runs past the RDATA');
    this.at = next;
    return name;
  }

  remaining(): number {
    return this.end_ - this.at;
  }

  /** Throws unless every octet was consumed. */
  end(): void {
    if (this.at !== this.end_)
      throw truncated(`${this.end_ - this.at} unexpected octets after the RDATA fields`);
  }
}

/**
 * A reader over `buf[start, end)`. Pass the whole DNS message and the RDATA bounds so that
 * compressed names in RDATA (allowed for the RFC 1035 types) resolve against the message.
 */
export const byteReader = (buf: Uint8Array, start = 0, end = buf.length): ByteReader =>
  new ByteReader(buf, start, end);
