// Operators' backups page: every target and whether its verified backup is current, the daily
// summary as mailed, adding a target (for a customer's Pi or server, or the provider) and pausing one.
import { Hono } from 'hono';
import type { TargetInput } from '../../backups/index.js';
import { ValidationError } from '../../core/errors.js';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { PanelDeps } from './deps.js';
import { requireAdmin, requireLogin } from './guards.js';
import type { PanelContext } from './render.js';
import { actorOf, problemsOf, redirectWithFlash, render, statusOf } from './render.js';
import type { PageContext } from './ui.js';
import { Field, PostForm, Problems } from './ui.js';
import { TargetTable } from './backups-views.js';

const list = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The form's fields as the module's target input; the module validates the rest. */
async function inputFrom(deps: PanelDeps, form: FormData): Promise<TargetInput> {
  const f = (name: string, max = 500) => field(form, name, max).trim();
  const ownerKind = f('owner_kind', 20);
  let owner: TargetInput['owner'] = { kind: 'provider' };
  if (ownerKind === 'pi' || ownerKind === 'server') {
    const account = await deps.accounts.accounts.findByEmail(f('owner_email', 320));
    if (!account) throw new ValidationError('No account has that email address');
    owner =
      ownerKind === 'pi'
        ? { kind: 'pi', accountId: account.id, piName: f('owner_ref', 100) }
        : { kind: 'server', accountId: account.id, serverId: f('owner_ref', 100) };
  }
  const kind = f('kind', 20);
  const conn = {
    ...(f('host') ? { host: f('host') } : {}),
    ...(f('port', 10) ? { port: Number(f('port', 10)) } : {}),
    ...(f('user', 100) ? { user: f('user', 100) } : {}),
    ...(field(form, 'password', 500) ? { password: field(form, 'password', 500) } : {}),
  };
  const dbs = f('databases', 2000);
  const databases = dbs === '' || dbs === 'all' ? ('all' as const) : list(dbs);
  const ephemeral = list(f('ephemeral', 2000));
  const config =
    kind === 'files'
      ? { kind: 'files' as const, paths: list(f('paths', 2000)) }
      : {
          kind: kind === 'postgres' ? ('postgres' as const) : ('mysql' as const),
          ...conn,
          databases,
          ...(ephemeral.length ? { ephemeral } : {}),
        };
  return {
    name: f('name', 63),
    owner,
    config,
    ...(f('schedule', 100) ? { schedule: f('schedule', 100) } : {}),
  };
}

function AddTargetForm(props: {
  page: PageContext;
  errors: string[];
  values: Record<string, string>;
}) {
  const v = props.values;
  const select = (name: string, label: string, options: [string, string][]) => (
    <div class="field">
      <label for={name}>{label}</label>
      <select id={name} name={name}>
        {options.map(([value, text]) => (
          <option value={value} selected={v[name] === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <section class="card">
      <h2>Add a target</h2>
      <Problems errors={props.errors} />
      <PostForm page={props.page} action="/admin/backups/targets">
        <Field label="Name" name="name" value={v.name} required maxlength={63} />
        {select('owner_kind', 'Owner', [
          ['provider', 'The provider'],
          ['pi', "A customer's Pi"],
          ['server', "A customer's managed server"],
        ])}
        <Field label="Customer's email (Pi or server)" name="owner_email" value={v.owner_email} />
        <Field label="Pi name or server id" name="owner_ref" value={v.owner_ref} />
        {select('kind', 'What', [
          ['mysql', 'MariaDB / MySQL'],
          ['postgres', 'PostgreSQL'],
          ['files', 'Directories (tar)'],
        ])}
        <Field label="Host" name="host" value={v.host} />
        <Field label="Port" name="port" value={v.port} inputmode="numeric" />
        <Field label="User" name="user" value={v.user} />
        <Field
          label="Password (stored encrypted)"
          name="password"
          type="password"
          autocomplete="new-password"
        />
        <Field
          label="Databases"
          name="databases"
          value={v.databases}
          hint="all, or names separated by commas"
        />
        <Field
          label="Ephemeral tables (data skipped, schema kept)"
          name="ephemeral"
          value={v.ephemeral}
          hint="globs such as *.sessions, *.cache_*"
        />
        <Field
          label="Directories (files)"
          name="paths"
          value={v.paths}
          hint="absolute paths separated by commas"
        />
        <Field
          label="Schedule"
          name="schedule"
          value={v.schedule}
          hint="five-field cron in UTC; empty: the default"
        />
        <button type="submit">Add target</button>
      </PostForm>
    </section>
  );
}

export function backupAdminRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { backups } = deps;
  app.use('/admin/backups', requireLogin(), requireAdmin());
  app.use('/admin/backups/*', requireLogin(), requireAdmin());

  const page = async (
    c: PanelContext,
    errors: string[] = [],
    values: Record<string, string> = {},
    status: 200 | 400 | 409 = 200,
  ) => {
    const actor = actorOf(c);
    const [targets, fresh, summary] = await Promise.all([
      backups.listTargets(actor),
      backups.freshness(),
      backups.dailySummary(),
    ]);
    return render(
      c,
      deps,
      'Backups (all targets)',
      (p) => (
        <>
          <TargetTable
            targets={targets}
            fresh={new Map(fresh.map((f) => [f.targetId, f]))}
            showOwner
          />
          <section class="card" aria-label="Daily summary">
            <h2>Daily summary</h2>
            <pre>{summary || 'No targets.'}</pre>
          </section>
          <h2>Pause or resume</h2>
          <ul class="plain">
            {targets.map((t) => (
              <li>
                <PostForm page={p} action={`/admin/backups/targets/${t.id}/enabled`} class="inline">
                  <input type="hidden" name="enabled" value={t.enabled ? 'no' : 'yes'} />
                  <button
                    type="submit"
                    class="link"
                  >{`${t.enabled ? 'Pause' : 'Resume'} ${t.name}`}</button>
                </PostForm>
              </li>
            ))}
          </ul>
          <AddTargetForm page={p} errors={errors} values={values} />
        </>
      ),
      status,
    );
  };
  app.get('/admin/backups', (c) => page(c));
  app.post('/admin/backups/targets', async (c) => {
    const form = c.get('form');
    try {
      const t = await backups.addTarget(await inputFrom(deps, form), actorOf(c));
      return redirectWithFlash(c, deps, `/backups/targets/${t.id}`, `Target ${t.name} added.`);
    } catch (e) {
      const values = Object.fromEntries(
        [...form.entries()].filter(([k, x]) => k !== 'password' && typeof x === 'string'),
      ) as Record<string, string>;
      return page(c, problemsOf(e), values, statusOf(e) === 409 ? 409 : 400);
    }
  });
  app.post('/admin/backups/targets/:id/enabled', async (c) => {
    const enabled = field(c.get('form'), 'enabled', 5) === 'yes';
    const t = await backups.setEnabled(actorOf(c), c.req.param('id') ?? '', enabled);
    return redirectWithFlash(
      c,
      deps,
      '/admin/backups',
      `${t.name} ${enabled ? 'resumed' : 'paused'}.`,
    );
  });
  return app;
}
