// Around CAA evaluation: a lookup over a customer's records (with DNAME and wildcard answers as a
// resolver would see them), the CAs the panel offers, and the records a panel policy publishes.
import type { CaaLookup, CaaLookupAnswer } from './caa.js';
import { isInZone, parentOf, parseName, hostOf } from './names.js';
import type { CaaData, DnsRecord } from './record-types/index.js';

/** CAs offered in the panel's CAA form, with the issuer domain each publishes for CAA. */
export const wellKnownCas: readonly { name: string; domain: string }[] = [
  { name: "Let's Encrypt", domain: 'letsencrypt.org' },
  { name: 'DigiCert', domain: 'digicert.com' },
  { name: 'Sectigo', domain: 'sectigo.com' },
  { name: 'Google Trust Services', domain: 'pki.goog' },
  { name: 'ZeroSSL (issues through Sectigo)', domain: 'sectigo.com' },
  { name: 'Buypass', domain: 'buypass.com' },
  { name: 'GlobalSign', domain: 'globalsign.com' },
  { name: 'SSL.com', domain: 'ssl.com' },
  { name: 'Amazon', domain: 'amazon.com' },
  { name: 'Entrust', domain: 'entrust.net' },
];

/** Every name that exists in DNS terms: owners and their ancestors within the zone (RFC 4592 §2.2). */
function existingNames(records: readonly DnsRecord[], zones: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const r of records) {
    const zone = zones.find((z) => isInZone(r.name, z));
    for (let n: string | null = r.name; n !== null && zone && isInZone(n, zone); n = parentOf(n)) {
      names.add(n);
    }
  }
  return names;
}

/** The alias a DNAME at a strict ancestor synthesises for `name` (RFC 6672 §2.2), if any. */
function dnameAlias(
  name: string,
  zone: string,
  dnames: Map<string, string>,
): string | null | undefined {
  for (let p = parentOf(name); p !== null && isInZone(p, zone); p = parentOf(p)) {
    const target = dnames.get(p);
    if (target === undefined) continue;
    try {
      return parseName(hostOf(name, p), target);
    } catch {
      return null; // too long after substitution: YXDOMAIN, which holds no CAA
    }
  }
  return undefined;
}

/** A CaaLookup over in-memory records of the given zones (both absolute, canonical). */
export function caaLookupFromRecords(
  records: readonly DnsRecord[],
  zones: readonly string[],
): CaaLookup {
  const byName = new Map<string, DnsRecord[]>();
  for (const r of records) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  const dnames = new Map<string, string>();
  for (const r of records) if (r.type === 'DNAME') dnames.set(r.name, r.data.target);
  const exists = existingNames(records, zones);
  return (name): CaaLookupAnswer => {
    const zone = zones.filter((z) => isInZone(name, z)).sort((a, b) => b.length - a.length)[0];
    if (zone === undefined) return { kind: 'external' };
    const alias = dnameAlias(name, zone, dnames);
    if (alias === null) return { kind: 'none' };
    if (alias !== undefined) return { kind: 'cname', target: alias };
    let here = byName.get(name) ?? [];
    if (!exists.has(name)) {
      // RFC 4592: a name that does not exist is answered from *.<closest encloser>.
      let encloser = parentOf(name);
      while (encloser !== null && !exists.has(encloser) && isInZone(encloser, zone))
        encloser = parentOf(encloser);
      if (encloser !== null) here = byName.get(parseName('*', encloser)) ?? [];
    }
    const cname = here.find((r) => r.type === 'CNAME');
    if (cname?.type === 'CNAME') return { kind: 'cname', target: cname.data.target };
    const caa = here.flatMap((r) => (r.type === 'CAA' ? [r.data] : []));
    return caa.length > 0 ? { kind: 'caa', records: caa } : { kind: 'none' };
  };
}

/** What the panel's CAA form asks for. */
export interface CaaFormPolicy {
  /** Issuer domains allowed to issue; empty means nobody. */
  issuers: readonly string[];
  /** Wildcards: 'same' as normal certificates, 'none' allowed, or their own list of issuers. */
  wildcard: 'same' | 'none' | readonly string[];
  /** Where CAs should report refused requests: a mailto: or https: URL. */
  iodef?: string;
}

/** The exact CAA records a panel policy publishes, so the form can show them before saving. */
export function caaRecordsForPolicy(policy: CaaFormPolicy): CaaData[] {
  const property = (tag: string, domains: readonly string[]): CaaData[] =>
    domains.length === 0
      ? [{ flags: 0, tag, value: ';' }]
      : [...new Set(domains)].map((value) => ({ flags: 0, tag, value }));
  const records = property('issue', policy.issuers);
  if (policy.wildcard === 'none') records.push(...property('issuewild', []));
  else if (policy.wildcard !== 'same') records.push(...property('issuewild', policy.wildcard));
  if (policy.iodef) records.push({ flags: 0, tag: 'iodef', value: policy.iodef });
  return records;
}
