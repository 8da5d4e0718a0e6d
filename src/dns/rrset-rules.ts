// Rules across the records of one zone: CNAME exclusivity, DNAME/ANAME/SOA placement, delegations
// and glue, duplicates, TTL bounds and per-RRset TTLs. Per-record rules live with each type.
//
// Decisions:
// - ANAME is allowed only at the apex (where a CNAME cannot go); elsewhere a CNAME does the job,
//   and the server then resolves ANAME in one place only. It cannot share its name with A/AAAA.
// - Differing TTLs within one RRset (RFC 2181 §5.2) are a warning, not an error: each record keeps
//   the TTL its writer gave it (so API clients read back what they wrote, and lego adding a TXT
//   beside an older one still works), and the RRset is served with the lowest (rrsetTtl), which
//   is what §5.2 tells receivers to do.
// - DS (RFC 4034 §5) lives only at a delegation: below the apex, at a name that also has NS. It is
//   parent-side data there, so the delegation's occlusion rule lets it through like the NS.
import { ValidationError } from '../core/errors.js';
import { checkNameSyntax, isInZone, parentOf } from './names.js';
import {
  describeRecord,
  recordKey,
  recordTarget,
  validateRecord,
  type DnsRecord,
  type Issue,
  type RecordTypeName,
} from './record-types/index.js';

/** The zone being checked and its configured TTL bounds (seconds, inclusive). */
export interface ZoneRules {
  readonly zone: string;
  readonly minTtl: number;
  readonly maxTtl: number;
}

const error = (message: string): Issue => ({ level: 'error', message });
const warning = (message: string): Issue => ({ level: 'warning', message });

/** Records grouped by owner name. */
function byName(records: readonly DnsRecord[]): Map<string, DnsRecord[]> {
  return groupBy(records, (r) => r.name);
}

function groupBy(
  records: readonly DnsRecord[],
  key: (r: DnsRecord) => string,
): Map<string, DnsRecord[]> {
  const map = new Map<string, DnsRecord[]>();
  for (const r of records) {
    const k = key(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
}

/** Records grouped into RRsets, keyed `name type`. */
export function groupRRsets(records: readonly DnsRecord[]): Map<string, DnsRecord[]> {
  return groupBy(records, (r) => `${r.name} ${r.type}`);
}

/** The TTL an RRset is served with: the lowest of its records' TTLs (RFC 2181 §5.2). */
export const rrsetTtl = (rrset: readonly DnsRecord[]): number =>
  Math.min(...rrset.map((r) => r.ttl));

function perRecord(r: DnsRecord, rules: ZoneRules): Issue[] {
  if (!isInZone(r.name, rules.zone)) return [error(`${r.name} is outside the zone ${rules.zone}`)];
  const issues = checkNameSyntax(r.name, 'owner').map(error);
  if (r.ttl < rules.minTtl || r.ttl > rules.maxTtl) {
    issues.push(
      error(
        `TTL ${r.ttl} of ${r.type} at ${r.name} is outside the allowed ${rules.minTtl}-${rules.maxTtl} seconds`,
      ),
    );
  }
  return [...issues, ...validateRecord(r, rules.zone)];
}

function duplicates(records: readonly DnsRecord[], zone: string): Issue[] {
  const seen = new Set<string>();
  const issues: Issue[] = [];
  for (const r of records) {
    const key = recordKey(r);
    if (seen.has(key)) issues.push(error(`Duplicate record '${safeDescribe(r, zone)}'`));
    seen.add(key);
  }
  return issues;
}

const safeDescribe = (r: DnsRecord, zone: string): string =>
  isInZone(r.name, zone) ? describeRecord(r, zone) : `${r.name} ${r.ttl} ${r.type}`;

const countType = (here: DnsRecord[], t: RecordTypeName): number =>
  here.filter((r) => r.type === t).length;
const otherTypes = (here: DnsRecord[], t: RecordTypeName): RecordTypeName[] => [
  ...new Set(here.filter((r) => r.type !== t).map((r) => r.type)),
];

/** CNAME (RFC 1034 §3.6.2, RFC 2181 §10.1), DNAME (RFC 6672 §2.4), ANAME and SOA placement. */
function placement(name: string, here: DnsRecord[], zone: string): Issue[] {
  const ds = dsPlacement(name, here, zone);
  if (ds.length > 0) return ds;
  if (here.length === 1 && here[0]?.type !== 'ANAME' && here[0]?.type !== 'CNAME') {
    return here[0]?.type === 'SOA' && name !== zone
      ? [error('SOA is only allowed at the zone apex')]
      : [];
  }
  const issues: Issue[] = [];
  const count = (t: RecordTypeName): number => countType(here, t);
  const others = (t: RecordTypeName): RecordTypeName[] => otherTypes(here, t);
  if (count('CNAME') > 0) {
    if (name === zone)
      issues.push(error(`CNAME is not allowed at the zone apex ${zone}; use ANAME`));
    if (count('CNAME') > 1)
      issues.push(error(`${name} has more than one CNAME; an alias has one target`));
    const rest = others('CNAME');
    if (rest.length > 0) {
      issues.push(
        error(`${name} has a CNAME, so it can have no other records (found ${rest.join(', ')})`),
      );
    }
  }
  for (const single of ['DNAME', 'ANAME', 'SOA'] as const) {
    if (count(single) > 1)
      issues.push(error(`${name} has more than one ${single}; only one is allowed`));
  }
  if (count('ANAME') > 0) {
    if (name !== zone) {
      issues.push(error(`ANAME is only allowed at the zone apex; use a CNAME at ${name}`));
    }
    if (count('A') + count('AAAA') > 0) {
      issues.push(
        error(`${name} has an ANAME, which supplies its A/AAAA; remove the A/AAAA records`),
      );
    }
  }
  if (count('SOA') > 0 && name !== zone) issues.push(error('SOA is only allowed at the zone apex'));
  return issues;
}

/** DS only at a delegation (the apex case is ds.ts's, which knows the zone but not the NS). */
function dsPlacement(name: string, here: DnsRecord[], zone: string): Issue[] {
  if (name === zone || countType(here, 'DS') === 0 || countType(here, 'NS') > 0) return [];
  return [
    error(
      `DS at ${name} needs NS records at the same name: a DS only belongs where a signed child zone is delegated`,
    ),
  ];
}

/** The closest strict ancestor of `name`, up to and including the apex, that is in `cuts`. */
function cutAbove(name: string, cuts: Set<string>, zone: string): string | null {
  for (let p = parentOf(name); p !== null && isInZone(p, zone); p = parentOf(p)) {
    if (cuts.has(p)) return p;
  }
  return null;
}

/** Delegations (NS below the apex) and DNAMEs hide names under them (RFC 1034 §4.2.1, RFC 6672 §2.3). */
function occlusion(records: readonly DnsRecord[], zone: string): Issue[] {
  const delegations = new Set(
    records.filter((r) => r.type === 'NS' && r.name !== zone).map((r) => r.name),
  );
  const dnames = new Set(records.filter((r) => r.type === 'DNAME').map((r) => r.name));
  const glueNames = new Set(
    records.filter((r) => r.type === 'NS').map((r) => recordTarget(r) ?? ''),
  );
  const issues: Issue[] = [];
  if (delegations.size === 0 && dnames.size === 0) return issues;
  for (const r of records) {
    if (!isInZone(r.name, zone)) continue;
    const dname = cutAbove(r.name, dnames, zone);
    if (dname !== null) {
      issues.push(error(`${r.type} at ${r.name} is hidden by the DNAME at ${dname}`));
      continue;
    }
    const isGlue = (r.type === 'A' || r.type === 'AAAA') && glueNames.has(r.name);
    if (delegations.has(r.name) && r.type !== 'NS' && r.type !== 'DS' && !isGlue) {
      issues.push(error(`${r.name} is delegated (NS), so it cannot have ${r.type} records here`));
    }
    const cut = cutAbove(r.name, delegations, zone);
    if (cut !== null && !isGlue) {
      issues.push(
        error(
          `${r.type} at ${r.name} is hidden by the delegation at ${cut}; only glue A/AAAA for its name servers may go there`,
        ),
      );
    }
  }
  return issues;
}

/** RFC 2181 §5.2 (TTLs within an RRset) and §10.3 (MX/NS/SRV must not point at an alias). */
function consistency(records: readonly DnsRecord[], zone: string): Issue[] {
  const issues: Issue[] = [];
  for (const rrset of groupRRsets(records).values()) {
    const ttls = [...new Set(rrset.map((r) => r.ttl))];
    const first = rrset[0];
    if (first && ttls.length > 1) {
      issues.push(
        warning(
          `${first.type} records at ${first.name} have different TTLs (${ttls.join(', ')}); they are served with ${rrsetTtl(rrset)} (RFC 2181 §5.2)`,
        ),
      );
    }
  }
  const aliases = new Set(records.filter((r) => r.type === 'CNAME').map((r) => r.name));
  for (const r of records) {
    const target = recordTarget(r);
    if ((r.type === 'MX' || r.type === 'NS' || r.type === 'SRV') && target && aliases.has(target)) {
      issues.push(
        warning(`${r.type} at ${r.name} points at ${target}, which is a CNAME (RFC 2181 §10.3)`),
      );
    }
    if (r.type === 'NS' && r.name !== zone && r.name.startsWith('*.')) {
      issues.push(
        warning(`NS at the wildcard ${r.name} does not delegate anything (RFC 4592 §4.2)`),
      );
    }
  }
  return issues;
}

/** Every problem with a zone's full set of records, errors and warnings alike. */
export function checkRecords(records: readonly DnsRecord[], rules: ZoneRules): Issue[] {
  const { zone } = rules;
  return [
    ...records.flatMap((r) => perRecord(r, rules)),
    ...duplicates(records, zone),
    ...[...byName(records)].flatMap(([name, here]) => placement(name, here, zone)),
    ...occlusion(records, zone),
    ...consistency(records, zone),
  ];
}

/**
 * Checks a zone's records and throws ValidationError listing every error (the first as the
 * message, so "Duplicate record '…'" leads as the reference API's clients expect); returns the
 * warnings when there are no errors.
 */
export function assertRecords(records: readonly DnsRecord[], rules: ZoneRules): Issue[] {
  const issues = checkRecords(records, rules);
  const errors = issues.filter((i) => i.level === 'error').map((i) => i.message);
  const first = errors[0];
  if (first !== undefined) {
    throw new ValidationError(
      errors.length === 1 ? first : `${first} (and ${errors.length - 1} more)`,
      errors,
    );
  }
  return issues.filter((i) => i.level === 'warning');
}
