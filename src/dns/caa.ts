// "Who may issue a certificate for this name?" — RFC 8659 §3 (finding the relevant CAA RRset) and
// §4 (reading it), for normal and wildcard certificates, with an explanation for the panel.
// caa-records.ts builds a lookup over in-memory records and the records a panel policy publishes.
import { labelsOf, parentOf, ROOT } from './names.js';
import { parseIssueValue, type CaaData, type IssueValue } from './record-types/index.js';

/** What a lookup knows about one name's CAA RRset, after the owner's own aliases. */
export type CaaLookupAnswer =
  | { kind: 'caa'; records: CaaData[] } // a non-empty CAA RRset at the name
  | { kind: 'cname'; target: string } // the name is an alias (CNAME, or synthesised from a DNAME)
  | { kind: 'none' } // the name is in our zones and has no CAA
  | { kind: 'external' }; // the name is in none of our zones: we cannot tell

/** Looks one name up in the customer's zones (sync or async, e.g. over the store). */
export type CaaLookup = (name: string) => CaaLookupAnswer | Promise<CaaLookupAnswer>;

/** A CA named in an issue/issuewild property, with its parameters (accounturi, …). */
export type CaaIssuer = { domain: string; parameters: IssueValue['parameters'] };

/** Who may issue one kind of certificate. */
export type CaaPolicy =
  | { kind: 'anyone'; reason: string }
  | { kind: 'nobody'; reason: string }
  | { kind: 'issuers'; issuers: CaaIssuer[]; reason: string }
  | { kind: 'unknown'; reason: string };

/** The answer for a name, with how it was reached. */
export interface CaaEvaluation {
  name: string;
  /** The name on the climb whose CAA lookup found the RRset, or null when none was found. */
  relevantName: string | null;
  /** Where the RRset actually lives (differs from relevantName when aliases were followed). */
  foundAt: string | null;
  /** Aliases followed from relevantName to foundAt. */
  aliases: string[];
  /** The relevant RRset. */
  records: CaaData[];
  /** Policy for a certificate for `name` itself. */
  normal: CaaPolicy;
  /** Policy for a wildcard certificate `*.name` (RFC 8659 §4.3). */
  wildcard: CaaPolicy;
  /** Where CAs report refused requests (iodef properties). */
  iodef: string[];
  /** One line per step, for the panel. */
  steps: string[];
}

const MAX_ALIASES = 8;
/** Tags every CA understands (RFC 8659 §4); a critical tag outside these stops issuance (§4.1). */
const UNDERSTOOD = new Set(['issue', 'issuewild', 'iodef']);

type Found =
  | { kind: 'found'; at: string; aliases: string[]; records: CaaData[] }
  | { kind: 'none' }
  | { kind: 'unknown'; why: string };

/** A CAA query at `x` as a resolver would make it: aliases followed (RFC 8659 §3). */
async function queryCaa(x: string, lookup: CaaLookup, steps: string[]): Promise<Found> {
  const aliases: string[] = [];
  for (let current = x; ;) {
    const answer = await lookup(current);
    if (answer.kind === 'caa')
      return { kind: 'found', at: current, aliases, records: answer.records };
    if (answer.kind === 'none') return { kind: 'none' };
    if (answer.kind === 'external') {
      return {
        kind: 'unknown',
        why: `${current} is not in Bestiary's zones, so its CAA records are unknown here`,
      };
    }
    if (aliases.includes(answer.target) || answer.target === x || aliases.length >= MAX_ALIASES) {
      return { kind: 'unknown', why: `the aliases from ${x} loop or run too long` };
    }
    steps.push(`${current} is an alias for ${answer.target}; following it`);
    aliases.push(answer.target);
    current = answer.target;
  }
}

/** RFC 8659 §3: climb from `name` towards the root to the first non-empty CAA RRset. */
async function relevantRRset(
  name: string,
  lookup: CaaLookup,
  steps: string[],
): Promise<{ x: string; found: Found } | null> {
  for (let x: string | null = name; x !== null && x !== ROOT; x = parentOf(x)) {
    const found = await queryCaa(x, lookup, steps);
    if (found.kind === 'found') return { x, found };
    if (found.kind === 'unknown') {
      // Top-level domains publish no CAA in practice; anything else we cannot see decides.
      if (labelsOf(x).length === 1 && x !== name) {
        steps.push(`${x} is a top-level domain, assumed to have no CAA records`);
        continue;
      }
      return { x, found };
    }
    steps.push(`no CAA records at ${x}`);
  }
  return null;
}

function describeIssuers(issuers: CaaIssuer[]): string {
  return issuers.map((i) => i.domain).join(', ');
}

/** RFC 8659 §4: the policy one RRset sets for normal (`wildcard` false) or wildcard certificates. */
export function policyFromRecords(records: readonly CaaData[], wildcard: boolean): CaaPolicy {
  const critical = records.find((r) => (r.flags & 128) !== 0 && !UNDERSTOOD.has(r.tag));
  if (critical) {
    return {
      kind: 'nobody',
      reason: `the critical tag '${critical.tag}' is unknown to CAs (RFC 8659 §4.1)`,
    };
  }
  const wild = records.filter((r) => r.tag === 'issuewild');
  const useWild = wildcard && wild.length > 0;
  const relevant = useWild ? wild : records.filter((r) => r.tag === 'issue');
  const tag = useWild ? 'issuewild' : 'issue';
  if (relevant.length === 0)
    return { kind: 'anyone', reason: 'the CAA records do not restrict issuance' };
  const issuers: CaaIssuer[] = [];
  for (const r of relevant) {
    const parsed = parseIssueValue(r.value);
    // RFC 8659 §4.2: a malformed value counts as an empty issuer, i.e. it grants nobody.
    if (
      !('problem' in parsed) &&
      parsed.issuer !== null &&
      !issuers.some((i) => i.domain === parsed.issuer)
    ) {
      issuers.push({ domain: parsed.issuer, parameters: parsed.parameters });
    }
  }
  if (issuers.length === 0) return { kind: 'nobody', reason: `the ${tag} records name no CA` };
  return { kind: 'issuers', issuers, reason: `only ${describeIssuers(issuers)} (${tag})` };
}

/**
 * Who may issue certificates for `name` (absolute, canonical) and for `*.name`: finds the relevant
 * CAA RRset as RFC 8659 §3 describes (climbing towards the root, following aliases at each step)
 * and reads it per §4.
 */
export async function evaluateCaa(name: string, lookup: CaaLookup): Promise<CaaEvaluation> {
  const steps: string[] = [];
  const hit = await relevantRRset(name, lookup, steps);
  const base = {
    name,
    relevantName: null,
    foundAt: null,
    aliases: [],
    records: [],
    iodef: [],
    steps,
  };
  if (hit === null) {
    const policy: CaaPolicy = { kind: 'anyone', reason: 'no CAA records apply to this name' };
    return { ...base, normal: policy, wildcard: policy };
  }
  if (hit.found.kind !== 'found') {
    const why = hit.found.kind === 'unknown' ? hit.found.why : 'no answer';
    steps.push(why);
    const policy: CaaPolicy = { kind: 'unknown', reason: why };
    return { ...base, relevantName: hit.x, normal: policy, wildcard: policy };
  }
  const { at, aliases, records } = hit.found;
  steps.push(
    `the relevant CAA records are at ${at}${at === hit.x ? '' : ` (reached from ${hit.x})`}`,
  );
  return {
    ...base,
    relevantName: hit.x,
    foundAt: at,
    aliases,
    records,
    normal: policyFromRecords(records, false),
    wildcard: policyFromRecords(records, true),
    iodef: records.filter((r) => r.tag === 'iodef').map((r) => r.value),
  };
}
