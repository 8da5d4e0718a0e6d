// The chunked artifact encryption round-trips and rejects bit flips, truncation and wrong keys.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { createDecryptStream } from './decrypt.js';
import {
  createEncryptStream,
  generateRecipientKeyPair,
  type DecryptKeys,
  type EncryptTo,
} from './stream.js';

const key = randomBytes(32);
const aes: EncryptTo = { mode: 'aes-256-gcm', keyId: 'k1', key };
const keys: DecryptKeys = { providerKeys: { k1: key } };

const encrypt = (data: Buffer, to: EncryptTo = aes) =>
  buffer(Readable.from([data]).pipe(createEncryptStream(to)));
const decrypt = (data: Buffer, k: DecryptKeys = keys) =>
  buffer(Readable.from([data]).pipe(createDecryptStream(k)));

describe('artifact encryption', () => {
  it('round-trips empty, small and multi-chunk data with a provider key', async () => {
    for (const size of [0, 1, 256 * 1024, 600_000]) {
      const data = randomBytes(size);
      expect((await decrypt(await encrypt(data))).equals(data)).toBe(true);
    }
  });

  it('round-trips to an X25519 recipient and needs the matching identity', async () => {
    const pair = generateRecipientKeyPair();
    const sealed = await encrypt(Buffer.from('hello'), {
      mode: 'x25519',
      recipient: pair.recipient,
    });
    expect((await decrypt(sealed, { identities: [pair.identity] })).toString()).toBe('hello');
    await expect(
      decrypt(sealed, { identities: [generateRecipientKeyPair().identity] }),
    ).rejects.toThrow(/no identity/);
  });

  it('rejects a flipped bit, a dropped final chunk and a wrong key', async () => {
    const sealed = await encrypt(randomBytes(700_000));
    const flipped = Buffer.from(sealed);
    flipped[400_000]! ^= 1;
    await expect(decrypt(flipped)).rejects.toThrow(/failed authentication/);
    await expect(decrypt(sealed.subarray(0, 300_000))).rejects.toThrow(/truncated/);
    await expect(decrypt(sealed, { providerKeys: { k1: randomBytes(32) } })).rejects.toThrow();
  });
});
