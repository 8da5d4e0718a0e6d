// TSIG (RFC 8945): signing and verifying messages with a shared HMAC key, including the
// multi-message form used for TCP zone transfers (§5.3.1).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { RRClass, RRType, Rcode } from './constants.js';
import { WireError } from './errors.js';
import { canonicalName, nameToWire, wireToName } from './name.js';
import { readNameWire, type WireRecord } from './reader.js';

/** A shared secret as the server needs it. `name` and `algorithm` are domain names (trailing dot optional). */
export interface TsigKey {
  name: string;
  algorithm: string;
  secret: Uint8Array;
}

const hashes = new Map<string, string>([
  ['hmac-sha256.', 'sha256'],
  ['hmac-sha384.', 'sha384'],
  ['hmac-sha512.', 'sha512'],
  ['hmac-sha224.', 'sha224'],
  ['hmac-sha1.', 'sha1'],
]);

/** The node:crypto hash behind a TSIG algorithm name, or undefined when unsupported. */
export const tsigHash = (algorithm: string): string | undefined =>
  hashes.get(canonicalName(algorithm));

export interface TsigRdata {
  algorithm: string;
  timeSigned: number;
  fudge: number;
  mac: Uint8Array;
  originalId: number;
  error: number;
  other: Uint8Array;
}

/** Decode TSIG RDATA (§4.2). */
export function parseTsigRdata(rd: Uint8Array): TsigRdata {
  const { wire, next } = readNameWire(rd, 0);
  let p = next;
  const b = Buffer.from(rd.buffer, rd.byteOffset, rd.byteLength);
  if (p + 10 > rd.length) throw new WireError('TSIG RDATA too short');
  const timeSigned = b.readUIntBE(p, 6);
  const fudge = b.readUInt16BE(p + 6);
  const macLen = b.readUInt16BE(p + 8);
  p += 10;
  if (p + macLen + 6 > rd.length) throw new WireError('TSIG MAC runs past RDATA');
  const mac = rd.slice(p, p + macLen);
  p += macLen;
  const originalId = b.readUInt16BE(p);
  const error = b.readUInt16BE(p + 2);
  const otherLen = b.readUInt16BE(p + 4);
  p += 6;
  if (p + otherLen !== rd.length) throw new WireError('TSIG other data length mismatch');
  return {
    algorithm: wireToName(wire, 0, true),
    timeSigned,
    fudge,
    mac,
    originalId,
    error,
    other: rd.slice(p),
  };
}

const u16 = (n: number): Buffer => {
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16BE(n);
  return b;
};
const u48 = (n: number): Buffer => {
  const b = Buffer.allocUnsafe(6);
  b.writeUIntBE(n, 0, 6);
  return b;
};

interface Variables {
  keyName: string;
  algorithm: string;
  timeSigned: number;
  fudge: number;
  error: number;
  other: Uint8Array;
}

/** The data a MAC covers (§4.3.1-4.3.3, §5.3.1 for timers-only). */
function digestInput(
  message: Uint8Array,
  v: Variables,
  priorMac: Uint8Array | undefined,
  timersOnly: boolean,
): Buffer[] {
  const parts: Buffer[] = [];
  if (priorMac) parts.push(u16(priorMac.length), Buffer.from(priorMac));
  parts.push(Buffer.from(message));
  if (timersOnly) {
    parts.push(u48(v.timeSigned), u16(v.fudge));
    return parts;
  }
  parts.push(Buffer.from(nameToWire(canonicalName(v.keyName))), u16(RRClass.ANY), Buffer.alloc(4));
  parts.push(
    Buffer.from(nameToWire(canonicalName(v.algorithm))),
    u48(v.timeSigned),
    u16(v.fudge),
    u16(v.error),
  );
  parts.push(u16(v.other.length), Buffer.from(v.other));
  return parts;
}

function hmac(key: TsigKey, parts: Buffer[]): Buffer {
  const hash = tsigHash(key.algorithm);
  if (!hash) throw new WireError(`unsupported TSIG algorithm ${key.algorithm}`);
  const h = createHmac(hash, key.secret);
  for (const p of parts) h.update(p);
  return h.digest();
}

export interface SignOptions {
  /** Seconds since the epoch. */
  now: number;
  fudge?: number;
  /** The request's MAC when signing a response, or the previous MAC in a multi-message stream. */
  priorMac?: Uint8Array;
  /** A later message of a TCP stream: only the timers are covered (§5.3.1). */
  timersOnly?: boolean;
  error?: number;
  other?: Uint8Array;
  /** Send the TSIG record with an empty MAC (BADKEY/BADSIG replies, §5.3.2). */
  unsigned?: boolean;
}

/** Append a TSIG record to a complete message; returns the signed bytes and the MAC. */
export function signMessage(
  message: Uint8Array,
  key: TsigKey,
  o: SignOptions,
): { bytes: Buffer; mac: Buffer } {
  const v: Variables = {
    keyName: key.name,
    algorithm: key.algorithm,
    timeSigned: o.now,
    fudge: o.fudge ?? 300,
    error: o.error ?? 0,
    other: o.other ?? new Uint8Array(0),
  };
  const mac = o.unsigned
    ? Buffer.alloc(0)
    : hmac(key, digestInput(message, v, o.priorMac, o.timersOnly ?? false));
  const id = (message[0]! << 8) | message[1]!;
  const rdata = Buffer.concat([
    Buffer.from(nameToWire(canonicalName(key.algorithm))),
    u48(v.timeSigned),
    u16(v.fudge),
    u16(mac.length),
    mac,
    u16(id),
    u16(v.error),
    u16(v.other.length),
    Buffer.from(v.other),
  ]);
  const owner = Buffer.from(nameToWire(canonicalName(key.name)));
  const head = Buffer.alloc(10);
  head.writeUInt16BE(RRType.TSIG, 0);
  head.writeUInt16BE(RRClass.ANY, 2);
  head.writeUInt16BE(rdata.length, 8);
  const bytes = Buffer.concat([message, owner, head, rdata]);
  bytes.writeUInt16BE(bytes.readUInt16BE(10) + 1, 10);
  return { bytes, mac };
}

export interface VerifyResult {
  /** 0, or BADSIG / BADKEY / BADTIME / BADTRUNC (or FORMERR for a too-short MAC). */
  error: number;
  tsig: TsigRdata;
  /** The message bytes the MAC covered, without TSIG, as needed for the next digest in a stream. */
}

/**
 * Verify the TSIG of a received message (§5.2). `offset` is where the TSIG record starts; the
 * covered bytes are those before it with ARCOUNT decremented and the original ID restored.
 */
export function verifyMessage(
  message: Uint8Array,
  tsigRecord: WireRecord,
  offset: number,
  key: TsigKey | undefined,
  o: { now: number; priorMac?: Uint8Array; timersOnly?: boolean },
): VerifyResult {
  const tsig = parseTsigRdata(tsigRecord.rdata);
  if (
    !key ||
    canonicalName(key.name) !== tsigRecord.name ||
    canonicalName(key.algorithm) !== tsig.algorithm ||
    !tsigHash(key.algorithm)
  ) {
    return { error: Rcode.BADKEY, tsig };
  }
  const covered = Buffer.from(message.subarray(0, offset));
  covered.writeUInt16BE(tsig.originalId, 0);
  covered.writeUInt16BE(covered.readUInt16BE(10) - 1, 10);
  const v: Variables = {
    keyName: key.name,
    algorithm: key.algorithm,
    timeSigned: tsig.timeSigned,
    fudge: tsig.fudge,
    error: tsig.error,
    other: tsig.other,
  };
  const expected = hmac(key, digestInput(covered, v, o.priorMac, o.timersOnly ?? false));
  // §5.2.2.1: a MAC shorter than half the hash (and 10 octets) is a format error; we accept no truncation.
  if (tsig.mac.length < Math.max(10, expected.length / 2)) return { error: Rcode.FORMERR, tsig };
  if (tsig.mac.length > expected.length) return { error: Rcode.FORMERR, tsig };
  if (tsig.mac.length < expected.length) return { error: Rcode.BADTRUNC, tsig };
  if (!timingSafeEqual(expected, tsig.mac)) return { error: Rcode.BADSIG, tsig };
  // §5.2.3: check time only after the MAC, so an attacker cannot probe our clock.
  if (Math.abs(o.now - tsig.timeSigned) > tsig.fudge) return { error: Rcode.BADTIME, tsig };
  return { error: 0, tsig };
}
