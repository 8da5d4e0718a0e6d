// Domain names: parsing and normalising presentation text (RFC 1035 §2.3, §5.1), IDN, resolving
// user-typed hosts within a zone, comparison and RFC 4034 §6.1 canonical order.
//
// A name is held as a string in one canonical form: absolute (trailing dot), ASCII letters
// lower-cased (RFC 4034 §6.2; DNS compares names case-insensitively, RFC 4343), Unicode labels
// converted to A-labels, and octets outside letters/digits/`-_*` and printable punctuation written
// as RFC 1035 escapes. Equal names therefore have equal strings, so they can key maps directly.
import { domainToASCII, domainToUnicode } from 'node:url';
import { isIP } from 'node:net';
import { ValidationError } from '../core/errors.js';

/** The root name in canonical form. */
export const ROOT = '.';

const MAX_LABEL = 63;
const MAX_WIRE = 255;
const SIMPLE_TEXT = /^[A-Za-z0-9_*-]{1,63}(?:\.[A-Za-z0-9_*-]{1,63})*\.?$/;
const SPECIAL = new Set([0x2e, 0x5c, 0x22, 0x28, 0x29, 0x3b, 0x40, 0x24]); // . \ " ( ) ; @ $

const invalid = (text: string, why: string): ValidationError =>
  new ValidationError(`Invalid name '${text}': ${why}`, [`'${text}': ${why}`]);

/** Splits text at unescaped dots into raw labels (escapes intact); `absolute` if it ends in one. */
function splitRaw(text: string): { labels: string[]; absolute: boolean } {
  if (text === '.') return { labels: [], absolute: true };
  const labels: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\\') {
      if (i + 1 >= text.length) throw invalid(text, 'it ends with a lone backslash');
      cur += c + (text[i + 1] ?? '');
      i += 1;
    } else if (c === '.') {
      if (cur === '') throw invalid(text, 'it has an empty label (a leading dot or two dots)');
      labels.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur === '') return { labels, absolute: true };
  labels.push(cur);
  return { labels, absolute: false };
}

/** Converts a label holding Unicode to its A-label with UTS #46 (node:url domainToASCII). */
function toALabel(raw: string, whole: string): string {
  if (raw.includes('\\')) throw invalid(whole, 'escapes cannot be mixed with Unicode in a label');
  const ascii = domainToASCII(raw);
  if (ascii === '' || ascii.includes('.')) {
    throw invalid(whole, `'${raw}' is not a valid internationalised label`);
  }
  return ascii;
}

/** Decodes one raw label into lower-cased octets, resolving `\X` and `\DDD` escapes. */
function labelOctets(raw: string, whole: string): number[] {
  const text = /[^\p{ASCII}]/u.test(raw) ? toALabel(raw, whole) : raw;
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c === 0x5c) {
      const digits = text.slice(i + 1, i + 4);
      if (/^[0-9]{3}$/.test(digits)) {
        c = Number(digits);
        if (c > 255) throw invalid(whole, `escape \\${digits} is above \\255`);
        i += 3;
      } else if (/^[0-9]/.test(digits)) {
        throw invalid(whole, `escape \\${digits} needs exactly three digits`);
      } else {
        c = text.charCodeAt(i + 1);
        i += 1;
      }
    }
    out.push(c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
  }
  if (out.length > MAX_LABEL) {
    throw invalid(
      whole,
      `label '${raw}' is ${out.length} octets; the limit is 63 (RFC 1035 §2.3.4)`,
    );
  }
  return out;
}

/** Prints label octets in canonical presentation form. */
function formatLabel(octets: readonly number[]): string {
  let out = '';
  for (const b0 of octets) {
    const b = b0 >= 0x41 && b0 <= 0x5a ? b0 + 0x20 : b0;
    if (SPECIAL.has(b)) out += '\\' + String.fromCharCode(b);
    else if (b > 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\' + String(b).padStart(3, '0');
  }
  return out;
}

function build(labels: readonly (readonly number[])[], whole: string): string {
  const wire = labels.reduce((n, l) => n + l.length + 1, 1);
  if (wire > MAX_WIRE) {
    throw invalid(whole, `it is ${wire} octets on the wire; the limit is 255 (RFC 1035 §2.3.4)`);
  }
  return labels.length === 0 ? ROOT : labels.map(formatLabel).join('.') + '.';
}

/** Canonical name from label octets (leftmost first); throws if a label or the name is too long. */
export function nameFromOctets(labels: readonly ArrayLike<number>[]): string {
  const octets = labels.map((l) => Array.from(l));
  const text = octets.map(formatLabel).join('.') || '.';
  for (const l of octets) {
    if (l.length === 0 || l.length > MAX_LABEL)
      throw invalid(text, 'a label is empty or over 63 octets');
  }
  return build(octets, text);
}

/** Label octets of a name in canonical (or any presentation) form, leftmost first. */
export function labelOctetsOf(name: string): number[][] {
  const normalised = name.replace(/[\u3002\uff0e\uff61]/g, '.'); // IDNA full stops (UTS #46)
  return splitRaw(normalised).labels.map((l) => labelOctets(l, name));
}

/**
 * Parses a name in master-file presentation form (RFC 1035 §5.1) to canonical form: `@` is the
 * origin, a trailing dot makes it absolute, otherwise the origin is appended.
 */
export function parseName(text: string, origin?: string): string {
  if (text === '') throw invalid(text, 'it is empty');
  if (text === '@') {
    if (origin === undefined) throw invalid(text, "'@' needs an origin");
    return origin;
  }
  const fast = parsePlain(text, origin);
  if (fast !== null) return fast;
  const normalised = text.replace(/[\u3002\uff0e\uff61]/g, '.');
  const { labels, absolute } = splitRaw(normalised);
  const own = labels.map((l) => labelOctets(l, text));
  if (absolute) return build(own, text);
  if (origin === undefined) throw invalid(text, 'it is relative and there is no origin');
  return build([...own, ...labelOctetsOf(origin)], text);
}

/**
 * The common case quickly: letters, digits, `-`, `_`, `*` and dots, no escapes. Returns null to
 * defer to the general path (which also produces the error messages).
 */
function parsePlain(text: string, origin: string | undefined): string | null {
  if (!SIMPLE_TEXT.test(text)) return null;
  const lower = text.toLowerCase();
  let full: string;
  if (lower.endsWith('.')) full = lower;
  else if (origin === undefined || origin.includes('\\')) return null;
  else full = origin === ROOT ? `${lower}.` : `${lower}.${origin}`;
  return full.length + 1 <= MAX_WIRE ? full : null; // plain names take length + 1 octets on the wire
}

/** Normalises a name typed without regard to the trailing dot (`Example.ORG` → `example.org.`). */
export function normalizeName(text: string): string {
  return parseName(text.trim(), ROOT);
}

/** True when the text ends in an unescaped dot, i.e. is written as an absolute name. */
export function isAbsoluteText(text: string): boolean {
  return text === '.' || splitRaw(text).absolute;
}

/** Canonical labels (presentation text, escapes kept), leftmost first; the root has none. */
export function labelsOf(name: string): string[] {
  if (plain(name)) return name === ROOT ? [] : name.slice(0, -1).split('.');
  return splitRaw(name).labels;
}

/** A canonical name without escapes, where dots are exactly the label boundaries. */
const plain = (name: string): boolean =>
  name.endsWith('.') &&
  !name.includes('\\') &&
  !name.includes('..') &&
  (name === ROOT || !name.startsWith('.'));

/** True when `name` equals `zone` or lies below it (both canonical). */
export function isInZone(name: string, zone: string): boolean {
  if (zone === ROOT || name === zone) return true;
  if (plain(name) && plain(zone)) return name.endsWith(`.${zone}`);
  const n = labelsOf(name);
  const z = labelsOf(zone);
  if (n.length <= z.length) return false;
  return z.every((l, i) => n[n.length - z.length + i] === l);
}

/** True when `name` lies strictly below `ancestor`. */
export function isBelow(name: string, ancestor: string): boolean {
  return name !== ancestor && isInZone(name, ancestor);
}

/** The parent name (one label removed), or null for the root. */
export function parentOf(name: string): string | null {
  if (name === ROOT) return null;
  if (plain(name)) return name.slice(name.indexOf('.') + 1) || ROOT;
  const labels = labelsOf(name);
  return labels.length === 0 ? null : labels.length === 1 ? ROOT : labels.slice(1).join('.') + '.';
}

/** True when the first label is the wildcard label `*` (RFC 4592). */
export function isWildcard(name: string): boolean {
  return labelsOf(name)[0] === '*';
}

/** Case-insensitive equality of two names in any presentation form (absolute). */
export function namesEqual(a: string, b: string): boolean {
  return normalizeName(a) === normalizeName(b);
}

/**
 * Resolves what a person typed in a host field of `zone`: empty or `@` is the apex; a trailing dot
 * means absolute (and must be inside the zone); a name that already ends with the zone, like
 * `www.example.org` in example.org, is taken as absolute rather than becoming
 * `www.example.org.example.org.`; anything else (`www`, `_acme-challenge.www`) is relative.
 */
export function resolveHost(host: string, zone: string): string {
  const text = host.trim();
  if (text === '' || text === '@') return zone;
  const asAbsolute = normalizeName(text);
  if (isAbsoluteText(text)) {
    if (!isInZone(asAbsolute, zone)) {
      throw new ValidationError(`${asAbsolute} is not inside the zone ${zone}`, [
        `host '${text}' is outside the zone ${zone}`,
      ]);
    }
    return asAbsolute;
  }
  return isInZone(asAbsolute, zone) ? asAbsolute : parseName(text, zone);
}

/**
 * Resolves a name typed as a record's target (CNAME, MX, SRV, … in the API or panel): `@` is the
 * apex; a single label (`mail`) is relative to the zone; a name with dots is taken as absolute
 * whether or not it ends in a dot (`ghs.googlehosted.com`), since targets usually point outside
 * the zone and nobody means `ghs.googlehosted.com.example.org.`.
 */
export function resolveTarget(text: string, zone: string): string {
  const t = text.trim();
  if (t === '@') return zone;
  const { labels, absolute } = splitRaw(t === '' ? '@' : t);
  return absolute || labels.length > 1 ? normalizeName(t) : parseName(t, zone);
}

/** The host of `name` relative to `zone` as the API shows it: `@` for the apex, no trailing dot. */
export function hostOf(name: string, zone: string): string {
  if (name === zone) return '@';
  if (!isInZone(name, zone)) {
    throw new ValidationError(`${name} is not inside the zone ${zone}`);
  }
  if (plain(name) && plain(zone)) return name.slice(0, zone === ROOT ? -1 : -zone.length - 1);
  const n = labelsOf(name);
  return n.slice(0, n.length - labelsOf(zone).length).join('.');
}

/** Orders names canonically (RFC 4034 §6.1): by labels from the right, each as lower-cased octets. */
export function compareCanonical(a: string, b: string): number {
  const la = labelOctetsOf(a).reverse();
  const lb = labelOctetsOf(b).reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    const x = la[i] ?? [];
    const y = lb[i] ?? [];
    for (let j = 0; j < Math.min(x.length, y.length); j++) {
      const d = (x[j] ?? 0) - (y[j] ?? 0);
      if (d !== 0) return d;
    }
    if (x.length !== y.length) return x.length - y.length;
  }
  return la.length - lb.length;
}

/** True when text (with or without a trailing dot) is an IPv4 or IPv6 address literal. */
export function isAddressLiteral(text: string): boolean {
  return isIP(text.trim().replace(/\.$/, '')) !== 0;
}

/**
 * Host-name syntax problems of a canonical name. `owner`: letters, digits, hyphens and
 * underscores (for `_acme-challenge`, `_dmarc`, SRV and TLSA owners) and a leading `*` label;
 * `host`: letters, digits and hyphens only (RFC 952/1123), as MX, NS and SRV targets must be.
 * Labels may not begin or end with a hyphen. Returns human messages; empty means fine.
 */
export function checkNameSyntax(name: string, kind: 'owner' | 'host'): string[] {
  const problems: string[] = [];
  const pattern =
    kind === 'owner' ? /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/ : /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
  labelsOf(name).forEach((label, i) => {
    if (label === '*' && i === 0 && kind === 'owner') return;
    if (label === '*')
      problems.push(`${name}: '*' is only allowed as the first label (a wildcard)`);
    else if (!pattern.test(label)) {
      const allowed =
        kind === 'owner'
          ? 'letters, digits, hyphens and underscores'
          : 'letters, digits and hyphens';
      problems.push(
        `${name}: label '${label}' may contain only ${allowed}, and may not start or end with a hyphen`,
      );
    }
  });
  return problems;
}

/** The name with A-labels shown as Unicode, for display in the panel only. */
export function nameToUnicode(name: string): string {
  if (name === ROOT) return ROOT;
  const unicode = domainToUnicode(name.slice(0, -1));
  return unicode === '' ? name : unicode + '.';
}
