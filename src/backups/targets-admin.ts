// Targets as the product sees them: who owns one, its input schema, its password sealed at rest,
// tenancy (another account's target is "not found"), and the engine's view of a stored row.
import { z } from 'zod';
import type { Actor } from '../core/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { openCredential, sealCredential } from './crypto/credentials.js';
import { cronProblem } from './cron.js';
import type { BackupsStore, TargetRow } from './store.js';
import type { OwnerKind } from './tables.js';
import type { BackupTarget, RetentionPolicy, TargetConfig } from './types.js';

const name = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, {
    message: 'lower-case letters, digits, dot, dash and underscore (at most 63)',
  });
const cron = z
  .string()
  .trim()
  .refine((s) => cronProblem(s) === null, {
    error: (i) => cronProblem(String(i.input)) ?? 'not a schedule',
  });
const list = z.array(z.string().trim().min(1)).max(200);
const connection = {
  host: z.string().trim().min(1).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  socket: z.string().trim().min(1).optional(),
  user: z.string().trim().min(1).optional(),
  password: z.string().optional(),
};

export const targetConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('mysql'),
    ...connection,
    databases: z.union([z.literal('all'), list.min(1)]),
    ephemeral: list.optional(),
    extraArgs: list.optional(),
    allowForce: z.boolean().optional(),
    client: z.enum(['mariadb-dump', 'mysqldump']).optional(),
  }),
  z.object({
    kind: z.literal('postgres'),
    ...connection,
    databases: z.union([z.literal('all'), list.min(1)]),
    ephemeral: list.optional(),
    format: z.enum(['custom', 'plain']).optional(),
    globals: z.boolean().optional(),
    extraArgs: list.optional(),
  }),
  z.object({ kind: z.literal('files'), paths: list.min(1), exclude: list.optional() }),
  z.object({ kind: z.literal('sqlite'), path: z.string().startsWith('/') }),
]);

export const targetInputSchema = z.object({
  name,
  owner: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('provider') }),
    /** A customer's Pi, by its account and the Pi's name (the picloud module resolves its id). */
    z.object({ kind: z.literal('pi'), accountId: z.string().min(1), piName: z.string().min(1) }),
    /** A managed server: the servers module does not exist yet, so its id is taken as given. */
    z.object({
      kind: z.literal('server'),
      accountId: z.string().min(1),
      serverId: z.string().min(1),
    }),
  ]),
  config: targetConfigSchema,
  schedule: cron.optional(),
  retention: z
    .object({
      last: z.number().int().min(1).max(1000),
      daily: z.number().int().min(0).max(1000),
      weekly: z.number().int().min(0).max(1000),
      monthly: z.number().int().min(0).max(1000),
    })
    .optional(),
  restoreTest: z
    .object({
      query: z.string().max(2000).optional(),
      database: z.string().optional(),
      checksums: z.boolean().optional(),
    })
    .optional(),
  restoreTestSchedule: cron.nullable().optional(),
  reverifySchedule: cron.nullable().optional(),
});
export type TargetInput = z.input<typeof targetInputSchema>;

/** A target as the panel, the API and the CLI show it: never a password. */
export interface TargetView {
  id: string;
  name: string;
  kind: TargetConfig['kind'];
  ownerKind: OwnerKind;
  ownerId: string | null;
  accountId: string | null;
  /** One line: what is backed up, from where. */
  describe: string;
  schedule: string;
  retention: RetentionPolicy;
  restoreTestSchedule: string | null;
  reverifySchedule: string | null;
  enabled: boolean;
  builtin: string | null;
  createdAt: number;
}

function describeConfig(c: TargetConfig): string {
  switch (c.kind) {
    case 'mysql':
    case 'postgres': {
      const where = c.socket ?? `${c.host ?? 'localhost'}${c.port ? `:${c.port}` : ''}`;
      const dbs = c.databases === 'all' ? 'all databases' : c.databases.join(', ');
      const eph = c.ephemeral?.length ? `; ephemeral ${c.ephemeral.join(', ')}` : '';
      return `${c.kind === 'mysql' ? 'MariaDB/MySQL' : 'PostgreSQL'} ${where}: ${dbs}${eph}`;
    }
    case 'files':
      return `directories ${c.paths.join(', ')}`;
    case 'sqlite':
      return `SQLite ${c.path}`;
  }
}

export function targetView(row: TargetRow): TargetView {
  const config = JSON.parse(row.config) as TargetConfig;
  return {
    id: row.id,
    name: row.name,
    kind: config.kind,
    ownerKind: row.owner_kind,
    ownerId: row.owner_id,
    accountId: row.account_id,
    describe: describeConfig(config),
    schedule: row.schedule,
    retention: JSON.parse(row.retention) as RetentionPolicy,
    restoreTestSchedule: row.restore_test_schedule,
    reverifySchedule: row.reverify_schedule,
    enabled: row.enabled === 1,
    builtin: row.builtin,
    createdAt: row.created_at,
  };
}

/** May this actor see the target? Admins (and the CLI) see all; customers their own. */
export const canSee = (actor: Actor, row: TargetRow): boolean =>
  actor.isAdmin === true || (actor.accountId !== null && row.account_id === actor.accountId);

export interface TargetsDeps {
  store: BackupsStore;
  key: Uint8Array;
  now: () => number;
  defaults: { schedule: string; retention: RetentionPolicy; restoreTest: string; reverify: string };
  /** The picloud door's answer: the Pi's id for an account's Pi name, or null. */
  findPi(accountId: string, name: string): Promise<{ id: string } | null>;
  /** Seam: a Pi's root directory on disk, when its driver offers one (the simulator does not yet). */
  piRoot(piId: string): Promise<string | null>;
  /** Live connection of Bestiary's own database, for the built-in target. */
  selfConfig(): TargetConfig | null;
}

export function createTargets(deps: TargetsDeps) {
  const { store } = deps;

  /** The row, if this actor may see it; otherwise "not found", exactly like a missing one. */
  async function visible(actor: Actor, id: string): Promise<TargetRow> {
    const row = (await store.target(id)) ?? (await store.targetByName(id));
    if (!row || !canSee(actor, row)) throw new NotFoundError('Backup target');
    return row;
  }

  /** The engine's target: the password opened, Pi paths resolved, self from the live config. */
  async function forEngine(row: TargetRow): Promise<BackupTarget> {
    let config = JSON.parse(row.config) as TargetConfig;
    if (row.builtin === 'self') config = deps.selfConfig() ?? config;
    else if (row.secret && config.kind !== 'files' && config.kind !== 'sqlite')
      config = { ...config, password: openCredential(deps.key, row.secret, row.id) };
    if (config.kind === 'files' && row.owner_kind === 'pi' && row.owner_id) {
      const root = await deps.piRoot(row.owner_id);
      if (root)
        config = { ...config, paths: config.paths.map((p) => `${root}/${p.replace(/^\/+/, '')}`) };
    }
    return {
      id: row.id,
      name: row.name,
      config,
      retention: JSON.parse(row.retention) as RetentionPolicy,
      ...(row.restore_test
        ? { restoreTest: JSON.parse(row.restore_test) as BackupTarget['restoreTest'] }
        : {}),
    };
  }

  async function create(input: TargetInput, actor: Actor, builtin: string | null = null) {
    if (!actor.isAdmin) throw new ForbiddenError('Only operators add backup targets');
    const parsed = targetInputSchema.safeParse(input);
    if (!parsed.success)
      throw new ValidationError(
        'That backup target is not valid',
        parsed.error.issues.map((i) => `${i.path.join('.') || 'target'}: ${i.message}`),
      );
    const t = parsed.data;
    if (await store.targetByName(t.name))
      throw new ConflictError(`A target named ${t.name} exists`);
    let ownerId: string | null = null;
    let accountId: string | null = null;
    if (t.owner.kind === 'pi') {
      const pi = await deps.findPi(t.owner.accountId, t.owner.piName);
      if (!pi) throw new ValidationError(`That account has no Pi named ${t.owner.piName}`);
      [ownerId, accountId] = [pi.id, t.owner.accountId];
    } else if (t.owner.kind === 'server')
      [ownerId, accountId] = [t.owner.serverId, t.owner.accountId];
    const id = newId();
    const { password, ...rest } = t.config as TargetConfig & { password?: string };
    const now = deps.now();
    const row: TargetRow = {
      id,
      name: t.name,
      kind: t.config.kind,
      owner_kind: t.owner.kind,
      owner_id: ownerId,
      account_id: accountId,
      config: JSON.stringify(rest),
      secret: password ? sealCredential(deps.key, password, id) : null,
      schedule: t.schedule ?? deps.defaults.schedule,
      retention: JSON.stringify(t.retention ?? deps.defaults.retention),
      restore_test: t.restoreTest ? JSON.stringify(t.restoreTest) : null,
      restore_test_schedule:
        t.restoreTestSchedule === undefined ? deps.defaults.restoreTest : t.restoreTestSchedule,
      reverify_schedule:
        t.reverifySchedule === undefined ? deps.defaults.reverify : t.reverifySchedule,
      enabled: 1,
      builtin,
      created_at: now,
      updated_at: now,
    };
    await store.insertTarget(row);
    return row;
  }

  return { visible, forEngine, create };
}

export type Targets = ReturnType<typeof createTargets>;
