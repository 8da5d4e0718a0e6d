// The built-in registrar: its registry is a table in Bestiary's own database, so the whole
// order flow works with no outside registry. A real registrar (EPP) implements the same interface.
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { isoAt } from '../../core/clock.js';
import { ConflictError } from '../../core/errors.js';
import type { DomainsTables } from '../tables.js';
import type { RegistrationRecord, Registrar } from './types.js';

export function createBuiltinRegistrar(deps: {
  db: Kysely<DomainsTables>;
  clock: Clock;
  reserved: readonly string[];
}): Registrar {
  const { db, clock } = deps;
  const reserved = new Set(deps.reserved);

  const toRecord = (r: {
    name: string;
    status: string;
    created_at: string;
    expires_at: string;
    nameservers: string;
    ds_records: string;
  }): RegistrationRecord => ({
    name: r.name,
    status: r.status,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    nameservers: JSON.parse(r.nameservers) as string[],
    ds: JSON.parse(r.ds_records) as string[],
  });

  return {
    name: 'builtin',
    async availability(names) {
      const taken = names.length
        ? await db.selectFrom('registry_names').select('name').where('name', 'in', names).execute()
        : [];
      const takenSet = new Set(taken.map((t) => t.name));
      return new Map(names.map((n) => [n, !takenSet.has(n) && !reserved.has(n.split('.')[0]!)]));
    },
    async register({ name, years, holder, nameservers }) {
      const existing = await db
        .selectFrom('registry_names')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst();
      if (existing) {
        if (existing.holder === holder) return toRecord(existing);
        throw new ConflictError(`${name} is already registered`);
      }
      const now = new Date(clock.now());
      const expires = new Date(now);
      expires.setUTCFullYear(expires.getUTCFullYear() + years);
      const row = {
        name,
        holder,
        status: 'registered',
        nameservers: JSON.stringify(nameservers),
        ds_records: '[]',
        created_at: isoAt(now.getTime()),
        expires_at: isoAt(expires.getTime()),
      };
      try {
        await db.insertInto('registry_names').values(row).execute();
      } catch {
        throw new ConflictError(`${name} is already registered`);
      }
      return toRecord(row);
    },
    async info(name) {
      const row = await db
        .selectFrom('registry_names')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async setNameservers(name, nameservers) {
      await db
        .updateTable('registry_names')
        .set({ nameservers: JSON.stringify(nameservers) })
        .where('name', '=', name)
        .execute();
    },
    async setDs(name, ds) {
      await db
        .updateTable('registry_names')
        .set({ ds_records: JSON.stringify(ds) })
        .where('name', '=', name)
        .execute();
    },
  };
}
