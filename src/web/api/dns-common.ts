// What every DNS API v2 route shares (apis.md §3): the key's access, the selection read from the
// URL and query (§3.2), request bodies in JSON, form and text/dns (§3.3), and the error shapes (§3.4).
import type { Context } from 'hono';
import type { ApiKeys, ApiPrincipal } from '../../accounts/index.js';
import { isAppError, ValidationError } from '../../core/errors.js';
import type { AppError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type {
  DnsAccess,
  DnsModule,
  DnsRecord,
  Filter,
  Selection,
  ZoneRow,
} from '../../dns/index.js';
import { both, recordFromJson, scopedAccess } from '../../dns/index.js';
import type { WebEnv } from '../context.js';
import { statusForCode } from '../errors.js';
import { decodeUtf8, readBodyBytes, readForm } from '../input.js';
import { prettyJson, referenceJson } from './json.js';

export interface DnsApiDeps {
  apiKeys: ApiKeys;
  dns: DnsModule;
  logger: Logger;
  bodyLimit: number;
}

/** The access of an authenticated key, audited as an API change from the client's address. */
export function accessFor(principal: ApiPrincipal, ip: string): DnsAccess {
  return scopedAccess(principal.accountId, principal.scope, {
    accountId: principal.accountId,
    ip,
    channel: 'api',
    apiKeyId: principal.keyId,
  });
}

export const accessOf = (c: Context<WebEnv>): DnsAccess =>
  accessFor(c.get('principal')!, c.get('clientIp'));

/** `{"error": …}` for 401/403/404 (apis.md §3.4 suggests it; libdns and mb_ddns read it). */
export function errorReply(c: Context, status: 401 | 403 | 404 | 409 | 413 | 500, message: string) {
  if (status === 401) c.header('WWW-Authenticate', 'Basic realm="api"');
  return prettyJson(c, { error: message }, status);
}

/** The lines of a validation error: the message, then details it does not already say. */
export function errorLines(e: AppError): string[] {
  return [e.message, ...e.details.filter((d) => !e.message.includes(d))];
}

/**
 * Translate an error into the DNS API's shapes: 400 `{"errors": […]}` pretty-printed ("Bad
 * input"), 429 `{"message":"Rate limited"}`, `{"error": …}` for the rest. `single` gives dynamic
 * DNS its one `error` string instead.
 */
export function dnsErrorResponse(
  c: Context<WebEnv>,
  err: unknown,
  logger: Logger,
  single = false,
): Response {
  if (isAppError(err) && err.code !== 'INTERNAL') {
    if (err.code === 'RATE_LIMITED') return referenceJson(c, { message: 'Rate limited' }, 429);
    if (err.code === 'VALIDATION') {
      const lines = errorLines(err);
      return prettyJson(c, single ? { error: lines.join('; ') } : { errors: lines }, 400);
    }
    if (err.code === 'UNAUTHENTICATED') c.header('WWW-Authenticate', 'Basic realm="api"');
    return prettyJson(c, { error: err.message }, statusForCode[err.code]);
  }
  logger.error({ err, requestId: c.get('requestId'), path: c.req.path }, 'DNS API request failed');
  return prettyJson(c, { error: `Internal error; reference ${c.get('requestId')}` }, 500);
}

/** Valueless flags (`?verify`, `?exclude-template`) also accept `=1`, `=true` and `=` (§3.2). */
export function flag(values: readonly string[] | undefined, name: string): boolean {
  if (!values) return false;
  return values.every((v) => {
    const t = v.trim().toLowerCase();
    if (t === '' || t === '1' || t === 'true' || t === 'yes') return true;
    if (t === '0' || t === 'false' || t === 'no') return false;
    throw new ValidationError(`'${name}' is a flag: give it no value, 1 or true`);
  });
}

const FILTER_KEYS = ['host', 'type', 'data'] as const;

/** Fold every value of host/type/data in `params` into one filter (they must agree). */
function filterFrom(get: (key: string) => readonly string[]): Filter {
  let filter: Filter = {};
  for (const key of FILTER_KEYS) for (const v of get(key)) filter = both(filter, { [key]: v });
  return filter;
}

/** A `select=` value: itself a URL-encoded filter string, `host=www&type=A` (libdns). */
function selectFilter(text: string): Filter {
  const params = new URLSearchParams(text);
  for (const key of params.keys())
    if (!(FILTER_KEYS as readonly string[]).includes(key))
      throw new ValidationError(`select: unknown filter '${key}' (use host, type and data)`);
  return filterFrom((k) => params.getAll(k));
}

/**
 * The selection of a request (apis.md §3.2): the URL's host and type, the query's host, type and
 * data filters (ANDed, contradictions refused), `select=` sets (their union), the exclusions,
 * and `extra` filters (a DELETE's form body).
 */
export function selectionOf(c: Context<WebEnv>, extra: Filter = {}): Selection {
  const query = c.req.queries();
  const path: Filter = {};
  const host = c.req.param('host');
  const type = c.req.param('type');
  if (host !== undefined) path.host = host;
  if (type !== undefined) path.type = type;
  const base = both(
    both(
      path,
      filterFrom((k) => query[k] ?? []),
    ),
    extra,
  );
  return {
    base,
    anyOf: (query.select ?? []).map(selectFilter),
    excludeTemplate: flag(query['exclude-template'], 'exclude-template'),
    excludeGenerated: flag(query['exclude-generated'], 'exclude-generated'),
  };
}

const mediaType = (c: Context) =>
  (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** dnscontrol sends both Accept and Content-Type text/dns on its GET; either asks for text (§3.6). */
export const wantsZoneText = (c: Context) =>
  /\btext\/dns\b/i.test(c.req.header('accept') ?? '') || mediaType(c) === 'text/dns';

const isForm = (type: string) =>
  type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data';

/** A form body's fields, last value wins; null when the body is not a form. */
export async function formFields(
  c: Context,
  limit: number,
): Promise<Record<string, string> | null> {
  if (!isForm(mediaType(c))) return null;
  const form = await readForm(c, limit);
  const fields: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === 'string') fields[k] = v;
  return fields;
}

/** A DELETE's form body narrows like the query (acme.sh sends `data=` there; §3.2). */
export async function deleteFilter(c: Context, limit: number): Promise<Filter> {
  const fields = await formFields(c, limit);
  if (!fields) return {};
  return filterFrom((k) => (fields[k] !== undefined ? [fields[k]] : []));
}

/** Parse each JSON record, collecting every problem so one reply lists them all. */
function fromJsonList(items: unknown[], zone: ZoneRow, defaults: Filter): DnsRecord[] {
  const apex = `${zone.name}.`;
  const errors: string[] = [];
  const records: DnsRecord[] = [];
  items.forEach((item, i) => {
    const where = items.length > 1 ? `Record ${i + 1}: ` : '';
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      errors.push(`${where}each record must be a JSON object`);
      return;
    }
    try {
      records.push(
        recordFromJson(item as Record<string, unknown>, apex, {
          ...(defaults.host !== undefined ? { host: defaults.host } : {}),
          ...(defaults.type !== undefined ? { type: defaults.type } : {}),
          ttl: zone.default_ttl,
        }),
      );
    } catch (e) {
      if (!isAppError(e) || e.code !== 'VALIDATION') throw e;
      errors.push(...errorLines(e).map((l) => where + l));
    }
  });
  if (errors.length) throw new ValidationError(errors[0]!, errors.slice(1));
  return records;
}

/**
 * The records of a POST or PUT body (apis.md §3.3): JSON `{"records": […]}` (other top-level
 * keys ignored), a form describing one record, or text/dns zone-file lines. On
 * /records/{host}/{type} a record may leave out host and type.
 */
export async function bodyRecords(
  c: Context<WebEnv>,
  deps: DnsApiDeps,
  zone: ZoneRow,
  selection: Selection,
): Promise<DnsRecord[]> {
  const type = mediaType(c);
  if (isForm(type))
    return fromJsonList([await formFields(c, deps.bodyLimit)], zone, selection.base);
  const text = decodeUtf8(await readBodyBytes(c, deps.bodyLimit));
  if (type === 'text/dns') return deps.dns.records.parseZoneText(zone, text);
  if (type !== '' && type !== 'application/json' && !type.endsWith('+json'))
    throw new ValidationError(
      `Unsupported Content-Type '${type}': send application/json, a form, or text/dns`,
    );
  let body: unknown;
  try {
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch (e) {
    throw new ValidationError(`The request body is not valid JSON: ${(e as Error).message}`);
  }
  const records = (body as { records?: unknown } | null)?.records;
  if (!body || typeof body !== 'object' || !Array.isArray(records))
    throw new ValidationError('The body needs a \'records\' list: {"records": [{…}]}');
  return fromJsonList(records, zone, selection.base);
}
