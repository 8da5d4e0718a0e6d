// AAAA records (RFC 3596): one IPv6 address, stored in RFC 5952 canonical text form.
import { isIPv6 } from 'node:net';
import { byteReader } from '../rdata-bytes.js';
import { parseIpv4 } from './a.js';
import { bad, expectFields, field, jsonString } from './common.js';
import type { AaaaData, RecordType } from './types.js';

/** The 16 octets of an IPv6 address (embedded dotted-quad tail allowed). */
function ipv6Octets(text: string): Uint8Array {
  const t = text.trim();
  if (!isIPv6(t) || t.includes('%')) {
    throw bad('AAAA', `'${text}' is not an IPv6 address (like 2001:db8::1)`);
  }
  let groups = t;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(t)?.[1];
  if (quad) {
    const [p, q, r, s] = parseIpv4(quad, 'AAAA').split('.').map(Number) as [
      number,
      number,
      number,
      number,
    ];
    groups =
      t.slice(0, -quad.length) + `${((p << 8) | q).toString(16)}:${((r << 8) | s).toString(16)}`;
  }
  const [head = '', tail] = groups.split('::');
  const h = head === '' ? [] : head.split(':');
  const tl = tail === undefined || tail === '' ? [] : tail.split(':');
  const all =
    tail === undefined ? h : [...h, ...Array<string>(8 - h.length - tl.length).fill('0'), ...tl];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥2) of zero groups as `::`. */
export function formatIpv6(octets: Uint8Array): string {
  const g = Array.from(
    { length: 8 },
    (_, i) => ((octets[i * 2] ?? 0) << 8) | (octets[i * 2 + 1] ?? 0),
  );
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = g.map((v) => v.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Canonical RFC 5952 form of IPv6 text; throws ValidationError when it is not an address. */
export const parseIpv6 = (text: string): string => formatIpv6(ipv6Octets(text));

/** IPv6 address records. */
export const aaaa: RecordType<AaaaData> = {
  type: 'AAAA',
  code: 28,
  jsonFields: [],
  parse(tokens) {
    expectFields(tokens, 'AAAA', 'an IPv6 address', 1);
    return { address: parseIpv6(field(tokens, 0)) };
  },
  format: (d) => d.address,
  fromJson: (input) => ({ address: parseIpv6(jsonString(input, 'data', 'AAAA')) }),
  toJson: (d) => ({ data: d.address }),
  toWire: (d) => ipv6Octets(d.address),
  fromWire(buf, start, end) {
    const r = byteReader(buf, start, end);
    const octets = r.bytes(16);
    r.end();
    return { address: formatIpv6(octets) };
  },
  validate: () => [],
  target: () => null,
};
