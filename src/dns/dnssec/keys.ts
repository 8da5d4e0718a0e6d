// DNSSEC key material: generating signing keys with node:crypto, their DNSKEY RDATA (RFC 4034
// §2.1), key tag (RFC 4034 Appendix B), DS digest type 2 (RFC 4509) and the CDS/CDNSKEY RDATA a
// parent can poll (RFC 7344 §3: the same RDATA as DS and DNSKEY). Algorithms: 13, ECDSA P-256
// with SHA-256 (RFC 6605), and 15, Ed25519 (RFC 8080).
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { nameToWire } from '../wire/name.js';

export type DnssecAlgorithm = 13 | 15;
export type KeyRole = 'ksk' | 'zsk';

/** DNSKEY flags (RFC 4034 §2.1.1): Zone Key (256), plus Secure Entry Point (1) for a KSK. */
export const flagsOf = (role: KeyRole): number => (role === 'ksk' ? 257 : 256);

export interface GeneratedKey {
  algorithm: DnssecAlgorithm;
  /** The public key as DNSKEY carries it: X||Y for P-256 (RFC 6605 §4), 32 bytes for Ed25519. */
  publicKey: Uint8Array;
  /** PKCS#8 DER, to be sealed before it is stored. */
  privateKeyDer: Buffer;
}

function publicKeyBytes(algorithm: DnssecAlgorithm, key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  const part = (s: string | undefined) => Buffer.from(s ?? '', 'base64url');
  return algorithm === 13 ? Buffer.concat([part(jwk.x), part(jwk.y)]) : part(jwk.x);
}

/** A fresh key pair for `algorithm`. */
export function generateKey(algorithm: DnssecAlgorithm): GeneratedKey {
  const pair =
    algorithm === 13
      ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      : generateKeyPairSync('ed25519');
  return {
    algorithm,
    publicKey: publicKeyBytes(algorithm, pair.publicKey),
    privateKeyDer: pair.privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

/** DNSKEY RDATA (RFC 4034 §2.1): flags, protocol 3, algorithm, public key. */
export function dnskeyRdata(flags: number, algorithm: number, publicKey: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + publicKey.length);
  out.writeUInt16BE(flags, 0);
  out[2] = 3;
  out[3] = algorithm;
  out.set(publicKey, 4);
  return out;
}

/** The key tag of a DNSKEY RDATA (RFC 4034 Appendix B; algorithm 1 is not supported). */
export function keyTag(rdata: Uint8Array): number {
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i]! : rdata[i]! << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

/** DS RDATA with digest type 2: SHA-256 over owner name | DNSKEY RDATA (RFC 4034 §5.1.4, RFC 4509 §2.1). */
export function dsRdata(owner: string, dnskey: Uint8Array): Buffer {
  const digest = createHash('sha256')
    .update(nameToWire(owner.toLowerCase()))
    .update(dnskey)
    .digest();
  const out = Buffer.alloc(4 + digest.length);
  out.writeUInt16BE(keyTag(dnskey), 0);
  out[2] = dnskey[3]!;
  out[3] = 2;
  out.set(digest, 4);
  return out;
}

/** DS (and CDS) in presentation form: "<tag> <algorithm> 2 <HEX DIGEST>", what registrars ask for. */
export function dsText(rdata: Uint8Array): string {
  const b = Buffer.from(rdata);
  return `${b.readUInt16BE(0)} ${b[2]} ${b[3]} ${b.subarray(4).toString('hex').toUpperCase()}`;
}

/** DNSKEY (and CDNSKEY) in presentation form: "<flags> 3 <algorithm> <base64 key>". */
export function dnskeyText(rdata: Uint8Array): string {
  const b = Buffer.from(rdata);
  return `${b.readUInt16BE(0)} ${b[2]} ${b[3]} ${b.subarray(4).toString('base64')}`;
}

/** A signing function over a stored private key: ECDSA in IEEE P1363 r||s form (RFC 6605 §4). */
export function signerFor(
  algorithm: DnssecAlgorithm,
  privateKeyDer: Buffer,
): (data: Uint8Array) => Buffer {
  const key = createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
  return algorithm === 13
    ? (data) => sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
    : (data) => sign(null, data, key);
}
