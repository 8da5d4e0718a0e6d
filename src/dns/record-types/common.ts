// Helpers the record-type files share: field counts, integers, target names, hex, issues.
import { ValidationError } from '../../core/errors.js';
import {
  checkNameSyntax,
  hostOf,
  isAddressLiteral,
  isInZone,
  parseName,
  resolveTarget,
} from '../names.js';
import type { Token } from '../presentation.js';
import type { Issue, JsonInput, NameContext, RecordContext } from './types.js';

/** A ValidationError whose message and single detail name the record type. */
export function bad(type: string, message: string): ValidationError {
  return new ValidationError(`${type}: ${message}`, [`${type}: ${message}`]);
}

/** An error-level finding. */
export const error = (message: string): Issue => ({ level: 'error', message });
/** A warning-level finding. */
export const warning = (message: string): Issue => ({ level: 'warning', message });

/** Checks the number of RDATA fields; `fields` describes them for the message. */
export function expectFields(
  tokens: readonly Token[],
  type: string,
  fields: string,
  min: number,
  max = min,
): void {
  if (tokens.length < min || tokens.length > max) {
    throw bad(type, `expected ${fields}, got ${tokens.length} field(s)`);
  }
}

/** Parses a decimal integer in 0..max from presentation text. */
export function parseUint(text: string, max: number, type: string, what: string): number {
  if (!/^[0-9]{1,10}$/.test(text) || Number(text) > max) {
    throw bad(type, `${what} must be a whole number from 0 to ${max}, not '${text}'`);
  }
  return Number(text);
}

/** The i-th token's text (callers have checked the count with expectFields). */
export const field = (tokens: readonly Token[], i: number): string => tokens[i]?.text ?? '';

/** A required non-empty string field from JSON or form input. */
export function jsonString(input: JsonInput, key: string, type: string): string {
  const v = input[key];
  if (typeof v !== 'string' || v.trim() === '')
    throw bad(type, `'${key}' must be a non-empty string`);
  return v;
}

/** A required integer field 0..max; form bodies send numbers as decimal strings, so both are accepted. */
export function jsonUint(input: JsonInput, key: string, max: number, type: string): number {
  const v = input[key];
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max) return v;
  if (typeof v === 'string' && /^\s*[0-9]{1,10}\s*$/.test(v) && Number(v) <= max) return Number(v);
  if (v === undefined) throw bad(type, `'${key}' is required`);
  throw bad(type, `'${key}' must be a whole number from 0 to ${max}`);
}

function refuseAddress(text: string, type: string, what: string): void {
  if (isAddressLiteral(text)) {
    throw bad(
      type,
      `${what} must be a host name, not an IP address (${text}); point it at a name that has A/AAAA records`,
    );
  }
}

/** A target name from presentation text (RFC 1035 semantics: relative to the origin). */
export function targetFromText(text: string, ctx: NameContext, type: string, what: string): string {
  refuseAddress(text, type, what);
  return parseName(text, ctx.origin);
}

/** A target name from API input, resolved the way people type them (names.resolveTarget). */
export function targetFromJson(text: string, ctx: NameContext, type: string, what: string): string {
  refuseAddress(text, type, what);
  return resolveTarget(text, ctx.origin);
}

/**
 * Problems with a target name: host-name syntax when `kind` is 'host', and the accident of an
 * address typed without a trailing dot (`10 1.2.3.4` in a zone file becomes 1.2.3.4.example.org.).
 */
export function targetIssues(
  name: string,
  ctx: RecordContext,
  what: string,
  kind: 'host' | 'any',
): Issue[] {
  const issues: Issue[] = [];
  const relative = name !== ctx.zone && isInZone(name, ctx.zone) ? hostOf(name, ctx.zone) : null;
  if (isAddressLiteral(name) || (relative !== null && isAddressLiteral(relative))) {
    issues.push(error(`${what} ${name} looks like an IP address; it must be a host name`));
  } else if (kind === 'host') {
    issues.push(...checkNameSyntax(name, 'host').map((m) => error(`${what}: ${m}`)));
  }
  return issues;
}

/** Lower-case hex of octets. */
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/**
 * Octets from hex text. Upper case is accepted and the stored form is lower case (see sshfp.ts for
 * why); whitespace between tokens is allowed in zone files (RFC 4255 §3.2, RFC 6698 §2.2).
 */
export function fromHex(text: string, type: string, what: string): Uint8Array {
  const hex = text.replace(/\s+/g, '');
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw bad(type, `${what} must be an even number of hexadecimal digits`);
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** The stored (lower-case) hex of the tokens from `from` on, which zone files may split (SSHFP, TLSA, DS). */
export const hexFrom = (
  tokens: readonly Token[],
  from: number,
  type: string,
  what: string,
): string =>
  toHex(
    fromHex(
      tokens
        .slice(from)
        .map((t) => t.text)
        .join(''),
      type,
      what,
    ),
  );

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * A duration in seconds, as TTLs and SOA timers are written: plain seconds (`3600`) or BIND-style
 * units (`1h30m`, `2d`, `1W`). Limited to 2^31-1 (RFC 2181 §8).
 */
export function parseDuration(text: string, what = 'TTL'): number {
  const plain = /^[0-9]{1,10}$/.test(text);
  const units = /^(?:[0-9]{1,10}[smhdw])+$/i.test(text);
  if (!plain && !units) throw bad(what, `'${text}' is not a number of seconds (or like 1h30m)`);
  let total = 0;
  if (plain) total = Number(text);
  else {
    for (const m of text.matchAll(/([0-9]+)([smhdw])/gi)) {
      total += Number(m[1]) * (UNIT_SECONDS[(m[2] ?? 's').toLowerCase()] ?? 1);
    }
  }
  if (total > 0x7fffffff) throw bad(what, `'${text}' is more than 2147483647 seconds`);
  return total;
}
