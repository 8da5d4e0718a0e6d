// The checks people own: stored rows kept in step with the engine, with tenancy, limits and sources.
import type { AuditLog } from '../accounts/index.js';
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { newId, newSecret } from '../core/ids.js';
import type { CheckRegistry } from './checks/index.js';
import type { CheckInput, Defaults } from './definitions.js';
import { parseCheckInput, toDefinition } from './definitions.js';
import type { Engine } from './engine.js';
import type { MonitoringStore } from './store.js';
import type { CheckRow, CheckSource } from './tables.js';
import { assertPublicTarget } from './targets.js';
import type { CheckDefinition } from './types.js';

/** What the module remembers of each check besides its engine definition. */
export interface CheckMeta {
  source: CheckSource;
  origin: string | null;
  public: boolean;
  pushToken: string | null;
  createdAt: number;
}

export interface InventoryOptions {
  defaults: Defaults;
  minIntervalSeconds: number;
  maxChecksPerAccount: number;
  allowPrivateTargets: boolean;
}

export interface InventoryDeps {
  store: MonitoringStore;
  engine: Engine;
  clock: Clock;
  audit: AuditLog;
  registry: CheckRegistry;
  options: InventoryOptions;
}

/** Who may see a check: operators all of them, a customer their own. */
export const maySee = (actor: Actor, def: Pick<CheckDefinition, 'accountId'>): boolean =>
  actor.isAdmin === true || (actor.accountId !== null && def.accountId === actor.accountId);

/** A check made by a system reaction or the checks file rather than by a person. */
export interface ManagedCheck {
  source: 'auto' | 'config';
  origin: string;
  accountId: string | null;
  ref: string;
  input: CheckInput;
}

const needsToken = (type: string) => type === 'push' || type === 'metric';
const defOf = (row: CheckRow): CheckDefinition =>
  ({ ...(JSON.parse(row.definition) as object), id: row.id }) as CheckDefinition;
const stored = (def: CheckDefinition): string => {
  const { id: _id, ...rest } = def;
  return JSON.stringify(rest);
};

export function createInventory(deps: InventoryDeps) {
  const { store, engine, options } = deps;
  const meta = new Map<string, CheckMeta>();
  const metaOf = (row: CheckRow): CheckMeta => ({
    source: row.source,
    origin: row.origin,
    public: row.public === 1,
    pushToken: row.push_token,
    createdAt: row.created_at,
  });
  const lookup = (id: string): CheckDefinition | undefined => {
    if (!meta.has(id)) return undefined;
    try {
      const def = engine.get(id);
      return def.id === id ? def : undefined;
    } catch {
      return undefined;
    }
  };

  /** Remove a check whatever its source (a server gone, a line taken out of the file). */
  async function drop(id: string): Promise<void> {
    engine.remove(id);
    meta.delete(id);
    await store.deleteCheck(id);
  }

  /** A check the actor may see, or NotFound (someone else's looks exactly like none). */
  function find(actor: Actor, id: string): CheckDefinition {
    const def = lookup(id);
    if (!def || !maySee(actor, def)) throw new NotFoundError('Check');
    return def;
  }

  /** The rules for what a person may write; the checks file and automatic checks skip them. */
  async function vet(actor: Actor, input: CheckInput, accountId: string | null, id?: string) {
    if (accountId !== null && !actor.isAdmin) {
      if ((input.intervalSeconds ?? options.defaults.intervalSeconds) < options.minIntervalSeconds)
        throw new ValidationError(`The shortest interval is ${options.minIntervalSeconds} seconds`);
    }
    if (accountId !== null && input.public)
      throw new ValidationError('Only the provider’s checks can be public');
    // Whoever types it, a check an account owns probes on that account's behalf.
    if (accountId !== null && !options.allowPrivateTargets)
      await assertPublicTarget(deps.registry, input.type, input.params);
    if (input.parent) {
      const parent = lookup(input.parent);
      if (!parent || parent.accountId !== accountId || input.parent === id)
        throw new ValidationError('The parent check must be another check of the same owner');
    }
  }

  async function audit(actor: Actor, def: CheckDefinition, action: string, after?: unknown) {
    await deps.audit.record({
      actor,
      ownerAccountId: def.accountId,
      action: `monitoring.${action}`,
      objectType: 'monitoring_check',
      objectId: def.id,
      after,
    });
  }

  async function insert(
    source: CheckSource,
    origin: string | null,
    accountId: string | null,
    input: CheckInput,
    ref: (seriesId: number) => string,
  ): Promise<CheckDefinition> {
    const id = newId();
    const now = deps.clock.now();
    const placeholder = toDefinition(input, { id, ref: id, accountId }, options.defaults);
    const row = await store.insertCheck({
      id,
      account_id: accountId,
      source,
      origin,
      type: input.type,
      name: input.name,
      ref: `pending-${id}`,
      definition: stored(placeholder),
      public: input.public ? 1 : 0,
      push_token: needsToken(input.type) ? newSecret(24) : null,
      created_at: now,
      updated_at: now,
    });
    const def: CheckDefinition = { ...placeholder, ref: ref(row.series_id) };
    await store.updateCheck(id, { ref: def.ref, definition: stored(def) });
    meta.set(id, metaOf({ ...row, ref: def.ref }));
    engine.upsert(def);
    return def;
  }

  async function replace(old: CheckDefinition, input: CheckInput): Promise<CheckDefinition> {
    const def = toDefinition(
      input,
      { id: old.id, ref: old.ref, accountId: old.accountId },
      options.defaults,
    );
    const m = meta.get(old.id)!;
    await store.updateCheck(old.id, {
      type: def.type,
      name: def.name,
      definition: stored(def),
      public: input.public ? 1 : 0,
      push_token: needsToken(def.type) ? (m.pushToken ?? newSecret(24)) : null,
      updated_at: deps.clock.now(),
    });
    meta.set(old.id, {
      ...m,
      public: input.public === true,
      pushToken: needsToken(def.type) ? (m.pushToken ?? null) : null,
    });
    engine.upsert(def);
    return def;
  }

  return {
    meta,
    find,
    /** Load every stored check into the engine (before it starts). */
    async load(): Promise<number> {
      const rows = await store.allChecks();
      for (const row of rows) {
        meta.set(row.id, metaOf(row));
        engine.upsert(defOf(row));
      }
      return rows.length;
    },
    /** Checks the actor may see; `owner` narrows an operator's view ('provider' = no account). */
    list(actor: Actor, owner?: string): CheckDefinition[] {
      return engine.list().filter((d) => {
        if (!maySee(actor, d)) return false;
        if (owner === 'provider') return d.accountId === null;
        return owner === undefined || d.accountId === owner;
      });
    },
    /** A person's new check: theirs, or (an operator's choice) the provider's. */
    async create(actor: Actor, raw: unknown, opts: { provider?: boolean } = {}) {
      const input = parseCheckInput(raw);
      const accountId = opts.provider && actor.isAdmin ? null : actor.accountId;
      if (accountId !== null && !actor.isAdmin) {
        const have = await store.countUserChecks(accountId);
        if (have >= options.maxChecksPerAccount)
          throw new ValidationError(`You already have ${have} checks, the most allowed`);
      }
      await vet(actor, input, accountId);
      const def = await insert('user', null, accountId, input, (s) => `${s}-${input.type}`);
      await audit(actor, def, 'check_created', { name: def.name, type: def.type });
      return def;
    },
    async update(actor: Actor, id: string, raw: unknown) {
      const old = find(actor, id);
      const m = meta.get(id)!;
      if (m.source !== 'user')
        throw new ValidationError(
          m.source === 'auto'
            ? 'This check is managed automatically and cannot be edited'
            : 'This check is kept in the checks file; change it there',
        );
      const input = parseCheckInput(raw);
      if (input.type !== old.type) throw new ValidationError('A check’s type cannot change');
      await vet(actor, input, old.accountId, id);
      const def = await replace(old, input);
      await audit(actor, def, 'check_changed', { name: def.name });
      return def;
    },
    async remove(actor: Actor, id: string) {
      const def = find(actor, id);
      if (meta.get(id)!.source !== 'user')
        throw new ValidationError('Only checks added in the panel or the API can be deleted here');
      await drop(id);
      await audit(actor, def, 'check_deleted', { name: def.name });
    },
    drop,
    /** Add or bring up to date a managed check, found by its origin. Idempotent. */
    async ensure(m: ManagedCheck): Promise<CheckDefinition> {
      const row = await store.checkByOrigin(m.origin);
      if (!row) return insert(m.source, m.origin, m.accountId, m.input, () => m.ref);
      const old = lookup(row.id) ?? defOf(row);
      if (!meta.has(row.id)) meta.set(row.id, metaOf(row));
      const next = toDefinition(
        m.input,
        { id: row.id, ref: m.ref, accountId: m.accountId },
        options.defaults,
      );
      if (stored(next) === stored(old) && row.public === (m.input.public ? 1 : 0)) return old;
      if (next.ref !== old.ref) await store.updateCheck(row.id, { ref: next.ref });
      return replace({ ...old, ref: next.ref }, m.input);
    },
    /** Managed checks whose origin starts with this prefix (a server's, the file's). */
    async managed(prefix: string): Promise<CheckRow[]> {
      return store.checksWithOriginPrefix(prefix);
    },
    byToken: (token: string) => store.checkByToken(token),
  };
}

export type Inventory = ReturnType<typeof createInventory>;
