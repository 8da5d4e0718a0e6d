// Zone files in RFC 1035 §5 master format: parsing ($ORIGIN, $TTL, relative names, `@`, omitted
// owner/TTL/class, parentheses, comments, quoted strings) and printing, in the reference API's
// `text/dns` layout (apis.md §3.6) or a classic fully-qualified layout.
//
// Names in a zone file follow RFC 1035 strictly: `www.example.org` without a trailing dot is
// relative to $ORIGIN. (The friendlier reading of names typed into host fields is resolveHost's
// job, for the API and the panel; zone files are written by software that knows the rule.)
import { ValidationError } from '../core/errors.js';
import { hostOf, isInZone, parseName } from './names.js';
import { tokenize, type Entry, type Token } from './presentation.js';
import {
  codecOf,
  formatRdata,
  isRecordTypeName,
  parseDuration,
  type DnsRecord,
  type RecordTypeName,
} from './record-types/index.js';

/** How to read a zone file. */
export interface ParseZoneOptions {
  /** The zone (absolute, canonical): the initial $ORIGIN, and every owner must lie inside it. */
  readonly zone: string;
  /** TTL for records that give none when the file has no $TTL (the zone's default TTL). */
  readonly defaultTtl?: number;
  /** Stop collecting after this many errors (default 50). */
  readonly maxErrors?: number;
}

/** Parser state carried from entry to entry (RFC 1035 §5.1: previous owner, last TTL). */
interface State {
  origin: string;
  ttlDirective: number | undefined;
  lastTtl: number | undefined;
  owner: string | undefined;
}

const TTL_SYNTAX = /^(?:[0-9]+|(?:[0-9]+[smhdw])+)$/i;
const CLASSES = new Set(['CH', 'HS', 'CS', 'NONE', 'ANY']);

function directive(entry: Entry, state: State): void {
  const [name, ...args] = entry.tokens.map((t) => t.text);
  const keyword = (name ?? '').toUpperCase();
  if (keyword === '$INCLUDE') {
    throw new ValidationError('$INCLUDE is not supported: paste the included records in instead');
  }
  if (keyword !== '$ORIGIN' && keyword !== '$TTL') {
    throw new ValidationError(`unknown directive ${name}; only $ORIGIN and $TTL are supported`);
  }
  if (args.length !== 1) throw new ValidationError(`${keyword} takes exactly one value`);
  if (keyword === '$ORIGIN') state.origin = parseName(args[0] ?? '', state.origin);
  else state.ttlDirective = parseDuration(args[0] ?? '', '$TTL');
}

function ownerOf(entry: Entry, state: State): { owner: string; rest: Token[] } {
  if (entry.indented) {
    if (state.owner === undefined) {
      throw new ValidationError(
        'the first record must name its owner (it begins with blank space)',
      );
    }
    return { owner: state.owner, rest: entry.tokens };
  }
  const [first, ...rest] = entry.tokens;
  return { owner: parseName(first?.text ?? '', state.origin), rest };
}

/** Reads `[TTL] [class] type` in either order (RFC 1035 §5.1); returns the TTL and the type. */
function header(
  tokens: Token[],
  state: State,
  opts: ParseZoneOptions,
  ownerText: string,
): { ttl: number; type: RecordTypeName; at: number } {
  let ttl: number | undefined;
  let at = 0;
  for (; at < 2 && at < tokens.length; at++) {
    const text = tokens[at]?.text ?? '';
    if (TTL_SYNTAX.test(text) && ttl === undefined) ttl = parseDuration(text);
    else if (text.toUpperCase() === 'IN') continue;
    else if (CLASSES.has(text.toUpperCase()))
      throw new ValidationError(`class ${text} is not supported; use IN`);
    else break;
  }
  const typeText = tokens[at]?.text;
  if (typeText === undefined) throw new ValidationError('the record has no type');
  const type = typeText.toUpperCase();
  if (!isRecordTypeName(type)) {
    const hint = isRecordTypeName(ownerText.toUpperCase())
      ? ` (a line that starts at the left margin begins with the owner name '${ownerText}'; indent it to reuse the previous owner)`
      : '';
    throw new ValidationError(`unsupported record type '${typeText}'${hint}`);
  }
  if (ttl !== undefined) state.lastTtl = ttl;
  const resolved = ttl ?? state.ttlDirective ?? state.lastTtl ?? opts.defaultTtl;
  if (resolved === undefined)
    throw new ValidationError('the record has no TTL and there is no $TTL');
  return { ttl: resolved, type, at: at + 1 };
}

function record(entry: Entry, state: State, opts: ParseZoneOptions): DnsRecord {
  const { owner, rest } = ownerOf(entry, state);
  state.owner = owner;
  if (!isInZone(owner, opts.zone))
    throw new ValidationError(`${owner} is outside the zone ${opts.zone}`);
  const ownerText = entry.indented ? '' : (entry.tokens[0]?.text ?? '');
  const { ttl, type, at } = header(rest, state, opts, ownerText);
  const data = codecOf(type).parse(rest.slice(at), { origin: state.origin });
  return { name: owner, ttl, type, data } as DnsRecord;
}

/**
 * Parses a zone file into records (SOA included when present). Collects problems from every
 * line and throws one ValidationError whose details read `line N: …`.
 */
export function parseZoneFile(text: string, opts: ParseZoneOptions): DnsRecord[] {
  const state: State = {
    origin: opts.zone,
    ttlDirective: undefined,
    lastTtl: undefined,
    owner: undefined,
  };
  const records: DnsRecord[] = [];
  const errors: string[] = [];
  for (const entry of tokenize(text.replace(/^\uFEFF/, ''))) {
    try {
      if (!entry.indented && entry.tokens[0]?.text.startsWith('$')) directive(entry, state);
      else records.push(record(entry, state, opts));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      errors.push(`line ${entry.line}: ${e.message}`);
      if (errors.length >= (opts.maxErrors ?? 50)) break;
    }
  }
  const first = errors[0];
  if (first !== undefined) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new ValidationError(`Zone file error: ${first}${more}`, errors);
  }
  return records;
}

/** How to print a zone file. */
export interface FormatZoneOptions {
  /**
   * 'api' (default): the reference's `text/dns` lines, `%-22s %s %-5s %s` = host relative to the
   * zone, TTL, type, RDATA. 'classic': $ORIGIN, then fully-qualified owners with class IN, tab
   * separated, SOA first, as BIND and dnscontrol write them.
   */
  readonly style?: 'api' | 'classic';
}

/** Prints records as a zone file; parseZoneFile(formatZoneFile(r, zone), { zone }) gives r back. */
export function formatZoneFile(
  records: readonly DnsRecord[],
  zone: string,
  opts: FormatZoneOptions = {},
): string {
  if (opts.style === 'classic') {
    const ordered = [
      ...records.filter((r) => r.type === 'SOA'),
      ...records.filter((r) => r.type !== 'SOA'),
    ];
    const lines = ordered.map((r) => `${r.name}\t${r.ttl}\tIN\t${r.type}\t${formatRdata(r)}\n`);
    return `$ORIGIN ${zone}\n${lines.join('')}`;
  }
  return records
    .map(
      (r) => `${hostOf(r.name, zone).padEnd(22)} ${r.ttl} ${r.type.padEnd(5)} ${formatRdata(r)}\n`,
    )
    .join('');
}
