// What an API key may do: a list of grants, each for one API, read-only or read-write, and for
// DNS optionally narrowed to zones, hostnames and record types (reference apis.md §1.1, §3.8).
import { z } from 'zod';
import { ValidationError } from '../core/errors.js';

export const apiNames = ['dns', 'pi', 'domains', 'monitoring', 'backups'] as const;
export type ApiName = (typeof apiNames)[number];

export const apiLabels: Record<ApiName, string> = {
  dns: 'DNS',
  pi: 'Raspberry Pi cloud',
  domains: 'Domains',
  monitoring: 'Monitoring',
  backups: 'Backups',
};

const nameList = z.array(z.string().min(1).max(253)).min(1).max(100);

export const grantSchema = z
  .object({
    api: z.enum(apiNames),
    write: z.boolean(),
    /** DNS: zones this grant covers; Domains: the domains. Absent means all of the account's. */
    zones: nameList.optional(),
    /** DNS only: hostnames relative to the zone (`@` for the apex). */
    hosts: nameList.optional(),
    /** DNS only: upper-case record types. */
    types: nameList.optional(),
  })
  .strict();

export type Grant = z.infer<typeof grantSchema>;
export const scopeSchema = z.array(grantSchema).min(1).max(20);
export type Scope = Grant[];

/** One action a request wants to take. Omitted zone/host/type means "any" (e.g. a whole-zone PUT). */
export interface Permission {
  api: ApiName;
  write: boolean;
  zone?: string;
  host?: string;
  type?: string;
}

const lower = (s: string) => s.toLowerCase().replace(/\.$/, '');

function grantCovers(grant: Grant, want: Permission): boolean {
  if (grant.api !== want.api) return false;
  if (want.write && !grant.write) return false;
  if (grant.api === 'domains') {
    return (
      !grant.zones || (want.zone !== undefined && grant.zones.map(lower).includes(lower(want.zone)))
    );
  }
  if (grant.api !== 'dns') return true;
  // A restricted grant covers a request only if the request is narrowed at least as far:
  // a TXT-only key may not act on a whole-zone selection (reference §3.8, lexicon #972).
  if (
    grant.zones &&
    (want.zone === undefined || !grant.zones.map(lower).includes(lower(want.zone)))
  )
    return false;
  if (
    grant.hosts &&
    (want.host === undefined || !grant.hosts.map(lower).includes(lower(want.host)))
  )
    return false;
  if (grant.types && (want.type === undefined || !grant.types.includes(want.type.toUpperCase())))
    return false;
  return true;
}

/** Does any grant of the scope allow this action? */
export function allows(scope: Scope, want: Permission): boolean {
  return scope.some((g) => grantCovers(g, want));
}

/** Does the key have any permission at all on this zone? (`GET /zones` lists those.) */
export function touchesZone(scope: Scope, zone: string): boolean {
  return scope.some(
    (g) => g.api === 'dns' && (!g.zones || g.zones.map(lower).includes(lower(zone))),
  );
}

/** Does the key have any permission on this domain? (`GET /domains` lists those.) */
export function touchesDomain(scope: Scope, domain: string): boolean {
  return scope.some(
    (g) => g.api === 'domains' && (!g.zones || g.zones.map(lower).includes(lower(domain))),
  );
}

/** Does the key have any grant for this API? */
export function touchesApi(scope: Scope, api: ApiName): boolean {
  return scope.some((g) => g.api === api);
}

/**
 * Parse the CLI form of a grant: `api[:ro|:rw][:zones=a,b][:hosts=x,y][:types=TXT,A]`,
 * e.g. `dns:rw:zones=example.com:hosts=_acme-challenge:types=TXT` or `pi:ro`.
 */
export function parseGrant(text: string): Grant {
  const [api, ...rest] = text.trim().split(':');
  if (!apiNames.includes(api as ApiName)) {
    throw new ValidationError(
      `Unknown API "${api}" in scope "${text}"; expected one of ${apiNames.join(', ')}`,
    );
  }
  const grant: Record<string, unknown> = { api, write: false };
  for (const part of rest) {
    if (part === 'ro' || part === 'rw') {
      grant.write = part === 'rw';
      continue;
    }
    const [key, value] = part.split('=');
    if (!key || value === undefined || !['zones', 'hosts', 'types'].includes(key)) {
      throw new ValidationError(`Unrecognised scope part "${part}" in "${text}"`, [
        'Expected api[:ro|:rw][:zones=a,b][:hosts=x,y][:types=TXT,A]',
      ]);
    }
    const values = value.split(',').filter(Boolean);
    grant[key] = key === 'types' ? values.map((v) => v.toUpperCase()) : values.map(lower);
  }
  return validateScope([grant])[0]!;
}

/** Check a scope from any source (form, CLI, stored JSON), with clear messages. */
export function validateScope(input: unknown): Scope {
  const result = scopeSchema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(
      'That API key scope is not valid',
      result.error.issues.map((i) => `${i.path.join('.') || 'scope'}: ${i.message}`),
    );
  }
  for (const g of result.data) {
    if (g.api !== 'dns' && (g.hosts || g.types)) {
      throw new ValidationError(`Hosts and types narrow DNS grants only, not ${apiLabels[g.api]}`);
    }
    if ((g.api === 'pi' || g.api === 'monitoring' || g.api === 'backups') && g.zones)
      throw new ValidationError(`${apiLabels[g.api]} grants cannot be narrowed to zones`);
  }
  return result.data;
}

/** A one-line human summary of a grant, for lists and the CLI. */
export function describeGrant(g: Grant): string {
  const parts = [`${apiLabels[g.api]} ${g.write ? 'read-write' : 'read-only'}`];
  if (g.zones) parts.push(`${g.api === 'domains' ? 'domains' : 'zones'} ${g.zones.join(', ')}`);
  if (g.hosts) parts.push(`hosts ${g.hosts.join(', ')}`);
  if (g.types) parts.push(`types ${g.types.join(', ')}`);
  return parts.join('; ');
}
