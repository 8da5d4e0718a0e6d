// Round trips, compression and malformed input for the wire codec.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RRClass, RRType } from './constants.js';
import { WireError } from './errors.js';
import { canonicalName, isInZone, labelCount, nameToWire, parentName, wireToName } from './name.js';
import { createQueryView, readQuery } from './query.js';
import { parseMessage, readNameWire } from './reader.js';
import { encodeMessage, encodeQuery, type OutRecord } from './writer.js';

const rr = (name: string, type: number, rdata: Uint8Array, ttl = 300): OutRecord => ({
  owner: nameToWire(name),
  type,
  class: RRClass.IN,
  ttl,
  rdata,
});

describe('names', () => {
  it.each([
    ['Example.ORG', 'example.org.'],
    ['www.example.org.', 'www.example.org.'],
    ['.', '.'],
    ['a\\.b.example.', 'a\\.b.example.'],
    ['\\065bc.example.', 'abc.example.'],
    ['sp\\032ace.example.', 'sp\\032ace.example.'],
  ])('canonicalises %s as %s', (input, key) => {
    expect(canonicalName(input)).toBe(key);
  });

  it.each([['a..b.'], ['x'.repeat(64) + '.example.'], [('a'.repeat(60) + '.').repeat(5)]])(
    'rejects %s',
    (bad) => {
      expect(() => nameToWire(bad)).toThrow(WireError);
    },
  );

  it('walks parents and counts labels across escaped dots', () => {
    expect(parentName('a\\.b.example.org.')).toBe('example.org.');
    expect(parentName('org.')).toBe('.');
    expect(labelCount('a\\.b.example.org.')).toBe(3);
    expect(isInZone('www.example.org.', 'example.org.')).toBe(true);
    expect(isInZone('wwwexample.org.', 'example.org.')).toBe(false);
    expect(isInZone('a\\.example.org.', 'example.org.')).toBe(false);
  });
});

describe('messages', () => {
  const message = () =>
    encodeMessage({
      id: 0x1234,
      flags: 0x8400,
      rcode: 0,
      question: { wire: nameToWire('WWW.example.org.'), type: RRType.MX, class: RRClass.IN },
      answer: [
        rr(
          'www.example.org.',
          RRType.MX,
          Buffer.concat([Buffer.from([0, 10]), nameToWire('mail.example.org.')]),
        ),
      ],
      authority: [rr('example.org.', RRType.NS, nameToWire('ns1.example.org.'))],
      additional: [rr('mail.example.org.', RRType.A, Buffer.from([192, 0, 2, 1]))],
      opt: { udpSize: 1232, extRcode: 0, version: 0, do: true },
    });

  it('round-trips header, sections and EDNS', () => {
    const m = parseMessage(message());
    expect(m.id).toBe(0x1234);
    expect(m.questions[0]).toMatchObject({ name: 'www.example.org.', type: RRType.MX });
    expect(Buffer.from(m.questions[0]!.wire).toString('latin1')).toContain('WWW');
    expect(m.answers[0]!.name).toBe('www.example.org.');
    expect(wireToName(m.answers[0]!.rdata, 2)).toBe('mail.example.org.');
    expect(wireToName(m.authority[0]!.rdata)).toBe('ns1.example.org.');
    expect(m.additional).toHaveLength(1);
    expect(m.edns).toMatchObject({ udpSize: 1232, version: 0, do: true });
  });

  it('compresses repeated names into pointers', () => {
    const bytes = message();
    // "example.org" is spelled out once, in the question; every later use is a pointer.
    expect(bytes.toString('latin1').split('example').length - 1).toBe(1);
    expect(bytes.length).toBeLessThan(110);
  });

  it('truncates with TC=1 and keeps only the question when the answer does not fit', () => {
    const big = Array.from({ length: 40 }, (_, i) =>
      rr(
        't.example.',
        RRType.TXT,
        Buffer.from([20, ...Buffer.from(`record number ${i}`.padEnd(20))]),
      ),
    );
    const bytes = encodeMessage(
      {
        id: 1,
        flags: 0x8000,
        rcode: 0,
        question: { wire: nameToWire('t.example.'), type: RRType.TXT, class: 1 },
        answer: big,
        authority: [],
        additional: [],
      },
      512,
    );
    const m = parseMessage(bytes);
    expect(bytes.length).toBeLessThanOrEqual(512);
    expect(m.flags & 0x0200).toBe(0x0200);
    expect(m.answers).toHaveLength(0);
  });

  it.each([
    ['a pointer loop', Buffer.from('000100000001000000000000c00c00010001', 'hex')],
    ['a forward pointer', Buffer.from('000100000001000000000000c00e00010001', 'hex')],
    ['a label past the end', Buffer.from('00010000000100000000000005616263', 'hex')],
    ['a short header', Buffer.from('0001', 'hex')],
    [
      'an RDATA length past the end',
      Buffer.from('000184000000000100000000' + '00' + '0001000100000e100010' + 'c0000201', 'hex'),
    ],
    [
      'two OPT records',
      Buffer.from(
        '000100000000000000000002' + '0000290200000000000000' + '0000290200000000000000',
        'hex',
      ),
    ],
    [
      'trailing garbage',
      Buffer.concat([Buffer.from('000100000000000000000000', 'hex'), Buffer.from([1])]),
    ],
  ])('rejects %s with a WireError', (_what, bytes) => {
    expect(() => parseMessage(bytes)).toThrow(WireError);
  });

  it('never throws anything but WireError on random or mutated bytes', () => {
    const base = message();
    for (let i = 0; i < 3000; i++) {
      const bytes = i % 2 === 0 ? randomBytes(i % 300) : Buffer.from(base);
      if (i % 2 === 1)
        for (let j = 0; j < 1 + (i % 5); j++)
          bytes[(i * 7 + j * 13) % bytes.length] = (i * 31 + j) & 0xff;
      try {
        parseMessage(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(WireError);
      }
      readQuery(bytes, createQueryView(), Buffer.alloc(512), false);
    }
  });

  it('reads a pointer chain to the end', () => {
    const buf = Buffer.from('03636f6d00' + '076578616d706c65c000' + '03777777c005', 'hex');
    expect(wireToName(readNameWire(buf, 15).wire)).toBe('www.example.com.');
  });
});

describe('the fast query reader', () => {
  const query = (name: string, edns: boolean): Buffer =>
    encodeQuery({
      id: 7,
      name,
      type: 1,
      flags: 0x0100,
      opt: edns ? { udpSize: 4096, extRcode: 0, version: 0, do: true } : undefined,
    });

  it('keys a query by its lower-cased name and reads EDNS', () => {
    const v = createQueryView();
    const scratch = Buffer.alloc(512);
    expect(readQuery(query('WWW.Example.org.', true), v, scratch, false)).toBe(true);
    const key1 = v.key;
    expect(v).toMatchObject({
      id: 7,
      qtype: 1,
      qclass: 1,
      edns: true,
      udpSize: 4096,
      dnssecOk: true,
    });
    readQuery(query('www.example.org.', true), v, scratch, false);
    expect(v.key).toBe(key1);
    readQuery(query('www.example.org.', false), v, scratch, false);
    expect(v.key).not.toBe(key1);
  });

  it('leaves responses and other opcodes to the full parser', () => {
    const r = query('a.example.', false);
    r[2] = r[2]! | 0x80;
    expect(readQuery(r, createQueryView(), Buffer.alloc(512), false)).toBe(false);
    const u = query('a.example.', false);
    u[2] = 5 << 3;
    expect(readQuery(u, createQueryView(), Buffer.alloc(512), false)).toBe(false);
  });
});
