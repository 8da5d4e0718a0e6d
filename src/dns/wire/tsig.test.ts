// TSIG vectors: an independently computed MAC, and the failure codes of RFC 8945 §5.2.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Rcode } from './constants.js';
import { nameToWire } from './name.js';
import { parseMessage } from './reader.js';
import { signMessage, verifyMessage, type TsigKey } from './tsig.js';
import { encodeMessage } from './writer.js';

const key: TsigKey = {
  name: 'update-key.',
  algorithm: 'hmac-sha256',
  secret: Buffer.from('c2VjcmV0IHNlY3JldCBzZWNyZXQgc2VjcmV0IQ==', 'base64'),
};
const NOW = 1_790_000_000;
const query = (): Buffer =>
  encodeMessage({
    id: 0xbeef,
    flags: 0,
    rcode: 0,
    question: { wire: nameToWire('example.org.'), type: 6, class: 1 },
    answer: [],
    authority: [],
    additional: [],
  });

function verify(
  bytes: Buffer,
  k: TsigKey | undefined,
  now = NOW,
  priorMac?: Uint8Array,
  timersOnly = false,
) {
  const m = parseMessage(bytes);
  return verifyMessage(bytes, m.tsig!.record, m.tsig!.offset, k, { now, priorMac, timersOnly });
}

describe('TSIG', () => {
  it('computes the MAC over message and variables as RFC 8945 §4.3.3 lays them out', () => {
    const msg = query();
    const { mac } = signMessage(msg, key, { now: NOW, fudge: 300 });
    // The same digest, built byte by byte here rather than by the code under test.
    const vars = Buffer.concat([
      Buffer.from('0a7570646174652d6b657900', 'hex'), // update-key.
      Buffer.from('00ff00000000', 'hex'), // class ANY, TTL 0
      Buffer.from('0b686d61632d73686132353600', 'hex'), // hmac-sha256.
      Buffer.from([0, 0, (NOW >>> 24) & 0xff, (NOW >>> 16) & 0xff, (NOW >>> 8) & 0xff, NOW & 0xff]),
      Buffer.from('012c00000000', 'hex'), // fudge 300, error 0, other length 0
    ]);
    const expected = createHmac('sha256', key.secret).update(msg).update(vars).digest();
    expect(Buffer.from(mac).equals(expected)).toBe(true);
  });

  it.each([
    ['a valid signature', (b: Buffer) => b, key, NOW, 0],
    ['a changed byte', (b: Buffer) => ((b[13]! ^= 1), b), key, NOW, Rcode.BADSIG],
    ['an unknown key', (b: Buffer) => b, undefined, NOW, Rcode.BADKEY],
    [
      'the wrong secret',
      (b: Buffer) => b,
      { ...key, secret: Buffer.from('nope') },
      NOW,
      Rcode.BADSIG,
    ],
    ['a clock 10 minutes off', (b: Buffer) => b, key, NOW + 600, Rcode.BADTIME],
  ] as const)('verifies %s', (_what, mutate, k, now, error) => {
    const signed = mutate(signMessage(query(), key, { now: NOW }).bytes);
    expect(verify(signed, k, now).error).toBe(error);
  });

  it('chains a response and a multi-message stream to the request MAC (§5.3.1)', () => {
    const req = signMessage(query(), key, { now: NOW });
    const r1 = signMessage(query(), key, { now: NOW, priorMac: req.mac });
    const r2 = signMessage(query(), key, { now: NOW, priorMac: r1.mac, timersOnly: true });
    expect(verify(r1.bytes, key, NOW, req.mac).error).toBe(0);
    expect(verify(r2.bytes, key, NOW, r1.mac, true).error).toBe(0);
    expect(verify(r2.bytes, key, NOW, req.mac, true).error).toBe(Rcode.BADSIG);
  });
});
