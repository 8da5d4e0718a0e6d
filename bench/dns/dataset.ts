// The benchmark data set: 1,000 zones of about 25 records (CAA, TXT, MX, SRV among them) as zone
// files every server loads, and a query mix of existing names, NXDOMAIN inside the zones and
// names outside any zone. Deterministic, so runs compare.
import { encodeQuery } from '../../src/dns/wire/writer.js';

export interface BenchZone {
  apex: string; // "z0001.bench." (absolute)
  text: string; // RFC 1035 master file
}

const pad = (n: number): string => String(n).padStart(4, '0');

function zoneText(i: number): BenchZone {
  const apex = `z${pad(i)}.bench.`;
  const o = i % 250;
  const lines = [
    `$ORIGIN ${apex}`,
    '$TTL 3600',
    `@ IN SOA ns1.${apex} hostmaster.${apex} 2026112701 3600 600 1209600 300`,
    `@ IN NS ns1.${apex}`,
    `@ IN NS ns2.${apex}`,
    `ns1 IN A 10.1.${o}.53`,
    `ns2 IN A 10.2.${o}.53`,
    `@ IN A 10.0.${o}.1`,
    `@ IN AAAA 2001:db8:${i.toString(16)}::1`,
    `www IN CNAME ${apex}`,
    `mail IN A 10.0.${o}.25`,
    `mail IN AAAA 2001:db8:${i.toString(16)}::25`,
    `@ IN MX 10 mail.${apex}`,
    `@ IN MX 20 mail.example.net.`,
    `@ IN TXT "v=spf1 mx a:mail.${apex} -all"`,
    `_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@${apex.slice(0, -1)}"`,
    `@ IN CAA 0 issue "letsencrypt.org"`,
    `@ IN CAA 0 issuewild ";"`,
    `@ IN CAA 0 iodef "mailto:security@${apex.slice(0, -1)}"`,
    `_sip._tcp IN SRV 10 60 5060 mail.${apex}`,
    `_xmpp-client._tcp IN SRV 5 0 5222 mail.${apex}`,
    `blog IN A 10.0.${o}.80`,
    `shop IN A 10.0.${o}.81`,
    `api IN AAAA 2001:db8:${i.toString(16)}::443`,
    `ftp IN CNAME www.${apex}`,
    `dev IN A 10.0.${o}.90`,
    `selector1._domainkey IN TXT "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC${'x'.repeat(150)}"`,
  ];
  return { apex, text: lines.join('\n') + '\n' };
}

export const ZONE_COUNT = 1000;

export function zones(count = ZONE_COUNT): BenchZone[] {
  return Array.from({ length: count }, (_, i) => zoneText(i + 1));
}

/** A tiny deterministic PRNG (mulberry32) so every run asks the same questions. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const existing: [string, string][] = [
  ['', 'A'],
  ['', 'AAAA'],
  ['', 'MX'],
  ['', 'TXT'],
  ['', 'CAA'],
  ['', 'NS'],
  ['', 'SOA'],
  ['www.', 'A'],
  ['mail.', 'A'],
  ['mail.', 'AAAA'],
  ['_dmarc.', 'TXT'],
  ['_sip._tcp.', 'SRV'],
  ['_xmpp-client._tcp.', 'SRV'],
  ['blog.', 'A'],
  ['shop.', 'A'],
  ['api.', 'AAAA'],
  ['ftp.', 'A'],
  ['selector1._domainkey.', 'TXT'],
];

/** dnsperf input: 70% existing names, 20% NXDOMAIN inside the zones, 10% outside any zone. */
export function queries(count = 200_000, zoneCount = ZONE_COUNT): string {
  const rnd = prng(42);
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const z = `z${pad(1 + Math.floor(rnd() * zoneCount))}.bench.`;
    const roll = rnd();
    if (roll < 0.7) {
      const [label, type] = existing[Math.floor(rnd() * existing.length)]!;
      out.push(`${label}${z} ${type}`);
    } else if (roll < 0.9) {
      out.push(`nx${Math.floor(rnd() * 1000)}.${z} A`);
    } else {
      out.push(`host${Math.floor(rnd() * 1000)}.example${Math.floor(rnd() * 100)}.com. A`);
    }
  }
  return out.join('\n') + '\n';
}

const qtypes: Record<string, number> = {
  A: 1,
  NS: 2,
  SOA: 6,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  CAA: 257,
};

/** The query file's lines as wire queries with EDNS (DO when asked), for the engine benches. */
export function queryPackets(lines: readonly string[], dnssecOk = false): Buffer[] {
  return lines.map((line, i) => {
    const [name = '', type = 'A'] = line.split(' ');
    return encodeQuery({
      id: i & 0xffff,
      name,
      type: qtypes[type]!,
      opt: { udpSize: 1232, extRcode: 0, version: 0, do: dnssecOk },
    });
  });
}
