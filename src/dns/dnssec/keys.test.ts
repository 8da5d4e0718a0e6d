import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  dnskeyRdata,
  dnskeyText,
  dsRdata,
  dsText,
  generateKey,
  keyTag,
  signerFor,
} from './keys.js';

const fromText = (flags: number, alg: number, b64: string) =>
  dnskeyRdata(flags, alg, Buffer.from(b64, 'base64'));

describe('DNSSEC keys', () => {
  it('computes key tag and DS of the RFC 6605 §6.1 P-256 example', () => {
    const key = fromText(
      257,
      13,
      'GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==',
    );
    expect(keyTag(key)).toBe(55648);
    expect(dsText(dsRdata('example.net.', key))).toBe(
      '55648 13 2 B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17',
    );
  });

  it('computes key tag and DS of the RFC 8080 §6.1 Ed25519 example', () => {
    const key = fromText(257, 15, 'l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=');
    expect(keyTag(key)).toBe(3613);
    expect(dsText(dsRdata('EXAMPLE.com.', key))).toBe(
      '3613 15 2 3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B',
    );
  });

  it('makes P-256 keys whose signatures are 64-byte r||s and verify', () => {
    const key = generateKey(13);
    expect(key.publicKey.length).toBe(64);
    const sig = signerFor(13, key.privateKeyDer)(Buffer.from('data'));
    expect(sig.length).toBe(64);
    const pub = createPublicKey(
      createPrivateKey({ key: key.privateKeyDer, format: 'der', type: 'pkcs8' }),
    );
    expect(
      verify('sha256', Buffer.from('data'), { key: pub, dsaEncoding: 'ieee-p1363' }, sig),
    ).toBe(true);
  });

  it('makes Ed25519 keys with 32-byte public keys and 64-byte signatures', () => {
    const key = generateKey(15);
    expect(key.publicKey.length).toBe(32);
    expect(signerFor(15, key.privateKeyDer)(Buffer.from('x')).length).toBe(64);
    expect(dnskeyText(dnskeyRdata(256, 15, key.publicKey))).toMatch(
      /^256 3 15 [A-Za-z0-9+/]{43}=$/,
    );
  });
});
