// TSIG keys for RFC 2136 dynamic UPDATE (certbot's rfc2136 plugin, lego, nsupdate): created in
// the panel, scoped like API keys, secrets sealed at rest; and applying a verified UPDATE
// through the same change path as the API.
import { randomBytes } from 'node:crypto';
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import type { Sealer } from '../core/crypto.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { newId, randomToken } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { AuditLog, Grant } from '../accounts/index.js';
import { validateScope } from '../accounts/index.js';
import { scopedAccess } from './access.js';
import type { DnsAccess } from './access.js';
import type { DnsRecord } from './record-types/index.js';
import { rdataFromWire, recordKey, typeByCode } from './record-types/index.js';
import type { RecordOps } from './record-ops.js';
import { DnsAccessDenied } from './record-ops.js';
import { apexOf } from './records.js';
import type { TsigKeyEntry, UpdateRequest } from './server/index.js';
import type { DnsStore, TsigKeyRow } from './store.js';

// RFC 1035 §4.1.1 / RFC 2136 §2.2 response codes used here.
const NOERROR = 0;
const FORMERR = 1;
const SERVFAIL = 2;
const NOTAUTH = 9;
const REFUSED = 5;
const CLASS_IN = 1;
const CLASS_NONE = 254;
const CLASS_ANY = 255;
const TYPE_ANY = 255;
const TYPE_SOA = 6;

export interface TsigKeyView {
  id: string;
  name: string;
  label: string;
  algorithm: string;
  grant: Grant;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const view = (r: TsigKeyRow): TsigKeyView => ({
  id: r.id,
  name: r.name,
  label: r.label,
  algorithm: r.algorithm,
  grant: (JSON.parse(r.scope) as Grant[])[0]!,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

export interface TsigDeps {
  store: DnsStore;
  clock: Clock;
  sealer: Sealer;
  audit: AuditLog;
  logger: Logger;
  records: RecordOps;
  /** Provider-level keys from configuration (for secondaries' transfers), by name. */
  providerKeys: ReadonlyMap<string, TsigKeyEntry>;
}

const slug = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 30) || 'key';

export function createTsigKeys(deps: TsigDeps) {
  const { store, clock, sealer } = deps;
  const context = (name: string) => `tsig:${name}`;

  return {
    /** Create a key; its secret (base64) is shown once. The grant narrows it like an API key's. */
    async create(
      accountId: string,
      input: { label: string; zones?: string[]; hosts?: string[]; types?: string[] },
      actor: Actor,
    ): Promise<{ key: TsigKeyView; secret: string }> {
      const label = input.label.trim();
      if (!label || label.length > 100)
        throw new ValidationError('Give the key a label of at most 100 characters.');
      const grant = validateScope([
        {
          api: 'dns',
          write: true,
          ...(input.zones?.length ? { zones: input.zones } : {}),
          ...(input.hosts?.length ? { hosts: input.hosts } : {}),
          ...(input.types?.length ? { types: input.types } : {}),
        },
      ])[0]!;
      const secret = randomBytes(32).toString('base64');
      const name = `${slug(label)}-${randomToken(8)}.`;
      const row: TsigKeyRow = {
        id: newId(),
        name,
        account_id: accountId,
        label,
        algorithm: 'hmac-sha256',
        secret: sealer.seal(secret, context(name)),
        scope: JSON.stringify([grant]),
        created_at: isoAt(clock.now()),
        revoked_at: null,
        last_used_at: null,
      };
      await store.insertTsigKey(row);
      await deps.audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'tsig_key.created',
        objectType: 'tsig_key',
        objectId: name,
        after: { label, grant },
      });
      return { key: view(row), secret };
    },

    list: async (accountId: string) => (await store.tsigKeysOf(accountId)).map(view),

    async revoke(accountId: string, id: string, actor: Actor): Promise<TsigKeyView> {
      const row = (await store.tsigKeysOf(accountId)).find((k) => k.id === id);
      if (!row) throw new NotFoundError('TSIG key');
      if (!row.revoked_at) {
        await store.updateTsigKey(row.id, { revoked_at: isoAt(clock.now()) });
        await deps.audit.record({
          actor,
          ownerAccountId: accountId,
          action: 'tsig_key.revoked',
          objectType: 'tsig_key',
          objectId: row.name,
        });
      }
      return view({ ...row, revoked_at: row.revoked_at ?? isoAt(clock.now()) });
    },

    /** What the wire server asks when a message is signed: the key, and the zones it may touch. */
    async lookup(name: string): Promise<TsigKeyEntry | undefined> {
      const provider = deps.providerKeys.get(name.toLowerCase());
      if (provider) return provider;
      const row = await store.tsigKeyByName(name.toLowerCase());
      if (!row || row.revoked_at) return undefined;
      const grant = view(row).grant;
      return {
        name: row.name,
        algorithm: `${row.algorithm}.`,
        secret: Buffer.from(sealer.open(row.secret, context(row.name)), 'base64'),
        zones: grant.zones?.map((z) => `${z}.`) ?? '*',
      };
    },

    /**
     * Apply an RFC 2136 update the server has verified (TSIG, zone, prerequisites). The key's
     * scope decides which hosts and types it may change; the change goes through the same
     * validation as the API, and the reply is its RCODE.
     */
    async applyUpdate(
      request: UpdateRequest,
      zoneFor: (
        name: string,
      ) => Promise<
        | { id: string; name: string; account_id: string; default_ttl: number; serial: number }
        | undefined
      >,
    ): Promise<number> {
      const row = await store.tsigKeyByName(request.keyName.toLowerCase());
      if (!row || row.revoked_at) return NOTAUTH;
      const zone = await zoneFor(request.zone.replace(/\.$/, ''));
      if (!zone || zone.account_id !== row.account_id) return NOTAUTH;
      const access: DnsAccess = scopedAccess(row.account_id, JSON.parse(row.scope) as Grant[], {
        accountId: row.account_id,
        ip: request.source,
        channel: 'dns',
        apiKeyId: row.name,
      });
      const apex = apexOf(zone);
      try {
        let refusal: string | null = null;
        await deps.records.apply(access, zone as never, 'zone.dynamic_update', (current) => {
          let next: DnsRecord[] = current
            .filter((r) => r.origin !== 'generated')
            .map((r) => r.record);
          const apexNs = () => next.filter((n) => n.name === apex && n.type === 'NS').length;
          for (const u of request.updates) {
            if (u.type === TYPE_SOA) continue; // the SOA is the provider's (RFC 2136 §3.4.2.2)
            const type = u.type === TYPE_ANY ? undefined : typeByCode(u.type);
            if (u.type !== TYPE_ANY && !type) {
              refusal = `unsupported type ${u.type}`;
              return { remove: [], add: [] };
            }
            if (u.class === CLASS_IN) {
              const record = {
                name: u.name,
                ttl: u.ttl,
                type: type!,
                data: rdataFromWire(type!, u.rdata),
              } as DnsRecord;
              if (!next.some((r) => recordKey(r) === recordKey(record))) next.push(record);
            } else if (u.class === CLASS_ANY) {
              // §3.4.2.3: deleting at the apex never removes the SOA or the NS RRset.
              next = next.filter(
                (r) =>
                  !(
                    r.name === u.name &&
                    (type === undefined || r.type === type) &&
                    !(r.name === apex && r.type === 'NS')
                  ),
              );
            } else if (u.class === CLASS_NONE) {
              const key = recordKey({
                name: u.name,
                ttl: 0,
                type: type!,
                data: rdataFromWire(type!, u.rdata),
              } as DnsRecord);
              next = next.filter(
                (r) =>
                  recordKey(r) !== key || (r.name === apex && r.type === 'NS' && apexNs() === 1),
              );
            } else {
              refusal = 'bad class';
              return { remove: [], add: [] };
            }
          }
          const before = new Set(current.map((r) => recordKey(r.record)));
          const after = new Set(next.map(recordKey));
          return {
            remove: current.filter(
              (r) => r.origin !== 'generated' && !after.has(recordKey(r.record)),
            ),
            add: next.filter((r) => !before.has(recordKey(r))).map((record) => ({ record })),
          };
        });
        if (refusal) return FORMERR;
        await store.updateTsigKey(row.id, { last_used_at: isoAt(clock.now()) });
        return NOERROR;
      } catch (e) {
        if (e instanceof DnsAccessDenied || e instanceof ValidationError) {
          deps.logger.info(
            { key: row.name, zone: zone.name, reason: (e as Error).message },
            'dynamic update refused',
          );
          return REFUSED;
        }
        deps.logger.error({ err: e, key: row.name }, 'dynamic update failed');
        return SERVFAIL;
      }
    },
  };
}

export type TsigKeys = ReturnType<typeof createTsigKeys>;
