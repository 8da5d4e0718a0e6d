// MX records (RFC 1035 §3.3.9, RFC 7505 null MX): a preference and a mail exchanger host name.
import { ROOT } from '../names.js';
import { byteReader, byteWriter } from '../rdata-bytes.js';
import {
  expectFields,
  field,
  jsonString,
  jsonUint,
  parseUint,
  targetFromJson,
  targetFromText,
  targetIssues,
  warning,
} from './common.js';
import type { MxData, RecordType } from './types.js';

/** Mail-exchanger records. */
export const mx: RecordType<MxData> = {
  type: 'MX',
  code: 15,
  jsonFields: ['mx_priority'],
  parse(tokens, ctx) {
    expectFields(tokens, 'MX', 'preference and exchange', 2);
    return {
      preference: parseUint(field(tokens, 0), 0xffff, 'MX', 'preference'),
      exchange: targetFromText(field(tokens, 1), ctx, 'MX', 'MX target'),
    };
  },
  format: (d) => `${d.preference} ${d.exchange}`,
  fromJson: (input, ctx) => ({
    preference: jsonUint(input, 'mx_priority', 0xffff, 'MX'),
    exchange: targetFromJson(jsonString(input, 'data', 'MX'), ctx, 'MX', 'MX target'),
  }),
  toJson: (d) => ({ data: d.exchange, mx_priority: d.preference }),
  toWire(d) {
    const w = byteWriter();
    w.u16(d.preference);
    w.name(d.exchange);
    return w.done();
  },
  fromWire(buf, start, end) {
    const r = byteReader(buf, start, end);
    const preference = r.u16();
    const exchange = r.name();
    r.end();
    return { preference, exchange };
  },
  validate(d, ctx) {
    if (d.exchange === ROOT) {
      // RFC 7505: "0 ." says the domain accepts no mail.
      return d.preference === 0 ? [] : [warning('a null MX (target ".") should have preference 0')];
    }
    return targetIssues(d.exchange, ctx, 'MX target', 'host');
  },
  target: (d) => (d.exchange === ROOT ? null : d.exchange),
};
