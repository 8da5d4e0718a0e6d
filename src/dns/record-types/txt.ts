// TXT records (RFC 1035 §3.3.14): one or more character-strings of up to 255 octets each.
//
// Longer values are split into 255-octet strings, both when read from a zone file (a friendlier
// reading than RFC 1035's hard limit; BIND refuses them) and from the API. In the API's JSON
// (apis.md §3.1) `data` is one unquoted string: the strings are joined on output, so a record
// written as "a" "b" in a zone file reads back through JSON as "ab" (which is what SPF and DKIM
// consumers see anyway). Zone files keep the exact split.
import { quoteBytes, unescapeBytes } from '../presentation.js';
import { byteReader, byteWriter } from '../rdata-bytes.js';
import { bad, jsonString } from './common.js';
import type { RecordType, TxtData } from './types.js';

const MAX_RDATA = 65535;

/** Splits octets into character-strings of at most 255 octets (an empty value stays one string). */
export function splitStrings(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length === 0) return [bytes];
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 255) out.push(bytes.slice(i, i + 255));
  return out;
}

function checkSize(strings: Uint8Array[]): TxtData {
  const size = strings.reduce((n, s) => n + s.length + 1, 0);
  if (size > MAX_RDATA) throw bad('TXT', `value is ${size} octets; a record holds at most 65535`);
  return { strings };
}

/** The strings joined as text (invalid UTF-8 shows as U+FFFD), as the API's `data` shows them. */
export function txtText(d: TxtData): string {
  return Buffer.concat(d.strings).toString('utf8');
}

/** Text records. */
export const txt: RecordType<TxtData> = {
  type: 'TXT',
  code: 16,
  jsonFields: [],
  parse(tokens) {
    if (tokens.length === 0) throw bad('TXT', 'expected at least one string');
    return checkSize(tokens.flatMap((t) => splitStrings(unescapeBytes(t.text))));
  },
  format: (d) => d.strings.map(quoteBytes).join(' '),
  fromJson(input) {
    const value = input.data;
    if (typeof value !== 'string') throw bad('TXT', "'data' must be a string");
    // The reference refuses an empty TXT value; so do we (jsonString checks non-empty).
    return checkSize(splitStrings(new TextEncoder().encode(jsonString(input, 'data', 'TXT'))));
  },
  toJson: (d) => ({ data: txtText(d) }),
  toWire(d) {
    const w = byteWriter();
    for (const s of d.strings) w.charString(s);
    return w.done();
  },
  fromWire(buf, start, end) {
    const r = byteReader(buf, start, end);
    const strings: Uint8Array[] = [];
    do strings.push(r.charString());
    while (r.remaining() > 0);
    return { strings };
  },
  validate: () => [],
  target: () => null,
};
