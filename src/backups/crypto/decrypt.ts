// Streaming decryption of the chunked artifact format; fails on any altered, reordered or missing chunk.
import {
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { DecryptKeys } from './stream.js';

const magic = Buffer.from('BSTYENC1');
const tagLen = 16;
const maxChunk = 16 * 1024 * 1024;

function open(key: Uint8Array, nonce: Buffer, aad: Buffer, sealed: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, nonce);
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(sealed.length - tagLen));
  return Buffer.concat([d.update(sealed.subarray(0, sealed.length - tagLen)), d.final()]);
}

function x25519Kek(identity: string, eph: Buffer, rcpt: Buffer): Buffer {
  const [d, x] = identity.slice(identity.indexOf(':') + 1).split('.');
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d, x }, format: 'jwk' });
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: eph.toString('base64url') },
    format: 'jwk',
  });
  const shared = diffieHellman({ privateKey, publicKey });
  const salt = Buffer.concat([eph, rcpt]);
  return Buffer.from(hkdfSync('sha256', shared, salt, 'bestiary-backup-v1', 32));
}

/** Parse the header at the start of `buf`; null when more bytes are needed. */
function parseHeader(buf: Buffer, keys: DecryptKeys): { dek: Buffer; length: number } | null {
  if (buf.length < 10) return null;
  if (!buf.subarray(0, 8).equals(magic)) throw new Error('not a Bestiary encrypted artifact');
  const mode = buf[8];
  if (mode === 1) {
    const idLen = buf[9] ?? 0;
    const length = 10 + idLen + 12 + 48;
    if (buf.length < length) return null;
    const keyId = buf.subarray(10, 10 + idLen).toString('utf8');
    const key = keys.providerKeys?.[keyId];
    if (!key) throw new Error(`no provider key "${keyId}" to decrypt this artifact`);
    const prefix = buf.subarray(0, 10 + idLen);
    const nonce = buf.subarray(10 + idLen, 22 + idLen);
    return { dek: open(key, nonce, prefix, buf.subarray(22 + idLen, length)), length };
  }
  if (mode === 2) {
    const length = 9 + 64 + 12 + 48;
    if (buf.length < length) return null;
    const eph = buf.subarray(9, 41);
    const rcpt = buf.subarray(41, 73);
    const suffix = '.' + rcpt.toString('base64url');
    const identity = (keys.identities ?? []).find((i) => i.endsWith(suffix));
    if (!identity) throw new Error('no identity for this artifact recipient');
    const kek = x25519Kek(identity, eph, rcpt);
    const prefix = buf.subarray(0, 73);
    return { dek: open(kek, buf.subarray(73, 85), prefix, buf.subarray(85, length)), length };
  }
  throw new Error(`unknown encryption mode ${mode}`);
}

/**
 * A transform that authenticates and decrypts chunk by chunk. It errors on a bad tag (bit rot),
 * on bytes after the final chunk, and at end of input before the final chunk (truncation).
 */
export function createDecryptStream(keys: DecryptKeys): Transform {
  let pending: Buffer = Buffer.alloc(0);
  let dek: Buffer | null = null;
  let headerHash: Buffer | null = null;
  let counter = 0n;
  let finished = false;
  const drain = (t: Transform): void => {
    if (!dek) {
      const h = parseHeader(pending, keys);
      if (!h) return;
      dek = h.dek;
      headerHash = createHash('sha256').update(pending.subarray(0, h.length)).digest();
      pending = pending.subarray(h.length);
    }
    while (pending.length >= 5) {
      if (finished) throw new Error('data after the final chunk');
      const len = pending.readUInt32BE(0);
      const final = pending[4] === 1;
      if (len > maxChunk) throw new Error('corrupt chunk length');
      if (pending.length < 5 + len + tagLen) return;
      const aad = Buffer.alloc(45);
      (headerHash as Buffer).copy(aad, 0);
      aad.writeBigUInt64BE(counter, 32);
      aad.writeUInt32BE(len, 40);
      aad[44] = final ? 1 : 0;
      const nonce = Buffer.alloc(12);
      nonce.writeBigUInt64BE(counter, 4);
      const sealed = pending.subarray(5, 5 + len + tagLen);
      try {
        t.push(open(dek, nonce, aad, sealed));
      } catch {
        throw new Error(`chunk ${counter} failed authentication (corrupted artifact)`);
      }
      counter++;
      finished = final;
      pending = pending.subarray(5 + len + tagLen);
    }
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      try {
        drain(this);
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb: TransformCallback) {
      if (!finished || pending.length > 0)
        cb(new Error('artifact is truncated: the final encrypted chunk is missing'));
      else cb();
    },
  });
}
