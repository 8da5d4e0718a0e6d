// Who may do what to which zone: the panel's full access to an account's own zones, or an API
// key's (or TSIG key's) scope narrowed to zones, hosts and types (apis.md §3.8).
import type { Scope } from '../accounts/index.js';
import { allows, touchesZone } from '../accounts/index.js';
import type { Actor } from '../core/actor.js';

export interface DnsAccess {
  /** The account whose zones these are. */
  accountId: string;
  actor: Actor;
  /** Has some permission on this zone (it is listed and readable in part). */
  seesZone(zone: string): boolean;
  /** May read (write=false) or change (write=true) records at host/type of zone; undefined = all. */
  allows(write: boolean, zone: string, host?: string, type?: string): boolean;
}

/** The account's own access, as in the panel. */
export function fullAccess(accountId: string, actor: Actor): DnsAccess {
  return { accountId, actor, seesZone: () => true, allows: () => true };
}

/** Access through an API or TSIG key with this scope. */
export function scopedAccess(accountId: string, scope: Scope, actor: Actor): DnsAccess {
  return {
    accountId,
    actor,
    seesZone: (zone) => touchesZone(scope, zone),
    allows: (write, zone, host, type) =>
      allows(scope, {
        api: 'dns',
        write,
        zone,
        ...(host !== undefined ? { host } : {}),
        ...(type !== undefined ? { type } : {}),
      }),
  };
}
