// Shared by the DNS API tests: an app with one customer, their zone example.com, keys of any
// scope, and a client that calls the API listener the way curl and the real clients do.
import type { Account } from '../../src/accounts/index.js';
import type { ConfigInput } from '../../src/config.js';
import type { ZoneRow } from '../../src/dns/index.js';
import { buildAccount, buildApiKey } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import type { Reply } from '../support/clients.js';
import { ApiClient, basic } from '../support/clients.js';

export interface CallOptions {
  /** A JSON value (sent as application/json), or text with `type`. */
  json?: unknown;
  form?: Record<string, string>;
  text?: string;
  /** Raw body bytes, with `type`. */
  raw?: string | Uint8Array;
  type?: string;
  headers?: Record<string, string>;
  /** Credentials: a key's Authorization header; null sends none. */
  auth?: string | null;
}

export interface Caller {
  (method: string, path: string, options?: CallOptions): Promise<Reply>;
  authorization: string;
}

/** Call the API as a key, with bodies encoded like curl (-d), lego (JSON) or put-dns (text/dns). */
export function callerFor(t: TestApp, authorization: string, ip = '127.0.0.1'): Caller {
  const client = new ApiClient(t.app.api, ip);
  const call = (async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth === undefined ? authorization : options.auth;
    if (auth) headers.authorization = auth;
    let body: string | Uint8Array | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    } else if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (options.text !== undefined) {
      body = options.text;
      headers['content-type'] ??= 'text/dns';
    } else if (options.raw !== undefined) body = options.raw;
    if (options.type) headers['content-type'] = options.type;
    return client.request(method, path, { headers, ...(body !== undefined ? { body } : {}) });
  }) as Caller;
  call.authorization = authorization;
  return call;
}

export interface DnsApiSetup {
  t: TestApp;
  account: Account;
  zone: ZoneRow;
  /** A caller with an unrestricted dns:rw key. */
  call: Caller;
  /** A caller with a key of this scope on the same account. */
  keyed(scope: string[]): Promise<Caller>;
  /** The zone's records as GET shows them (`path` after /records, query included). */
  records(path?: string, zone?: string): Promise<Record<string, unknown>[]>;
  /** Another zone of the same account. */
  zoneNamed(name: string): Promise<ZoneRow>;
}

export async function dnsApiSetup(
  options: { config?: ConfigInput; zone?: string } = {},
): Promise<DnsApiSetup> {
  const t = await buildTestApp(options.config ? { config: options.config } : {});
  const account = await buildAccount(t.app);
  const zone = await t.app.dns.zones.create(account.id, options.zone ?? 'example.com', 'dns-only', {
    accountId: account.id,
    ip: null,
    channel: 'panel',
  });
  const keyed = async (scope: string[]) => {
    const { key, secret } = await buildApiKey(t.app, account, scope);
    return callerFor(t, basic(key.id, secret));
  };
  const call = await keyed(['dns:rw']);
  return {
    t,
    account,
    zone,
    call,
    keyed,
    zoneNamed: (name) =>
      t.app.dns.zones.create(account.id, name, 'dns-only', {
        accountId: account.id,
        ip: null,
        channel: 'panel',
      }),
    async records(path = '', zoneName = zone.name) {
      const reply = await call('GET', `/dns/v2/zones/${zoneName}/records${path}`);
      if (reply.status !== 200) throw new Error(`GET records: ${reply.status} ${reply.text}`);
      return (JSON.parse(reply.text) as { records: Record<string, unknown>[] }).records;
    },
  };
}

export const parse = (reply: Reply): Record<string, unknown> =>
  JSON.parse(reply.text) as Record<string, unknown>;

/** A record as one line of chosen fields, e.g. "www 300 A 192.0.2.1". */
export const lineOf = (r: Record<string, unknown>, keys = ['host', 'ttl', 'type', 'data']) =>
  keys.map((k) => String(r[k] as string | number)).join(' ');
