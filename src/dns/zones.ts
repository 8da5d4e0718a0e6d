// Zone lifecycle: creating a zone (for an ordered domain, or on its own for DNS-only hosting)
// with the provider's template records, finding a customer's zone, deleting it. A zone may never
// sit inside, or above, another account's zone: the longest match would hijack its names.
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { AuditLog } from '../accounts/index.js';
import type { DnsAccess } from './access.js';
import { checkNameSyntax, normalizeName } from './names.js';
import type { DnsRecord, JsonInput } from './record-types/index.js';
import { recordFromJson } from './record-types/index.js';
import { DnsAccessDenied } from './record-ops.js';
import { applyChange } from './records.js';
import type { DnsStore, ZoneRow } from './store.js';
import type { ZoneKind } from './tables.js';

export interface ZoneSettings {
  nameservers: readonly string[];
  nsTtl: number;
  defaultTtl: number;
  minTtl: number;
  maxTtl: number;
  /** Extra records every new zone gets, in the API's JSON shape; flagged `_template`. */
  template: readonly JsonInput[];
  /** The provider's own zones (free-subdomain parents): customers' zones may sit inside them. */
  providerZones: readonly string[];
  /** Whether new zones are signed (DNSSEC); the provider-wide default. */
  dnssecByDefault: boolean;
}

export interface ZonesDeps {
  store: DnsStore;
  clock: Clock;
  audit: AuditLog;
  settings: ZoneSettings;
  /** Serve the zone's current state (after every change). */
  publish(zone: ZoneRow): Promise<void>;
  /** Stop serving a deleted zone. */
  unpublish(zone: ZoneRow): Promise<void>;
}

/** A zone name as typed ("Example.COM.", "bücher.de") in canonical stored form ("example.com"). */
export function zoneName(input: string): string {
  const trimmed = input.trim();
  if (!trimmed || trimmed === '.' || trimmed === '@')
    throw new ValidationError('Enter a domain name for the zone.');
  let absolute: string;
  try {
    absolute = normalizeName(trimmed);
  } catch (e) {
    throw new ValidationError(`“${input}” is not a domain name: ${(e as Error).message}`);
  }
  const problems = checkNameSyntax(absolute, 'host');
  if (problems.length)
    throw new ValidationError(
      `“${input}” is not a domain name we can host: ${problems[0]}`,
      problems,
    );
  if (absolute.split('.').length < 3)
    throw new ValidationError(
      'A zone must be a domain such as example.com, not a top-level domain.',
    );
  return absolute.slice(0, -1);
}

const related = (a: string, b: string) => a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);

/** A serial for a new zone in the common YYYYMMDDnn form (RFC 1912 §2.2). */
const initialSerial = (ms: number) => Number(isoAt(ms).slice(0, 10).replace(/-/g, '')) * 100 + 1;

export function createZones(deps: ZonesDeps) {
  const { store, clock, audit, settings } = deps;

  function templateRecords(apex: string): DnsRecord[] {
    const ns = settings.nameservers.map((target): DnsRecord => ({
      name: apex,
      ttl: settings.nsTtl,
      type: 'NS',
      data: { target: normalizeName(target) },
    }));
    return [
      ...ns,
      ...settings.template.map((t) => recordFromJson(t, apex, { ttl: settings.defaultTtl })),
    ];
  }

  return {
    /**
     * Create a zone for an account. `insideProviderZones` lets the system create a customer's
     * zone under one of the provider's own (a free subdomain).
     */
    async create(
      accountId: string,
      input: string,
      kind: ZoneKind,
      actor: Actor,
      options: { insideProviderZones?: boolean } = {},
    ): Promise<ZoneRow> {
      const name = zoneName(input);
      const clash = (await store.allZones()).find((z) => related(z.name, name));
      if (clash) {
        const inProvider =
          options.insideProviderZones &&
          settings.providerZones.includes(clash.name) &&
          name.endsWith(`.${clash.name}`);
        if (clash.name === name) throw new ConflictError(`${name} is already hosted here.`);
        if (!inProvider && clash.account_id !== accountId) {
          throw new ConflictError(
            `${name} overlaps a zone hosted for someone else, so it cannot be added.`,
          );
        }
      }
      const t = isoAt(clock.now());
      const zone: ZoneRow = {
        id: newId(),
        account_id: accountId,
        name,
        kind,
        default_ttl: settings.defaultTtl,
        serial: initialSerial(clock.now()) - 1,
        created_at: t,
        updated_at: t,
        dnssec: settings.dnssecByDefault ? 1 : 0,
      };
      try {
        await store.insertZone(zone);
      } catch {
        throw new ConflictError(`${name} is already hosted here.`);
      }
      const apex = `${name}.`;
      const result = await applyChange(
        { store, clock, minTtl: settings.minTtl, maxTtl: settings.maxTtl },
        zone.id,
        () => ({
          remove: [],
          add: templateRecords(apex).map((record) => ({ record, origin: 'template' as const })),
        }),
      );
      await audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'zone.created',
        objectType: 'zone',
        objectId: name,
        after: { kind, serial: result.serial },
      });
      await deps.publish(result.zone);
      return result.zone;
    },

    /**
     * A DNS-only zone added through an API key (Bestiary's extension to the reference API): the
     * key must be allowed to change every record of that zone.
     */
    async add(access: DnsAccess, input: string): Promise<ZoneRow> {
      const name = zoneName(input);
      if (!access.allows(true, name)) throw new DnsAccessDenied(`add the zone ${name}`);
      return this.create(access.accountId, name, 'dns-only', access.actor);
    },

    /** The zone of this name that the access may see; anything else is "not found". */
    async find(access: DnsAccess, input: string): Promise<ZoneRow> {
      let name: string;
      try {
        name = zoneName(input);
      } catch {
        throw new NotFoundError('Zone');
      }
      const zone = await store.zoneByName(name);
      if (!zone || zone.account_id !== access.accountId || !access.seesZone(name))
        throw new NotFoundError('Zone');
      return zone;
    },

    /** Operators (the CLI): a zone by name whoever owns it, or every zone. */
    async named(input: string): Promise<ZoneRow> {
      const zone = await store.zoneByName(zoneName(input));
      if (!zone) throw new NotFoundError('Zone');
      return zone;
    },
    all: (): Promise<ZoneRow[]> => store.allZones(),

    async list(access: DnsAccess): Promise<ZoneRow[]> {
      return (await store.zonesOf(access.accountId)).filter((z) => access.seesZone(z.name));
    },

    async remove(access: DnsAccess, zone: ZoneRow): Promise<void> {
      if (!access.allows(true, zone.name)) throw new NotFoundError('Zone');
      await store.deleteZone(zone.id);
      await audit.record({
        actor: access.actor,
        ownerAccountId: zone.account_id,
        action: 'zone.deleted',
        objectType: 'zone',
        objectId: zone.name,
        before: { serial: zone.serial },
      });
      await deps.unpublish(zone);
    },
  };
}

export type Zones = ReturnType<typeof createZones>;
