// Fuzz-style tests: random and mutated input thrown at the zone-file parser, the JSON reader and
// every RDATA wire decoder, for a bounded number of seeded iterations. Bad input may only ever
// raise ValidationError (never TypeError/RangeError), and whatever decodes must survive a round trip.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import { readWireName } from './rdata-bytes.js';
import {
  formatRdata,
  parseRdata,
  rdataFromWire,
  rdataToWire,
  recordFromJson,
  recordKey,
  recordTypeNames,
  type DnsRecord,
} from './record-types/index.js';
import { formatZoneFile, parseZoneFile } from './zonefile.js';

const zone = 'example.org.';
const ITERATIONS = 1000;

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `fn`, letting only ValidationError escape; returns the result or undefined. */
function onlyValidationErrors<T>(fn: () => T, input: unknown): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValidationError) return undefined;
    throw new Error(`crashed on ${JSON.stringify(input)}: ${String(e)}`, { cause: e });
  }
}

const seedZone = `$TTL 3600
$ORIGIN example.org.
@ IN SOA ns1 hostmaster ( 1 7200 900 1209600 300 )
@ NS ns1.example.net.
www 300 A 192.0.2.1
www AAAA 2001:db8::1
@ MX 10 mail ; comment
_sip._tcp SRV 0 5 5060 sip
@ TXT "v=spf1 -all" "more \\"quoted\\" \\200"
@ CAA 128 issue "letsencrypt.org; validationmethods=dns-01"
host SSHFP 4 2 ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789
_443._tcp TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
alias CNAME www
old DNAME example.net.
@ ANAME lb.example.net.
p PTR host.example.org.
a\\.b\\032c A 192.0.2.9
`;

const alphabet = ' \t\n\n();"\\$@.*_-0123456789aAbBzZIN\u00e9\u3002\u0000\ud83d\ude00xn--';

function mutate(text: string, rand: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (out.length + 1));
    const ch = alphabet[Math.floor(rand() * alphabet.length)] ?? ' ';
    const op = Math.floor(rand() * 4);
    if (op === 0) out = out.slice(0, at) + ch + out.slice(at);
    else if (op === 1) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rand() * 5));
    else if (op === 2) out = out.slice(0, at) + ch + out.slice(at + 1);
    else out = out.slice(0, at) + out.slice(Math.floor(rand() * out.length), at) + out.slice(at);
  }
  return out;
}

function randomText(rand: () => number): string {
  return Array.from(
    { length: Math.floor(rand() * 120) },
    () => alphabet[Math.floor(rand() * alphabet.length)],
  ).join('');
}

describe('fuzzing the zone-file parser', () => {
  it('parses the seed zone', () => {
    expect(parseZoneFile(seedZone, { zone })).toHaveLength(15);
  });

  it('only ever throws ValidationError on mutated and random text', () => {
    const rand = prng(20261127);
    let parsed = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const text = i % 3 === 0 ? randomText(rand) : mutate(seedZone, rand);
      const records = onlyValidationErrors(
        () => parseZoneFile(text, { zone, defaultTtl: 60 }),
        text,
      );
      if (records === undefined) continue;
      parsed += 1;
      // Whatever parses must print and parse back to the same records.
      const again = parseZoneFile(formatZoneFile(records, zone), { zone });
      expect(again.map(recordKey)).toEqual(records.map(recordKey));
    }
    expect(parsed).toBeGreaterThan(0);
  });
});

describe('fuzzing the wire decoders', () => {
  const samples = parseZoneFile(seedZone, { zone });

  it.each(recordTypeNames)(
    '%s decodes only into data that round-trips, or throws ValidationError',
    (type) => {
      const rand = prng(type.length * 7919 + (type.codePointAt(0) ?? 0));
      const sample = samples.find((r) => r.type === type);
      const valid = sample ? rdataToWire(sample) : new Uint8Array(8);
      for (let i = 0; i < ITERATIONS; i++) {
        const bytes =
          i % 2 === 0
            ? Uint8Array.from({ length: Math.floor(rand() * 48) }, () => Math.floor(rand() * 256))
            : Uint8Array.from(valid.slice(0, Math.floor(rand() * (valid.length + 3))), (b) =>
                rand() < 0.1 ? Math.floor(rand() * 256) : b,
              );
        const start = rand() < 0.2 ? Math.floor(rand() * 4) : 0;
        const end = rand() < 0.2 ? Math.floor(rand() * (bytes.length + 2)) : bytes.length;
        const data = onlyValidationErrors(() => rdataFromWire(type, bytes, start, end), [...bytes]);
        if (data === undefined) continue;
        const record = { name: zone, ttl: 1, type, data } as DnsRecord;
        expect(rdataFromWire(type, rdataToWire(record))).toEqual(data);
        expect(parseRdata(type, formatRdata(record), { origin: zone })).toEqual(data);
      }
    },
  );

  it('reads names from random octets only ever throwing ValidationError', () => {
    const rand = prng(42);
    for (let i = 0; i < ITERATIONS * 4; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(rand() * 40) }, () =>
        rand() < 0.3 ? Math.floor(rand() * 8) : Math.floor(rand() * 256),
      );
      onlyValidationErrors(() => readWireName(bytes, Math.floor(rand() * 4)), [...bytes]);
    }
  });
});

describe('fuzzing the JSON reader', () => {
  it('only ever throws ValidationError on odd field values', () => {
    const rand = prng(7);
    const values: unknown[] = [
      undefined,
      null,
      '',
      ' ',
      'x',
      '@',
      '10',
      -1,
      1.5,
      70000,
      0,
      true,
      [],
      {},
      'a..b',
      '192.0.2.1',
      '::1',
      'é',
      '\\',
      '"',
      'AB',
      ';',
    ];
    const pick = () => values[Math.floor(rand() * values.length)];
    for (let i = 0; i < ITERATIONS * 2; i++) {
      const input = {
        host: pick(),
        ttl: pick(),
        data: pick(),
        mx_priority: pick(),
        srv_priority: pick(),
        srv_weight: pick(),
        srv_port: pick(),
        caa_flags: pick(),
        caa_tag: rand() < 0.5 ? 'issue' : pick(),
        sshfp_algorithm: pick(),
        sshfp_type: pick(),
        tlsa_usage: pick(),
        tlsa_selector: pick(),
        tlsa_matching: pick(),
        ds_key_tag: pick(),
        ds_algorithm: pick(),
        ds_digest_type: pick(),
        type: recordTypeNames[Math.floor(rand() * recordTypeNames.length)],
      };
      onlyValidationErrors(() => recordFromJson(input, zone), input);
    }
  });
});
