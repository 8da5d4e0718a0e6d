// SOA records (RFC 1035 §3.3.13): the zone's start of authority. Customers never edit it (it comes
// from provider configuration and the automatic serial), but zone files and the wire need it.
import { parseName } from '../names.js';
import { tokenizeRdata } from '../presentation.js';
import { byteReader, byteWriter } from '../rdata-bytes.js';
import { expectFields, field, jsonString, parseDuration, parseUint, warning } from './common.js';
import type { NameContext, RecordType, SoaData } from './types.js';
import type { Token } from '../presentation.js';

function parseSoa(tokens: readonly Token[], ctx: NameContext): SoaData {
  expectFields(tokens, 'SOA', 'mname, rname, serial, refresh, retry, expire and minimum', 7);
  const timer = (i: number, what: string): number => parseDuration(field(tokens, i), `SOA ${what}`);
  return {
    mname: parseName(field(tokens, 0), ctx.origin),
    rname: parseName(field(tokens, 1), ctx.origin),
    serial: parseUint(field(tokens, 2), 0xffffffff, 'SOA', 'serial'),
    refresh: timer(3, 'refresh'),
    retry: timer(4, 'retry'),
    expire: timer(5, 'expire'),
    minimum: timer(6, 'minimum'),
  };
}

/** Start-of-authority records. */
export const soa: RecordType<SoaData> = {
  type: 'SOA',
  code: 6,
  jsonFields: [],
  parse: parseSoa,
  format: (d) =>
    `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`,
  // Not part of the reference API; `data` carries the presentation form.
  fromJson: (input, ctx) => parseSoa(tokenizeRdata(jsonString(input, 'data', 'SOA')), ctx),
  toJson: (d) => ({ data: soa.format(d) }),
  toWire(d) {
    const w = byteWriter();
    w.name(d.mname);
    w.name(d.rname);
    for (const v of [d.serial, d.refresh, d.retry, d.expire, d.minimum]) w.u32(v);
    return w.done();
  },
  fromWire(buf, start, end) {
    const r = byteReader(buf, start, end);
    const [mname, rname] = [r.name(), r.name()];
    const [serial, refresh, retry, expire, minimum] = [r.u32(), r.u32(), r.u32(), r.u32(), r.u32()];
    r.end();
    return { mname, rname, serial, refresh, retry, expire, minimum };
  },
  validate: (d) =>
    d.retry >= d.refresh
      ? [warning('SOA retry should be shorter than refresh (RFC 1912 §2.2)')]
      : [],
  target: () => null,
};
