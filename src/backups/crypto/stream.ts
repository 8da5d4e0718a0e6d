// Streaming artifact encryption: AES-256-GCM in authenticated chunks under a per-artifact data key,
// wrapped either by a provider key or, age-style, to an X25519 public key. Format in src/backups/README.md.
import {
  createCipheriv,
  createHash,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { EncryptionDescriptor } from '../types.js';

const magic = Buffer.from('BSTYENC1');
const chunkSize = 256 * 1024;

/** How to encrypt: a provider key (32 bytes, named) or a recipient public key. */
export type EncryptTo =
  { mode: 'aes-256-gcm'; keyId: string; key: Uint8Array } | { mode: 'x25519'; recipient: string };

/** What can decrypt: provider keys by id and/or X25519 identities. */
export interface DecryptKeys {
  providerKeys?: Record<string, Uint8Array>;
  identities?: string[];
}

const recipientPrefix = 'bestiary-x25519:';
const identityPrefix = 'BESTIARY-X25519-SECRET:';

/** A new X25519 key pair in text form: publish `recipient`, keep `identity` offline. */
export function generateRecipientKeyPair(): { recipient: string; identity: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const pub = publicKey.export({ format: 'jwk' }).x as string;
  const priv = privateKey.export({ format: 'jwk' }).d as string;
  return { recipient: recipientPrefix + pub, identity: identityPrefix + priv + '.' + pub };
}

function publicFromRecipient(recipient: string): { key: KeyObject; raw: Buffer } {
  if (!recipient.startsWith(recipientPrefix)) throw new Error('not a bestiary-x25519 recipient');
  const x = recipient.slice(recipientPrefix.length);
  return {
    key: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x }, format: 'jwk' }),
    raw: Buffer.from(x, 'base64url'),
  };
}

const wrapKeyFromShared = (shared: Buffer, eph: Buffer, rcpt: Buffer): Buffer =>
  Buffer.from(hkdfSync('sha256', shared, Buffer.concat([eph, rcpt]), 'bestiary-backup-v1', 32));

function gcm(key: Uint8Array, nonce: Buffer, aad: Buffer, data: Buffer): Buffer {
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad);
  return Buffer.concat([c.update(data), c.final(), c.getAuthTag()]);
}

function buildHeader(to: EncryptTo, dek: Buffer): Buffer {
  const wrapNonce = randomBytes(12);
  if (to.mode === 'aes-256-gcm') {
    if (to.key.length !== 32) throw new Error('provider key must be 32 bytes');
    const id = Buffer.from(to.keyId, 'utf8');
    const prefix = Buffer.concat([magic, Buffer.from([1, id.length]), id]);
    return Buffer.concat([prefix, wrapNonce, gcm(to.key, wrapNonce, prefix, dek)]);
  }
  const rcpt = publicFromRecipient(to.recipient);
  const eph = generateKeyPairSync('x25519');
  const ephRaw = Buffer.from(eph.publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: rcpt.key });
  const prefix = Buffer.concat([magic, Buffer.from([2]), ephRaw, rcpt.raw]);
  const kek = wrapKeyFromShared(shared, ephRaw, rcpt.raw);
  return Buffer.concat([prefix, wrapNonce, gcm(kek, wrapNonce, prefix, dek)]);
}

const chunkNonce = (n: bigint): Buffer => {
  const b = Buffer.alloc(12);
  b.writeBigUInt64BE(n, 4);
  return b;
};
const chunkAad = (headerHash: Buffer, n: bigint, len: number, final: boolean): Buffer => {
  const b = Buffer.alloc(32 + 8 + 4 + 1);
  headerHash.copy(b, 0);
  b.writeBigUInt64BE(n, 32);
  b.writeUInt32BE(len, 40);
  b[44] = final ? 1 : 0;
  return b;
};

export const describeEncryption = (to: EncryptTo): EncryptionDescriptor =>
  to.mode === 'aes-256-gcm'
    ? { mode: 'aes-256-gcm', keyId: to.keyId }
    : { mode: 'x25519', recipient: to.recipient };

/** A transform that encrypts its input into the chunked format. */
export function createEncryptStream(to: EncryptTo): Transform {
  const dek = randomBytes(32);
  const header = buildHeader(to, dek);
  const headerHash = createHash('sha256').update(header).digest();
  let counter = 0n;
  let buf = Buffer.allocUnsafe(chunkSize);
  let fill = 0;
  let headerSent = false;
  const seal = (final: boolean): Buffer => {
    const plain = buf.subarray(0, fill);
    const lenFlag = Buffer.alloc(5);
    lenFlag.writeUInt32BE(fill, 0);
    lenFlag[4] = final ? 1 : 0;
    const body = gcm(dek, chunkNonce(counter), chunkAad(headerHash, counter, fill, final), plain);
    counter++;
    fill = 0;
    buf = Buffer.allocUnsafe(chunkSize);
    return Buffer.concat([lenFlag, body]);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      if (!headerSent) {
        this.push(header);
        headerSent = true;
      }
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(chunkSize - fill, chunk.length - off);
        chunk.copy(buf, fill, off, off + n);
        fill += n;
        off += n;
        if (fill === chunkSize) this.push(seal(false));
      }
      cb();
    },
    flush(cb: TransformCallback) {
      if (!headerSent) this.push(header);
      this.push(seal(true));
      cb();
    },
  });
}
