// NSEC3 (RFC 5155) as RFC 9276 §3.1 asks: SHA-1, no extra iterations, empty salt, no opt-out.
// The hash (§5), base32hex owner labels (RFC 4648 §7), type bitmaps (RFC 4034 §4.1.2) and the
// RDATA of NSEC3 (§3.2) and NSEC3PARAM (§4.2).
import { createHash } from 'node:crypto';
import { nameToWire } from '../wire/name.js';

export const NSEC3_SHA1 = 1;

export interface Nsec3Params {
  iterations: number;
  salt: Uint8Array;
}

/** RFC 9276: 0 extra iterations, no salt. */
export const defaultNsec3Params: Nsec3Params = { iterations: 0, salt: new Uint8Array(0) };

/** IH(salt, x, k) of RFC 5155 §5 over the canonical wire form of `name`. */
export function nsec3Hash(name: string, p: Nsec3Params): Buffer {
  let h = createHash('sha1').update(nameToWire(name.toLowerCase())).update(p.salt).digest();
  for (let i = 0; i < p.iterations; i++) h = createHash('sha1').update(h).update(p.salt).digest();
  return h;
}

const alphabet = '0123456789abcdefghijklmnopqrstuv';

/** Base32hex without padding, lower case (RFC 4648 §7, RFC 5155 §3.3); keeps byte order. */
export function base32hex(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** Type Bit Maps field (RFC 4034 §4.1.2): windows of up to 32 octets, in type order. */
export function typeBitmap(types: Iterable<number>): Buffer {
  const sorted = [...new Set(types)].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  for (let i = 0; i < sorted.length;) {
    const win = sorted[i]! >> 8;
    const bits = Buffer.alloc(32);
    let len = 0;
    for (; i < sorted.length && sorted[i]! >> 8 === win; i++) {
      const low = sorted[i]! & 0xff;
      bits[low >> 3]! |= 0x80 >> (low & 7);
      len = (low >> 3) + 1;
    }
    parts.push(Buffer.from([win, len]), bits.subarray(0, len));
  }
  return Buffer.concat(parts);
}

/** NSEC3 RDATA (RFC 5155 §3.2): hash algorithm, flags (no opt-out), iterations, salt, next hash, bitmap. */
export function nsec3Rdata(p: Nsec3Params, nextHash: Uint8Array, bitmap: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head[0] = NSEC3_SHA1;
  head[1] = 0;
  head.writeUInt16BE(p.iterations, 2);
  head[4] = p.salt.length;
  return Buffer.concat([head, p.salt, Buffer.from([nextHash.length]), nextHash, bitmap]);
}

/** NSEC3PARAM RDATA (RFC 5155 §4.2); flags are 0 (§4.1.2). */
export function nsec3paramRdata(p: Nsec3Params): Buffer {
  const head = Buffer.alloc(5);
  head[0] = NSEC3_SHA1;
  head.writeUInt16BE(p.iterations, 2);
  head[4] = p.salt.length;
  return Buffer.concat([head, p.salt]);
}

export interface ChainLink {
  /** Lower-case base32hex hash, the first label of the NSEC3 owner. */
  hash: string;
  raw: Buffer;
  types: number[];
}

/** The NSEC3 chain of a zone: one link per owner name, sorted by hash, each pointing to the next. */
export function buildChain(
  names: ReadonlyMap<string, readonly number[]>,
  p: Nsec3Params,
): { link: ChainLink; next: Buffer }[] {
  const links = [...names].map(([name, types]) => {
    const raw = nsec3Hash(name, p);
    return { hash: base32hex(raw), raw, types: [...types] };
  });
  links.sort((a, b) => Buffer.compare(a.raw, b.raw));
  return links.map((link, i) => ({ link, next: links[(i + 1) % links.length]!.raw }));
}
