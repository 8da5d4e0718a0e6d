import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import { byteReader, byteWriter, nameToWire, readWireName } from './rdata-bytes.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('names on the wire', () => {
  it('writes labels with length prefixes', () => {
    expect(Array.from(nameToWire('ab.c.'))).toEqual([2, 97, 98, 1, 99, 0]);
    expect(Array.from(nameToWire('.'))).toEqual([0]);
  });

  it('reads names in canonical form, escaping odd octets', () => {
    expect(readWireName(bytes(2, 65, 66, 1, 46, 0), 0)).toEqual({ name: 'ab.\\..', next: 6 });
    expect(readWireName(bytes(1, 32, 0), 0).name).toBe('\\032.');
  });

  it('follows compression pointers backwards', () => {
    const msg = bytes(3, 99, 111, 109, 0, 3, 119, 119, 119, 0xc0, 0);
    expect(readWireName(msg, 5)).toEqual({ name: 'www.com.', next: 11 });
  });

  it.each([
    ['a pointer loop', bytes(0xc0, 0)],
    ['a forward pointer', bytes(0xc0, 2, 0)],
    ['a truncated label', bytes(5, 97)],
    ['a missing terminator', bytes(1, 97)],
    ['an extended label type', bytes(0x40, 0)],
    ['a cut pointer', bytes(1, 97, 0xc0)],
  ])('refuses %s', (_, data) => {
    expect(() => readWireName(data, 0)).toThrow(ValidationError);
  });

  it('refuses names longer than 255 octets', () => {
    const label = [63, ...Array<number>(63).fill(97)];
    expect(() => readWireName(bytes(...label, ...label, ...label, ...label, 0), 0)).toThrow('255');
  });
});

describe('byteReader / byteWriter', () => {
  it('round-trips fields', () => {
    const w = byteWriter();
    w.u8(7);
    w.u16(0xbeef);
    w.u32(0xdeadbeef);
    w.charString(bytes(1, 2));
    w.name('x.');
    const r = byteReader(w.done());
    expect([r.u8(), r.u16(), r.u32(), Array.from(r.charString()), r.name()]).toEqual([
      7,
      0xbeef,
      0xdeadbeef,
      [1, 2],
      'x.',
    ]);
    r.end();
  });

  it('never reads past the RDATA end', () => {
    const r = byteReader(bytes(1, 2, 3, 4), 1, 3);
    expect(r.u16()).toBe(0x0203);
    expect(() => r.u8()).toThrow(ValidationError);
  });

  it('reports leftover octets', () => {
    const r = byteReader(bytes(1, 2));
    r.u8();
    expect(() => r.end()).toThrow('unexpected octets');
  });

  it('refuses a character-string over 255 octets', () => {
    expect(() => byteWriter().charString(new Uint8Array(256))).toThrow(ValidationError);
  });
});
