// CAA records (RFC 8659): which certificate authorities may issue for a name. This file holds the
// record codec and the per-record checks of `issue`/`issuewild`/`iodef` values; evaluating a whole
// RRset ("who may issue?") lives in ../caa.ts.
import { quoteBytes, unescapeBytes } from '../presentation.js';
import { byteReader, byteWriter } from '../rdata-bytes.js';
import {
  bad,
  error,
  expectFields,
  field,
  jsonString,
  jsonUint,
  parseUint,
  warning,
} from './common.js';
import type { CaaData, Issue, RecordType } from './types.js';

/** The issuer-critical flag (RFC 8659 §4.1): a CA that does not understand the tag must not issue. */
export const CAA_CRITICAL = 128;

/** Tags whose meaning Bestiary knows: RFC 8659, RFC 9495 (issuemail), and the CA/B Forum's. */
const KNOWN_TAGS = new Set([
  'issue',
  'issuewild',
  'iodef',
  'issuemail',
  'issuevmc',
  'contactemail',
  'contactphone',
]);

const decoder = new TextDecoder('utf-8', { fatal: true });
const LDH = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
const PARAM = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)[ \t]*=[ \t]*([\x21-\x3a\x3c-\x7e]*)$/i;

/** A parsed `issue`/`issuewild` value: issuer null means "nobody" (a bare `;`). */
export interface IssueValue {
  issuer: string | null;
  parameters: { key: string; value: string }[];
}

/**
 * Parses an issue/issuewild value per the RFC 8659 §4.2 grammar: an optional issuer domain name,
 * then optional `;`-separated `key=value` parameters. Returns a problem message when malformed.
 */
export function parseIssueValue(value: string): IssueValue | { problem: string } {
  const semi = value.indexOf(';');
  const domain = (semi < 0 ? value : value.slice(0, semi)).trim();
  const rest = semi < 0 ? '' : value.slice(semi + 1).trim();
  if (domain !== '' && !domain.split('.').every((l) => LDH.test(l))) {
    return { problem: `'${domain}' is not an issuer domain name (like letsencrypt.org)` };
  }
  const parameters: IssueValue['parameters'] = [];
  for (const piece of rest === '' ? [] : rest.split(';')) {
    const m = PARAM.exec(piece.trim());
    if (!m)
      return { problem: `parameter '${piece.trim()}' is not key=value (no spaces in the value)` };
    parameters.push({ key: (m[1] ?? '').toLowerCase(), value: m[2] ?? '' });
  }
  return { issuer: domain === '' ? null : domain.toLowerCase(), parameters };
}

/** Problems with an iodef URL (RFC 8659 §4.4): mailto: or https: only. */
function iodefIssues(value: string): Issue[] {
  if (/^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(value)) return [];
  if (/^https:/i.test(value) && URL.canParse(value)) return [];
  return [error(`iodef '${value}' must be a mailto: address or an https: URL`)];
}

function tagFrom(text: string): string {
  if (!/^[a-z0-9]{1,15}$/i.test(text)) {
    throw bad('CAA', `tag '${text}' must be 1 to 15 ASCII letters and digits (RFC 8659 §4.1)`);
  }
  return text.toLowerCase(); // RFC 8659 §4.1: tags match case-insensitively; store one form.
}

function valueFrom(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw bad('CAA', 'value must be UTF-8 text');
  }
}

/** Certification Authority Authorization records. */
export const caa: RecordType<CaaData> = {
  type: 'CAA',
  code: 257,
  jsonFields: ['caa_flags', 'caa_tag'],
  parse(tokens) {
    expectFields(tokens, 'CAA', 'flags, tag and a quoted value', 3);
    return {
      flags: parseUint(field(tokens, 0), 255, 'CAA', 'flags'),
      tag: tagFrom(field(tokens, 1)),
      value: valueFrom(unescapeBytes(field(tokens, 2))),
    };
  },
  format: (d) => `${d.flags} ${d.tag} ${quoteBytes(new TextEncoder().encode(d.value))}`,
  fromJson: (input) => ({
    flags: input.caa_flags === undefined ? 0 : jsonUint(input, 'caa_flags', 255, 'CAA'),
    tag: tagFrom(jsonString(input, 'caa_tag', 'CAA')),
    value: jsonString(input, 'data', 'CAA'),
  }),
  toJson: (d) => ({ caa_flags: d.flags, caa_tag: d.tag, data: d.value }),
  toWire(d) {
    const w = byteWriter();
    w.u8(d.flags);
    w.charString(new TextEncoder().encode(d.tag));
    w.bytes(new TextEncoder().encode(d.value));
    return w.done();
  },
  fromWire(buf, start, end) {
    const r = byteReader(buf, start, end);
    const flags = r.u8();
    const tag = tagFrom(valueFrom(r.charString()));
    return { flags, tag, value: valueFrom(r.rest()) };
  },
  validate(d) {
    const issues: Issue[] = [];
    if ((d.flags & ~CAA_CRITICAL) !== 0) {
      issues.push(warning(`CAA flags ${d.flags} set reserved bits; only 0 and 128 have a meaning`));
    }
    if (d.tag === 'issue' || d.tag === 'issuewild') {
      const parsed = parseIssueValue(d.value);
      // RFC 8659 §4.2: CAs treat a malformed value like ";" (nobody may issue), so refuse it here.
      if ('problem' in parsed) issues.push(error(`CAA ${d.tag}: ${parsed.problem}`));
    } else if (d.tag === 'iodef') {
      issues.push(...iodefIssues(d.value));
    } else if (!KNOWN_TAGS.has(d.tag)) {
      issues.push(
        (d.flags & CAA_CRITICAL) !== 0
          ? warning(
              `CAA tag '${d.tag}' is unknown and marked critical: no CA will issue for this name`,
            )
          : warning(
              `CAA tag '${d.tag}' is unknown; CAs will ignore it (did you mean issue, issuewild or iodef?)`,
            ),
      );
    }
    return issues;
  },
  target: () => null,
};
