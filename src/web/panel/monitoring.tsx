// Monitoring in the panel: the dashboard (filtered, paginated), a check's page with its chart,
// uptime, acknowledge and silence, and adding, editing and deleting one's own checks.
import { Hono } from 'hono';
import type { Actor } from '../../core/actor.js';
import { NotFoundError } from '../../core/errors.js';
import type { ChartRange, CheckType, DashboardQuery, Status } from '../../monitoring/index.js';
import { checkTypes } from '../../monitoring/index.js';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { PanelDeps } from './deps.js';
import { requireLogin } from './guards.js';
import {
  CheckForm,
  inputFromForm,
  typeLabels,
  valuesFromForm,
  valuesOf,
} from './monitoring-form.js';
import {
  ActionForms,
  Chart,
  ChartAssets,
  ChecksTable,
  Counts,
  History,
  Pager,
  StatusBadge,
  Styles,
  UptimeFacts,
} from './monitoring-views.js';
import type { PanelContext } from './render.js';
import { actorOf, problemsOf, redirectWithFlash, render, statusOf } from './render.js';
import { GetForm, PostForm } from './ui.js';

const isType = (t: string | undefined): t is CheckType =>
  t !== undefined && (checkTypes as string[]).includes(t);
const statuses: Status[] = ['down', 'unknown', 'up'];

export function monitoringRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { monitoring } = deps;
  app.use('/monitoring', requireLogin());
  app.use('/monitoring/*', requireLogin());
  const actor = (c: PanelContext): Actor => actorOf(c);
  const who = (c: PanelContext) => c.get('session')!.account.email;

  app.get('/monitoring', async (c) => {
    const a = actor(c);
    const q = c.req.query();
    const query: DashboardQuery = {
      page: Number(q.page ?? 1) || 1,
      ...(q.q ? { q: q.q.slice(0, 100) } : {}),
      ...(statuses.includes(q.status as Status) ? { status: q.status as Status } : {}),
      ...(isType(q.type) ? { type: q.type } : {}),
      ...(a.isAdmin && q.owner ? { owner: q.owner.slice(0, 40) } : {}),
    };
    const d = await monitoring.dashboard(a, query);
    const file = a.isAdmin ? monitoring.checksFile() : null;
    const now = deps.clock.now();
    return render(c, deps, 'Monitoring', () => (
      <>
        <Styles />
        {file?.error ? (
          <p class="problems" role="alert">
            {`The checks file ${file.path} was refused, so its previous checks stay: ${file.error}`}
          </p>
        ) : null}
        <p>
          <a class="button" href="/monitoring/new">
            Add a check
          </a>{' '}
          <a href="/monitoring/destinations">Where your alerts go</a>
          {deps.config.monitoring.statusPage.enabled ? (
            <>
              {' · '}
              <a href="/status">Public status page</a>
            </>
          ) : null}
        </p>
        <Counts d={d} />
        <GetForm action="/monitoring" class="filters" role="search">
          <label for="q">Name</label> <input id="q" name="q" value={q.q ?? ''} maxlength={100} />{' '}
          <label for="status">Status</label>{' '}
          <select id="status" name="status">
            <option value="">any</option>
            {statuses.map((s) => (
              <option value={s} selected={q.status === s}>
                {s}
              </option>
            ))}
          </select>{' '}
          <label for="type">Type</label>{' '}
          <select id="type" name="type">
            <option value="">any</option>
            {checkTypes.map((t) => (
              <option value={t} selected={q.type === t}>
                {t}
              </option>
            ))}
          </select>{' '}
          {a.isAdmin ? (
            <>
              <label for="owner">Owner</label>{' '}
              <select id="owner" name="owner">
                <option value="">everyone</option>
                <option value="provider" selected={q.owner === 'provider'}>
                  the provider
                </option>
              </select>{' '}
            </>
          ) : null}
          <button type="submit" class="small">
            Filter
          </button>
        </GetForm>
        <ChecksTable rows={d.rows} now={now} />
        <Pager d={d} query={new URLSearchParams(q)} />
      </>
    ));
  });

  const parentsFor = async (c: PanelContext, exclude?: string) =>
    (await monitoring.checks.list(actor(c)))
      .filter((r) => r.id !== exclude && (r.accountId === actor(c).accountId || actor(c).isAdmin))
      .map((r) => ({ id: r.id, label: r.label }));

  app.get('/monitoring/new', async (c) => {
    const type = c.req.query('type');
    if (!isType(type))
      return render(c, deps, 'Add a check', () => (
        <section class="card">
          <p>What should be watched?</p>
          <ul class="plain">
            {checkTypes.map((t) => (
              <li>
                <a href={`/monitoring/new?type=${t}`}>{typeLabels[t]}</a>
              </li>
            ))}
          </ul>
        </section>
      ));
    const parents = await parentsFor(c);
    return render(c, deps, `Add a check: ${typeLabels[type]}`, (page) => (
      <CheckForm
        page={page}
        action="/monitoring/new"
        type={type}
        values={{}}
        errors={[]}
        parents={parents}
        isAdmin={actor(c).isAdmin === true}
        submit="Add the check"
      />
    ));
  });

  app.post('/monitoring/new', async (c) => {
    const form = c.get('form');
    const type = field(form, 'type', 20);
    if (!isType(type)) return c.redirect('/monitoring/new', 303);
    const a = actor(c);
    try {
      const def = await monitoring.checks.create(a, inputFromForm(type, form, a.isAdmin === true), {
        provider: a.isAdmin === true && form.get('provider') === 'on',
      });
      return redirectWithFlash(
        c,
        deps,
        `/monitoring/checks/${def.id}`,
        `${def.name} is being watched.`,
      );
    } catch (e) {
      const errors = problemsOf(e);
      const parents = await parentsFor(c);
      return render(
        c,
        deps,
        `Add a check: ${typeLabels[type]}`,
        (page) => (
          <CheckForm
            page={page}
            action="/monitoring/new"
            type={type}
            values={valuesFromForm(type, form)}
            errors={errors}
            parents={parents}
            isAdmin={a.isAdmin === true}
            submit="Add the check"
          />
        ),
        statusOf(e),
      );
    }
  });

  app.get('/monitoring/checks/:id', async (c) => {
    const d = await monitoring.checks.get(actor(c), c.req.param('id'));
    const range = (['24h', '7d', '30d'] as const).find((r) => r === c.req.query('range')) ?? '24h';
    const now = deps.clock.now();
    const r = d.row;
    return render(c, deps, r.label, (page) => (
      <>
        <ChartAssets />
        <p>
          <StatusBadge status={r.status} />{' '}
          <span class="muted">{`for ${formatFor(now - r.since)}`}</span>
          {r.message ? (
            <>
              {' · '}
              <span class="message" data-last>
                {r.message}
              </span>
            </>
          ) : null}
        </p>
        <UptimeFacts uptime={d.uptime} />
        <Chart id={r.id} range={range} />
        <section class="card">
          <h2>Details</h2>
          <dl class="check-facts">
            <dt>Type</dt>
            <dd>{r.type}</dd>
            <dt>Made by</dt>
            <dd>
              {d.source === 'user'
                ? 'hand (panel or API)'
                : d.source === 'auto'
                  ? 'Bestiary, automatically'
                  : 'the checks file'}
            </dd>
            <dt>Every</dt>
            <dd>{`${d.input.intervalSeconds ?? '?'} s, down after ${d.input.downRetries ?? '?'} failures`}</dd>
            {d.parent ? (
              <>
                <dt>Depends on</dt>
                <dd>
                  <a href={`/monitoring/checks/${d.parent.id}`}>{d.parent.name}</a>
                </dd>
              </>
            ) : null}
            {d.pushUrl ? (
              <>
                <dt>{r.type === 'metric' ? 'Report values to' : 'Heartbeat URL'}</dt>
                <dd>
                  <code class="secret">{d.pushUrl}</code>
                  <p class="hint">
                    {r.type === 'metric'
                      ? 'POST a number, or add ?value=42.'
                      : 'GET or POST it when a run succeeds; add /start when one begins and /fail (with the reason as the body) when one fails.'}
                  </p>
                </dd>
              </>
            ) : null}
            {d.public ? (
              <>
                <dt>Public</dt>
                <dd>On the status page</dd>
              </>
            ) : null}
          </dl>
          {d.source === 'user' ? (
            <p>
              <a href={`/monitoring/checks/${r.id}/edit`}>Change this check</a>
            </p>
          ) : null}
        </section>
        <ActionForms page={page} d={d} now={now} />
        <History d={d} />
      </>
    ));
  });

  app.get('/monitoring/checks/:id/chart.json', async (c) => {
    const range = (c.req.query('range') ?? '24h') as ChartRange;
    if (!['24h', '7d', '30d'].includes(range)) throw new NotFoundError('Chart');
    return c.json(await monitoring.checks.chart(actor(c), c.req.param('id'), range));
  });

  app.get('/monitoring/checks/:id/edit', async (c) => {
    const d = await monitoring.checks.get(actor(c), c.req.param('id'));
    const parents = await parentsFor(c, d.row.id);
    return render(c, deps, `Change ${d.row.label}`, (page) => (
      <>
        <CheckForm
          page={page}
          action={`/monitoring/checks/${d.row.id}/edit`}
          type={d.row.type}
          values={valuesOf(d.input)}
          errors={[]}
          parents={parents}
          isAdmin={actor(c).isAdmin === true}
          submit="Save"
        />
        <section class="card">
          <h2>Delete</h2>
          <PostForm page={page} action={`/monitoring/checks/${d.row.id}/delete`} class="inline">
            <button
              type="submit"
              class="danger"
              data-confirm={`Delete ${d.row.name} and its history?`}
            >
              Delete this check
            </button>
          </PostForm>
        </section>
      </>
    ));
  });

  app.post('/monitoring/checks/:id/edit', async (c) => {
    const a = actor(c);
    const d = await monitoring.checks.get(a, c.req.param('id'));
    const form = c.get('form');
    try {
      await monitoring.checks.update(
        a,
        d.row.id,
        inputFromForm(d.row.type, form, a.isAdmin === true),
      );
      return redirectWithFlash(c, deps, `/monitoring/checks/${d.row.id}`, 'Saved.');
    } catch (e) {
      const errors = problemsOf(e);
      const parents = await parentsFor(c, d.row.id);
      return render(
        c,
        deps,
        `Change ${d.row.label}`,
        (page) => (
          <CheckForm
            page={page}
            action={`/monitoring/checks/${d.row.id}/edit`}
            type={d.row.type}
            values={valuesFromForm(d.row.type, form)}
            errors={errors}
            parents={parents}
            isAdmin={a.isAdmin === true}
            submit="Save"
          />
        ),
        statusOf(e),
      );
    }
  });

  /** A POST on a check that ends back on its page, with the outcome (or the problem) as a flash. */
  const act = (
    path: string,
    fn: (c: PanelContext, id: string) => Promise<string>,
    to = (id: string) => `/monitoring/checks/${id}`,
  ) =>
    app.post(`/monitoring/checks/:id/${path}`, async (c) => {
      const id = c.req.param('id');
      await monitoring.checks.get(actor(c), id);
      try {
        return redirectWithFlash(c, deps, to(id), await fn(c, id));
      } catch (e) {
        return redirectWithFlash(c, deps, `/monitoring/checks/${id}`, problemsOf(e).join(' '));
      }
    });
  act('acknowledge', async (c, id) => {
    await monitoring.checks.acknowledge(actor(c), id, who(c), field(c.get('form'), 'comment', 500));
    return 'Acknowledged.';
  });
  act('silence', async (c, id) => {
    const form = c.get('form');
    await monitoring.checks.silence(
      actor(c),
      id,
      who(c),
      field(form, 'duration', 20),
      field(form, 'reason', 500),
    );
    return 'Silenced.';
  });
  act('unsilence', async (c, id) => {
    await monitoring.checks.silence(actor(c), id, who(c), null, '');
    return 'The silence has ended.';
  });
  act(
    'delete',
    async (c, id) => {
      await monitoring.checks.remove(actor(c), id);
      return 'The check is deleted.';
    },
    () => '/monitoring',
  );

  return app;
}

const formatFor = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} seconds`;
  if (s < 7200) return `${Math.round(s / 60)} minutes`;
  if (s < 172_800) return `${Math.round(s / 3600)} hours`;
  return `${Math.round(s / 86_400)} days`;
};
