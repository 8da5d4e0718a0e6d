// The query engine end to end without sockets: cache hits patched per query, invalidation on
// replaceZone, truncation, EDNS BADVERS and the crash-to-SERVFAIL rule.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { Rcode, RRType } from '../wire/constants.js';
import { createQueryView, readQuery } from '../wire/query.js';
import { parseMessage } from '../wire/reader.js';
import { encodeQuery } from '../wire/writer.js';
import { createAnswerCache } from './cache.js';
import { createEngine } from './engine.js';
import { createServerMetrics } from './metrics.js';
import { buildZone } from './testing/zone-builder.js';
import { createZoneTable } from './zone-table.js';

function setup(signerThrows = false) {
  const table = createZoneTable();
  const zone = (ip: string, serial: number) =>
    buildZone(
      'example.org.',
      [
        ['@', 'NS', 'ns1.example.org.'],
        ['www', 'A', ip],
        ...Array.from(
          { length: 60 },
          (_, i) =>
            ['big', 'TXT', `a fairly long text record number ${i}`] as ['big', 'TXT', string],
        ),
      ],
      { serial },
    );
  table.replace(zone('192.0.2.1', 1));
  const cache = createAnswerCache(1000);
  const signer = signerThrows
    ? {
        sign: () => {
          throw new Error('boom');
        },
      }
    : undefined;
  const engine = createEngine({
    table,
    cache,
    metrics: createServerMetrics(),
    logger: silentLogger,
    signer,
  });
  const ask = (
    name: string,
    type: number,
    o: { id?: number; edns?: number; version?: number; tcp?: boolean } = {},
  ) => {
    const msg = encodeQuery({
      id: o.id ?? 1,
      name,
      type,
      flags: 0x0100,
      opt: o.edns
        ? { udpSize: o.edns, extRcode: 0, version: o.version ?? 0, do: false }
        : undefined,
    });
    const v = createQueryView();
    expect(readQuery(msg, v, Buffer.alloc(512), o.tcp ?? false)).toBe(true);
    const bytes = engine.materialize(engine.lookup(msg, v, o.tcp ?? false), msg, v);
    return { bytes, m: parseMessage(bytes) };
  };
  return { table, cache, ask, zone };
}

describe('the query engine', () => {
  it('patches a cached reply with the new ID and the question as spelt', () => {
    const { ask, cache } = setup();
    ask('www.example.org.', RRType.A, { id: 1 });
    const { bytes, m } = ask('WWW.EXAMPLE.ORG.', RRType.A, { id: 4242 });
    expect(cache.size).toBe(1);
    expect(m.id).toBe(4242);
    expect(bytes.subarray(12, 29).toString('latin1')).toContain('WWW');
    expect([...m.answers[0]!.rdata]).toEqual([192, 0, 2, 1]);
  });

  it('serves a replaced snapshot at once', () => {
    const { ask, table, zone } = setup();
    ask('www.example.org.', RRType.A);
    table.replace(zone('192.0.2.2', 2));
    expect([...ask('www.example.org.', RRType.A).m.answers[0]!.rdata]).toEqual([192, 0, 2, 2]);
  });

  it('truncates at 512 bytes without EDNS and fits more with it', () => {
    const { ask } = setup();
    const plain = ask('big.example.org.', RRType.TXT);
    expect(plain.bytes.length).toBeLessThanOrEqual(512);
    expect(plain.m.flags & 0x0200).toBe(0x0200);
    expect(ask('big.example.org.', RRType.TXT, { tcp: true }).m.answers).toHaveLength(60);
  });

  it('adds OPT to EDNS replies and answers BADVERS to version 1', () => {
    const { ask } = setup();
    expect(ask('www.example.org.', RRType.A, { edns: 1232 }).m.edns).toMatchObject({ version: 0 });
    const bad = ask('www.example.org.', RRType.A, { edns: 1232, version: 1 }).m;
    expect(bad.edns!.extRcode).toBe(1);
    expect(bad.rcode).toBe(0);
    expect(bad.answers).toHaveLength(0);
  });

  it.each([
    ['without EDNS', undefined],
    ['with EDNS', 1232],
  ])(
    'builds NXDOMAIN from the query %s, with the SOA owner pointing into the question',
    (_what, edns) => {
      const { ask, cache } = setup();
      const { bytes, m } = ask('Nope.Example.ORG.', RRType.A, { id: 77, edns });
      expect(m).toMatchObject({ id: 77, rcode: Rcode.NXDOMAIN });
      expect(m.flags & 0x0400).toBe(0x0400);
      expect(m.authority).toHaveLength(1);
      expect(m.authority[0]).toMatchObject({ name: 'example.org.', type: RRType.SOA, ttl: 300 });
      expect(m.edns !== undefined).toBe(edns !== undefined);
      expect(bytes.toString('latin1')).toContain('Nope');
      expect(cache.size).toBe(0);
    },
  );

  it('builds REFUSED for names outside our zones without caching them', () => {
    const { ask, cache } = setup();
    const { m } = ask('www.example.com.', RRType.A, { edns: 1232 });
    expect(m.rcode).toBe(Rcode.REFUSED);
    expect(m.flags & 0x0400).toBe(0);
    expect(m.edns).toBeDefined();
    expect(cache.size).toBe(0);
  });

  it('never sets RA and copies RD', () => {
    const { m } = setup().ask('www.example.org.', RRType.A);
    expect(m.flags & 0x0080).toBe(0);
    expect(m.flags & 0x0100).toBe(0x0100);
  });

  it('turns a throw while answering into SERVFAIL', () => {
    const { m } = setup(true).ask('www.example.org.', RRType.A);
    expect(m.rcode).toBe(Rcode.SERVFAIL);
  });

  it('answers FORMERR to meta types in the question', () => {
    expect(setup().ask('www.example.org.', RRType.OPT).m.rcode).toBe(Rcode.FORMERR);
  });
});
