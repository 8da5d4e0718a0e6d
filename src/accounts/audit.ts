// The audit log: every state change, with who, from which address, when, what, before and after.
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import { newId } from '../core/ids.js';
import type { AccountsStore, AuditRow } from './store.js';

export interface AuditEntry {
  actor: Actor;
  /** The account whose object changed (what a customer sees in their own log). */
  ownerAccountId: string | null;
  /** Dotted verb, e.g. 'account.password_changed', 'api_key.created', 'zone.record_added'. */
  action: string;
  objectType: string;
  objectId: string;
  /** Safe views only: never a password hash, secret or token. */
  before?: unknown;
  after?: unknown;
}

export interface AuditEvent {
  id: string;
  at: string;
  actorAccountId: string | null;
  ownerAccountId: string | null;
  ip: string | null;
  channel: string;
  apiKeyId: string | null;
  action: string;
  objectType: string;
  objectId: string;
  before: unknown;
  after: unknown;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first; a customer's own log when ownerAccountId is given, everything otherwise. */
  list(query: { ownerAccountId?: string; limit?: number; before?: string }): Promise<AuditEvent[]>;
}

const toEvent = (r: AuditRow): AuditEvent => ({
  id: r.id,
  at: r.at,
  actorAccountId: r.actor_account_id,
  ownerAccountId: r.owner_account_id,
  ip: r.ip,
  channel: r.channel,
  apiKeyId: r.api_key_id,
  action: r.action,
  objectType: r.object_type,
  objectId: r.object_id,
  before: r.before === null ? null : JSON.parse(r.before),
  after: r.after === null ? null : JSON.parse(r.after),
});

export function createAuditLog(deps: { store: AccountsStore; clock: Clock }): AuditLog {
  return {
    async record(e) {
      await deps.store.insertAudit({
        id: newId(),
        at: isoAt(deps.clock.now()),
        actor_account_id: e.actor.accountId,
        owner_account_id: e.ownerAccountId,
        ip: e.actor.ip,
        channel: e.actor.channel,
        api_key_id: e.actor.apiKeyId ?? null,
        action: e.action,
        object_type: e.objectType,
        object_id: e.objectId,
        before: e.before === undefined ? null : JSON.stringify(e.before),
        after: e.after === undefined ? null : JSON.stringify(e.after),
      });
    },
    async list(q) {
      const rows = await deps.store.listAudit({
        limit: Math.min(q.limit ?? 100, 500),
        ...(q.ownerAccountId ? { ownerAccountId: q.ownerAccountId } : {}),
        ...(q.before ? { before: q.before } : {}),
      });
      return rows.map(toEvent);
    },
  };
}
