// The reference API's record selection (apis.md §3.2): the URL's host and type, exact-match
// filters on host, type and data, `select` sets (their union), and the template/generated
// exclusions. The panel selects the same way, by record id as well.
import { ValidationError } from '../core/errors.js';
import { hostOf, resolveHost } from './names.js';
import type { StoredRecord } from './records.js';

/** One exact-match filter; absent fields match anything. Hosts are as typed ('@', 'www', FQDN). */
export interface Filter {
  host?: string;
  type?: string;
  data?: string;
}

export interface Selection {
  /** Every record must match this (the URL path and the plain query parameters). */
  base: Filter;
  /** When non-empty, a record must also match at least one of these (`select=` values). */
  anyOf: Filter[];
  excludeTemplate: boolean;
  excludeGenerated: boolean;
  /** The panel selects single records by id. */
  ids?: readonly string[];
}

export const everything: Selection = {
  base: {},
  anyOf: [],
  excludeTemplate: false,
  excludeGenerated: false,
};

interface CanonicalFilter {
  host?: string;
  type?: string;
  data?: string;
}

function canonical(filter: Filter, zone: string): CanonicalFilter {
  const out: CanonicalFilter = {};
  if (filter.host !== undefined) out.host = hostOf(resolveHost(filter.host, zone), zone);
  if (filter.type !== undefined) out.type = filter.type.trim().toUpperCase();
  if (filter.data !== undefined) out.data = filter.data;
  return out;
}

function matches(r: StoredRecord, f: CanonicalFilter): boolean {
  return (
    (f.host === undefined || r.host === f.host) &&
    (f.type === undefined || r.type === f.type) &&
    (f.data === undefined || r.json.data === f.data)
  );
}

/** Combine two filters that must both hold; contradictory values (path vs query) are an error. */
export function both(a: Filter, b: Filter): Filter {
  const out: Filter = { ...a };
  for (const key of ['host', 'type', 'data'] as const) {
    const value = b[key];
    if (value === undefined) continue;
    const existing = out[key];
    const same =
      key === 'type' ? existing?.toUpperCase() === value.toUpperCase() : existing === value;
    if (existing !== undefined && !same && !(key === 'host' && sameHost(existing, value))) {
      throw new ValidationError(
        `The ${key} in the query (${value}) contradicts the one in the path (${existing})`,
      );
    }
    out[key] = value;
  }
  return out;
}

const sameHost = (x: string, y: string) =>
  x.replace(/\.$/, '').toLowerCase() === y.replace(/\.$/, '').toLowerCase();

/** The records of a zone that a selection picks, in their stored order. */
export function select(
  records: readonly StoredRecord[],
  selection: Selection,
  zone: string,
): StoredRecord[] {
  const base = canonical(selection.base, zone);
  const anyOf = selection.anyOf.map((f) => canonical(f, zone));
  const ids = selection.ids && new Set(selection.ids);
  return records.filter(
    (r) =>
      matches(r, base) &&
      (anyOf.length === 0 || anyOf.some((f) => matches(r, f))) &&
      !(selection.excludeTemplate && r.origin === 'template') &&
      !(selection.excludeGenerated && r.origin === 'generated') &&
      (!ids || ids.has(r.id)),
  );
}

/**
 * The narrowest host and type every selected record is sure to have, for permission checks:
 * a key limited to TXT at _acme-challenge may act on /records/_acme-challenge/TXT, but not on a
 * selection that could reach other hosts or types (apis.md §3.8).
 */
export function scopeOf(selection: Selection, zone: string): { host?: string; type?: string }[] {
  const base = canonical(selection.base, zone);
  if (selection.anyOf.length === 0)
    return [
      { ...(base.host ? { host: base.host } : {}), ...(base.type ? { type: base.type } : {}) },
    ];
  return selection.anyOf.map((f) => {
    const c = canonical(f, zone);
    const host = base.host ?? c.host;
    const type = base.type ?? c.type;
    return { ...(host ? { host } : {}), ...(type ? { type } : {}) };
  });
}

/**
 * The first record whose host or type the selection cannot reach: a PUT or POST on
 * /records/{host}/{type} (or with select=) may only write inside what its URL names.
 */
export function firstOutside<R extends { name: string; type: string }>(
  selection: Selection,
  zone: string,
  records: readonly R[],
): R | undefined {
  const only = (f: Filter): CanonicalFilter => {
    const c = canonical(f, zone);
    return { ...(c.host ? { host: c.host } : {}), ...(c.type ? { type: c.type } : {}) };
  };
  const base = only(selection.base);
  const anyOf = selection.anyOf.map(only);
  const inside = (f: CanonicalFilter, host: string, type: string) =>
    (f.host === undefined || f.host === host) && (f.type === undefined || f.type === type);
  return records.find((r) => {
    const host = hostOf(r.name, zone);
    return !(
      inside(base, host, r.type) &&
      (anyOf.length === 0 || anyOf.some((f) => inside(f, host, r.type)))
    );
  });
}
