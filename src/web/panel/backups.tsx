// Backups in the panel: your targets, their runs, each run's report and restores; run now,
// restore-test and restore. Operators see every target here too; another account's is a 404.
import { Hono } from 'hono';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { PanelDeps } from './deps.js';
import { requireLogin } from './guards.js';
import type { PanelContext } from './render.js';
import { actorOf, problemsOf, redirectWithFlash, render, statusOf } from './render.js';
import type { PageContext } from './ui.js';
import { PostForm, Problems } from './ui.js';
import {
  Progress,
  Report,
  RestoreForms,
  RestoreTable,
  RunTable,
  size,
  TargetTable,
  when,
} from './backups-views.js';

export function backupRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { backups } = deps;
  app.use('/backups', requireLogin());
  app.use('/backups/*', requireLogin());
  const param = (c: PanelContext, name: string) => c.req.param(name) ?? '';

  app.get('/backups', async (c) => {
    const actor = actorOf(c);
    const [targets, fresh] = await Promise.all([backups.listTargets(actor), backups.freshness()]);
    return render(c, deps, 'Backups', () => (
      <>
        <p>
          Every backup is proven complete before it counts: the dump tool must succeed, the dump
          must be whole, and the stored copy must read back. Each run&apos;s report says what was
          checked.
        </p>
        <TargetTable
          targets={targets}
          fresh={new Map(fresh.map((f) => [f.targetId, f]))}
          showOwner={actorOf(c).isAdmin}
        />
      </>
    ));
  });

  app.get('/backups/targets/:id', async (c) => {
    const actor = actorOf(c);
    const t = await backups.getTarget(actor, param(c, 'id'));
    const [runs, restores, fresh] = await Promise.all([
      backups.listRuns(actor, t.id, 30),
      backups.listRestores(actor, t.id),
      backups.freshness(),
    ]);
    const f = fresh.find((x) => x.targetId === t.id);
    return render(c, deps, `Backups of ${t.name}`, (page) => (
      <>
        <dl class="zone-facts">
          <dt>What</dt>
          <dd>{t.describe}</dd>
          <dt>Schedule</dt>
          <dd>
            <code>{t.schedule}</code> (UTC){t.enabled ? '' : ', paused'}
          </dd>
          <dt>Kept</dt>
          <dd>{`the last ${t.retention.last}, plus ${t.retention.daily} daily, ${t.retention.weekly} weekly and ${t.retention.monthly} monthly`}</dd>
          <dt>Restore test</dt>
          <dd>{t.restoreTestSchedule ? <code>{t.restoreTestSchedule}</code> : 'not scheduled'}</dd>
          <dt>Last verified backup</dt>
          <dd
            class={f?.stale ? 'warnings' : undefined}
          >{`${when(f?.lastVerifiedAt)}${f?.stale ? ` (OVERDUE: ${f.reason})` : ''}`}</dd>
        </dl>
        <p>
          <PostFormButton page={page} action={`/backups/targets/${t.id}/run`} label="Back up now" />{' '}
          <PostFormButton
            page={page}
            action={`/backups/targets/${t.id}/restore-test`}
            label="Test a restore now"
            secondary
          />
        </p>
        <h2>Runs</h2>
        <RunTable runs={runs} />
        {restores.length ? <h2>Restores and restore tests</h2> : null}
        <RestoreTable restores={restores} />
      </>
    ));
  });

  const act = (path: string, fn: (c: PanelContext) => Promise<string>, message: string) =>
    app.post(path, async (c) => {
      const to = await fn(c);
      return redirectWithFlash(c, deps, to, message);
    });
  act(
    '/backups/targets/:id/run',
    async (c) => `/backups/runs/${(await backups.runNow(actorOf(c), param(c, 'id'))).runId}`,
    'Backup queued.',
  );
  act(
    '/backups/targets/:id/restore-test',
    async (c) => `/backups/restores/${await backups.restoreTest(actorOf(c), param(c, 'id'))}`,
    'Restore test queued.',
  );

  const runPage = async (
    c: PanelContext,
    errors: string[] = [],
    status: 200 | 400 | 404 | 409 = 200,
  ) => {
    const actor = actorOf(c);
    const { run, target, progress, restores } = await backups.getRun(actor, param(c, 'id'));
    const restorable = run.status === 'good' && run.prunedAt === null;
    const phrase = restorable ? (await backups.confirmation(actor, run.id)).phrase : '';
    return render(
      c,
      deps,
      `${target.name}: backup of ${when(run.startedAt)}`,
      (page) => (
        <>
          <p>
            <a href={`/backups/targets/${target.id}`}>{`All backups of ${target.name}`}</a>
          </p>
          <Problems errors={errors} />
          {run.status === 'queued' || run.status === 'running' ? (
            <Progress
              url={`/backups/runs/${run.id}/progress.json`}
              status={run.status}
              progress={progress}
            />
          ) : (
            <p>
              <strong>
                {run.status === 'good' ? `Verified (${run.level})` : `FAILED (${run.level})`}
              </strong>
              {` · ${size(run.storedBytes)} stored · ${run.tables} tables · ${run.rows} rows${run.client ? ` · ${run.client}` : ''}${run.prunedAt ? ' · pruned by retention' : ''}`}
            </p>
          )}
          {run.excludedData.length ? (
            <p>{`Data skipped (schema kept): ${run.excludedData.join(', ')}`}</p>
          ) : null}
          <Report lines={run.report} />
          {restores.length ? <RestoreTable restores={restores} /> : null}
          {restorable ? (
            <RestoreForms page={page} run={run} phrase={phrase} kind={target.kind} />
          ) : null}
        </>
      ),
      status,
    );
  };
  app.get('/backups/runs/:id', (c) => runPage(c));
  app.get('/backups/runs/:id/progress.json', async (c) => {
    const { run, progress } = await backups.getRun(actorOf(c), param(c, 'id'));
    return c.json({ steps: [], progress, done: run.status === 'good' || run.status === 'failed' });
  });
  app.post('/backups/runs/:id/restore', async (c) => {
    const form = c.get('form');
    const mode = field(form, 'mode', 20) === 'overwrite' ? 'overwrite' : 'new';
    try {
      const id = await backups.restore(actorOf(c), param(c, 'id'), {
        mode,
        into: field(form, 'into', 500),
        confirm: field(form, 'confirm', 500),
      });
      return redirectWithFlash(c, deps, `/backups/restores/${id}`, 'Restore queued.');
    } catch (e) {
      const errors = problemsOf(e);
      const s = statusOf(e);
      return runPage(c, errors, s === 404 ? 404 : s === 409 ? 409 : 400);
    }
  });

  app.get('/backups/restores/:id', async (c) => {
    const { restore, target, progress } = await backups.getRestore(actorOf(c), param(c, 'id'));
    const what =
      restore.mode === 'test'
        ? 'Restore test'
        : restore.mode === 'new'
          ? 'Restore into a new copy'
          : 'Restore over the original';
    return render(c, deps, `${what} of ${target.name}`, () => (
      <>
        <p>
          <a href={`/backups/runs/${restore.runId}`}>The backup it restores</a>
        </p>
        {restore.status === 'queued' || restore.status === 'running' ? (
          <Progress
            url={`/backups/restores/${restore.id}/progress.json`}
            status={restore.status}
            progress={progress}
          />
        ) : (
          <p>
            <strong>{restore.status === 'ok' ? 'Passed' : 'FAILED'}</strong>
          </p>
        )}
        <Report lines={restore.report} />
      </>
    ));
  });
  app.get('/backups/restores/:id/progress.json', async (c) => {
    const { restore, progress } = await backups.getRestore(actorOf(c), param(c, 'id'));
    return c.json({
      steps: [],
      progress,
      done: restore.status === 'ok' || restore.status === 'failed',
    });
  });
  return app;
}

/** A one-button POST form (run now, restore test). */
function PostFormButton(props: {
  page: PageContext;
  action: string;
  label: string;
  secondary?: boolean;
}) {
  return (
    <PostForm page={props.page} action={props.action} class="inline">
      <button type="submit" class={props.secondary ? 'secondary' : undefined}>
        {props.label}
      </button>
    </PostForm>
  );
}
