// A records (RFC 1035 §3.4.1): one IPv4 address in dotted-quad form.
import { byteReader } from '../rdata-bytes.js';
import { bad, expectFields, field, jsonString } from './common.js';
import type { AData, RecordType } from './types.js';

/** Parses a strict dotted quad; leading zeros are refused because some software reads them as octal. */
export function parseIpv4(text: string, type = 'A'): string {
  const parts = text.trim().split('.');
  const ok =
    parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
  if (!ok) throw bad(type, `'${text}' is not an IPv4 address (four numbers 0-255, like 192.0.2.1)`);
  return parts.map(Number).join('.');
}

/** IPv4 address records. */
export const a: RecordType<AData> = {
  type: 'A',
  code: 1,
  jsonFields: [],
  parse(tokens) {
    expectFields(tokens, 'A', 'an IPv4 address', 1);
    return { address: parseIpv4(field(tokens, 0)) };
  },
  format: (d) => d.address,
  fromJson: (input) => ({ address: parseIpv4(jsonString(input, 'data', 'A')) }),
  toJson: (d) => ({ data: d.address }),
  toWire: (d) => Uint8Array.from(d.address.split('.').map(Number)),
  fromWire(buf, start, end) {
    const r = byteReader(buf, start, end);
    const octets = r.bytes(4);
    r.end();
    return { address: Array.from(octets).join('.') };
  },
  validate: () => [],
  target: () => null,
};
