// The backups API, a Bestiary extension (x-bestiary-extension in OpenAPI): a customer's targets,
// runs and reports, and starting a run or a restore, scoped by the key's `backups` grant.
// Another account's target, run or restore answers exactly like a missing one: 404.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiKeys } from '../../accounts/index.js';
import { allows } from '../../accounts/index.js';
import type { BackupsModule, RunView, TargetView } from '../../backups/index.js';
import type { Actor } from '../../core/actor.js';
import { isAppError, ValidationError } from '../../core/errors.js';
import type { WebEnv } from '../context.js';
import { statusForCode } from '../errors.js';
import { readJson } from '../input.js';
import { requireApiKey } from './auth.js';
import { referenceJson } from './json.js';
import type { RouteDoc } from './openapi.js';

type C = Context<WebEnv>;
const fail = (c: C, status: 400 | 401 | 403 | 404 | 409, message: string) =>
  referenceJson(c, { error: message }, status);

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const target = (t: TargetView) => ({
  id: t.id,
  name: t.name,
  kind: t.kind,
  owner_kind: t.ownerKind,
  owner_id: t.ownerId,
  describe: t.describe,
  schedule: t.schedule,
  enabled: t.enabled,
});
const run = (r: RunView) => ({
  id: r.id,
  target_id: r.targetId,
  status: r.status,
  level: r.level,
  trigger: r.trigger,
  started_at: iso(r.startedAt),
  finished_at: iso(r.finishedAt),
  stored_bytes: r.storedBytes,
  tables: r.tables,
  rows: r.rows,
});

const restoreBody = z
  .object({
    mode: z.enum(['new', 'overwrite']),
    into: z.string().max(500).optional(),
    confirm: z.string().max(500).optional(),
  })
  .strict();

const tag = 'Backups';
const error = z.object({ error: z.string() });
const line = z.object({
  level: z.enum(['INFO', 'WARN', 'ERROR']),
  text: z.string(),
  at: z.string(),
});
const doc = (d: Omit<RouteDoc, 'tag' | 'extension'>): RouteDoc => ({ ...d, tag, extension: true });
export const backupDocs: RouteDoc[] = [
  doc({
    method: 'get',
    path: '/beta/backups/targets',
    summary: 'List your backup targets',
    responses: { 200: { description: 'Targets' } },
  }),
  doc({
    method: 'get',
    path: '/beta/backups/targets/{target}/runs',
    summary: 'List runs of a target (newest first)',
    responses: {
      200: { description: 'Runs' },
      404: { description: 'No such target of yours', schema: error },
    },
  }),
  doc({
    method: 'post',
    path: '/beta/backups/targets/{target}/runs',
    summary: 'Start a backup now',
    responses: {
      202: {
        description: 'Queued; poll the run',
        schema: z.object({ run_id: z.string(), status: z.string() }),
      },
      404: { description: 'No such target of yours', schema: error },
    },
  }),
  doc({
    method: 'get',
    path: '/beta/backups/runs/{run}',
    summary: 'A run with its report lines and progress',
    responses: {
      200: {
        description: 'The run',
        schema: z.object({ report: z.array(line), progress: z.string().nullable() }).loose(),
      },
      404: { description: 'No such run of yours', schema: error },
    },
  }),
  doc({
    method: 'get',
    path: '/beta/backups/runs/{run}/report',
    summary: "A run's report as text (LEVEL - text lines)",
    responses: {
      200: { description: 'The report', contentType: 'text/plain', schema: z.string() },
    },
  }),
  doc({
    method: 'post',
    path: '/beta/backups/runs/{run}/restore',
    summary:
      'Restore a verified run into a new database, or over the original with the confirmation phrase',
    request: [{ contentType: 'application/json', schema: restoreBody }],
    responses: {
      202: {
        description: 'Queued; poll the restore',
        schema: z.object({ restore_id: z.string(), status: z.string() }),
      },
      400: { description: 'Bad request or wrong confirmation; nothing changed', schema: error },
    },
  }),
  doc({
    method: 'get',
    path: '/beta/backups/restores/{restore}',
    summary: 'A restore: status, progress and report',
    responses: {
      200: { description: 'The restore' },
      404: { description: 'No such restore of yours', schema: error },
    },
  }),
];

export function backupsApi(deps: { apiKeys: ApiKeys; backups: BackupsModule }) {
  const app = new Hono<WebEnv>();
  const { backups } = deps;
  app.use('/beta/backups/*', requireApiKey(deps, 'backups', fail));
  const actor = (c: C): Actor => ({
    accountId: c.get('principal')!.accountId,
    ip: c.get('clientIp'),
    channel: 'api',
    apiKeyId: c.get('principal')!.keyId,
  });
  const handle =
    (write: boolean, fn: (c: C, a: Actor) => Promise<Response>) =>
    async (c: C): Promise<Response> => {
      if (!allows(c.get('principal')!.scope, { api: 'backups', write }))
        return fail(c, 403, 'Not authorised');
      try {
        return await fn(c, actor(c));
      } catch (e) {
        if (!isAppError(e) || e.code === 'INTERNAL') throw e;
        return referenceJson(
          c,
          { error: [e.message, ...e.details].join(' ') },
          statusForCode[e.code],
        );
      }
    };
  const param = (c: C, name: string) => c.req.param(name) ?? '';

  app.get(
    '/beta/backups/targets',
    handle(false, async (c, a) =>
      referenceJson(c, { targets: (await backups.listTargets(a)).map(target) }),
    ),
  );
  app.get(
    '/beta/backups/targets/:target/runs',
    handle(false, async (c, a) =>
      referenceJson(c, { runs: (await backups.listRuns(a, param(c, 'target'))).map(run) }),
    ),
  );
  app.post(
    '/beta/backups/targets/:target/runs',
    handle(true, async (c, a) => {
      const { runId } = await backups.runNow(a, param(c, 'target'));
      return referenceJson(c, { run_id: runId, status: 'queued' }, 202);
    }),
  );
  app.get(
    '/beta/backups/runs/:run',
    handle(false, async (c, a) => {
      const { run: r, progress, restores } = await backups.getRun(a, param(c, 'run'));
      return referenceJson(c, {
        ...run(r),
        excluded_data: r.excludedData,
        report: r.report.map((l) => ({ ...l, at: new Date(l.at).toISOString() })),
        progress,
        restores: restores.map((x) => ({ id: x.id, mode: x.mode, status: x.status })),
      });
    }),
  );
  app.get(
    '/beta/backups/runs/:run/report',
    handle(false, async (c, a) => {
      const { run: r } = await backups.getRun(a, param(c, 'run'));
      return c.body(`${backups.reportText(r.report)}\n`, 200, {
        'Content-Type': 'text/plain; charset=utf-8',
      });
    }),
  );
  app.post(
    '/beta/backups/runs/:run/restore',
    handle(true, async (c, a) => {
      const parsed = restoreBody.safeParse(await readJson(c, 16 * 1024));
      if (!parsed.success)
        throw new ValidationError(
          'Invalid restore request',
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        );
      const id = await backups.restore(a, param(c, 'run'), parsed.data);
      return referenceJson(c, { restore_id: id, status: 'queued' }, 202);
    }),
  );
  app.get(
    '/beta/backups/restores/:restore',
    handle(false, async (c, a) => {
      const { restore: r, progress } = await backups.getRestore(a, param(c, 'restore'));
      return referenceJson(c, {
        id: r.id,
        run_id: r.runId,
        mode: r.mode,
        status: r.status,
        destination: r.destination,
        progress,
        report: r.report.map((l) => ({ ...l, at: new Date(l.at).toISOString() })),
      });
    }),
  );
  return app;
}
