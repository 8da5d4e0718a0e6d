import { describe, expect, it } from 'vitest';
import { compareNames } from './canonical.js';
import { base32hex, nsec3Hash, typeBitmap } from './nsec3.js';

// RFC 5155 Appendix A: SHA-1, 12 extra iterations, salt aabbccdd.
const appendixA = { iterations: 12, salt: Buffer.from('aabbccdd', 'hex') };

describe('NSEC3 hashing', () => {
  it.each([
    ['example.', '0p9mhaveqvm6t7vbl5lop2u3t2rp3tom'],
    ['a.example.', '35mthgpgcu1qg68fab165klnsnk3dpvl'],
    ['ai.example.', 'gjeqe526plbf1g8mklp59enfd789njgi'],
    ['*.w.example.', 'r53bq7cc2uvmubfu5ocmm6pers9tk9en'],
    ['x.y.w.example.', '2vptu5timamqttgl4luu9kg21e0aor3s'],
    ['XX.Example.', 't644ebqk9bibcna874givr6joj62mlhv'],
  ])('hashes %s as in RFC 5155 Appendix A', (name, hash) => {
    expect(base32hex(nsec3Hash(name, appendixA))).toBe(hash);
  });

  it('encodes type bitmaps in windows (RFC 4034 §4.1.2 example: A MX RRSIG NSEC TYPE1234)', () => {
    expect(typeBitmap([1, 15, 46, 47, 1234]).toString('hex')).toBe(
      '0006400100000003' + '041b' + '00'.repeat(26) + '20',
    );
  });
});

describe('canonical order (RFC 4034 §6.1)', () => {
  it('sorts names label by label from the right, as the RFC example lists them', () => {
    const ordered = [
      'example.',
      'a.example.',
      'yljkjljk.a.example.',
      'Z.a.example.',
      'zABC.a.EXAMPLE.',
      'z.example.',
      '\\001.z.example.',
      '*.z.example.',
      '\\200.z.example.',
    ];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(compareNames)).toEqual(ordered);
  });
});
