// Operators' pages: every account (suspend and reinstate), the audit log, the mail outbox and
// the job queue. Non-admins get 404 for all of it.
import { Hono } from 'hono';
import type { AuditEvent } from '../../accounts/index.js';
import { NotFoundError } from '../../core/errors.js';
import type { WebEnv } from '../context.js';
import type { PanelDeps } from './deps.js';
import { requireAdmin, requireLogin } from './guards.js';
import { actorOf, redirectWithFlash, render } from './render.js';
import { formatDate, GetForm, PostForm } from './ui.js';

const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

function AuditTable(props: { events: AuditEvent[] }) {
  return (
    <table class="audit">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">From</th>
          <th scope="col">What</th>
          <th scope="col">Object</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {props.events.map((e) => (
          <tr>
            <td>{formatDate(e.at)}</td>
            <td>{e.actorAccountId ?? e.channel}</td>
            <td>{`${e.ip ?? '—'} (${e.channel}${e.apiKeyId ? ` key ${e.apiKeyId}` : ''})`}</td>
            <td>{e.action}</td>
            <td>{`${e.objectType} ${e.objectId}`}</td>
            <td>
              <code>{json(e.before)}</code>
            </td>
            <td>
              <code>{json(e.after)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function adminRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { accounts, audit } = deps.accounts;
  app.use('/admin', requireLogin(), requireAdmin());
  app.use('/admin/*', requireLogin(), requireAdmin());

  app.get('/admin', async (c) => {
    const search = (c.req.query('q') ?? '').slice(0, 200);
    const list = await accounts.list({ limit: 200, search });
    const total = await accounts.count();
    return render(c, deps, 'Administration', () => (
      <>
        <nav class="subnav" aria-label="Administration">
          <a href="/admin">Accounts</a> · <a href="/admin/audit">Audit log</a> ·{' '}
          <a href="/admin/outbox">Mail outbox</a> · <a href="/admin/jobs">Jobs</a>
        </nav>
        <GetForm action="/admin" class="search" role="search">
          <label for="q">Find accounts by email</label>
          <input id="q" name="q" type="search" value={search} />
          <button type="submit">Find</button>
        </GetForm>
        <p>{total} accounts in all.</p>
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr>
                <td>
                  <a href={`/admin/accounts/${a.id}`}>{a.email}</a>
                </td>
                <td>{a.name}</td>
                <td>{a.role}</td>
                <td>{a.status}</td>
                <td>{formatDate(a.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    ));
  });

  app.get('/admin/accounts/:id', async (c) => {
    const account = await accounts.get(c.req.param('id'));
    if (!account) throw new NotFoundError('Account');
    const events = await audit.list({ ownerAccountId: account.id, limit: 50 });
    const self = c.get('session')!.account.id === account.id;
    return render(c, deps, account.email, (page) => (
      <>
        <section class="card">
          <dl>
            <dt>Name</dt>
            <dd>{account.name || '—'}</dd>
            <dt>Role</dt>
            <dd>{account.role}</dd>
            <dt>Status</dt>
            <dd>{account.status}</dd>
            <dt>Two-factor</dt>
            <dd>{account.twoFactorEnabled ? 'On' : 'Off'}</dd>
            <dt>Created</dt>
            <dd>{formatDate(account.createdAt)}</dd>
          </dl>
          {self ? null : account.status === 'active' ? (
            <PostForm page={page} action={`/admin/accounts/${account.id}/suspend`}>
              <button type="submit" class="danger">
                Suspend this account
              </button>
            </PostForm>
          ) : (
            <PostForm page={page} action={`/admin/accounts/${account.id}/reinstate`}>
              <button type="submit">Reinstate this account</button>
            </PostForm>
          )}
        </section>
        <section class="card">
          <h2>Audit log</h2>
          <AuditTable events={events} />
        </section>
      </>
    ));
  });

  for (const [action, suspend] of [
    ['suspend', true],
    ['reinstate', false],
  ] as const) {
    app.post(`/admin/accounts/:id/${action}`, async (c) => {
      const id = c.req.param('id');
      if (id === c.get('session')!.account.id)
        return redirectWithFlash(c, deps, `/admin/accounts/${id}`, 'You cannot suspend yourself.');
      const account = await accounts.setSuspended(id, suspend, actorOf(c));
      return redirectWithFlash(
        c,
        deps,
        `/admin/accounts/${id}`,
        `${account.email} is now ${account.status}.`,
      );
    });
  }

  app.get('/admin/audit', async (c) => {
    const before = c.req.query('before');
    const events = await audit.list({ limit: 200, ...(before ? { before } : {}) });
    const last = events.at(-1);
    return render(c, deps, 'Audit log', () => (
      <>
        <AuditTable events={events} />
        {last && events.length === 200 ? (
          <a href={`/admin/audit?before=${encodeURIComponent(last.at)}`}>Older entries</a>
        ) : null}
      </>
    ));
  });

  app.get('/admin/outbox', async (c) => {
    const messages = await deps.mailer.list(200);
    return render(c, deps, 'Mail outbox', () => (
      <>
        <p>
          {deps.mailer.transport === 'smtp'
            ? 'Mail is sent by SMTP; this is the record of every message.'
            : 'No SMTP server is configured, so mail stays here. Set BESTIARY_SMTP_URL to send it.'}
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Delivery</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr>
                <td>{formatDate(m.created_at)}</td>
                <td>{m.to_address}</td>
                <td>
                  <a href={`/admin/outbox/${m.id}`}>{m.subject}</a>
                </td>
                <td>
                  {m.error
                    ? `failed: ${m.error}`
                    : m.sent_at
                      ? `sent ${formatDate(m.sent_at)}`
                      : m.transport}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    ));
  });

  app.get('/admin/outbox/:id', async (c) => {
    const message = await deps.mailer.get(c.req.param('id'));
    if (!message) throw new NotFoundError('Message');
    return render(c, deps, message.subject, () => (
      <section class="card">
        <dl>
          <dt>To</dt>
          <dd>{message.to_address}</dd>
          <dt>When</dt>
          <dd>{formatDate(message.created_at)}</dd>
        </dl>
        <pre class="mail" data-testid="mail-body">
          {message.body}
        </pre>
      </section>
    ));
  });

  app.get('/admin/jobs', async (c) => {
    const [counts, recent] = await Promise.all([deps.jobs.countByState(), deps.jobs.recent(100)]);
    return render(c, deps, 'Jobs', () => (
      <>
        <p>
          {Object.entries(counts)
            .map(([state, n]) => `${state}: ${n}`)
            .join(' · ') || 'No jobs yet.'}
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Job</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
              <th scope="col">Progress or error</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((j) => (
              <tr>
                <td>{formatDate(j.created_at)}</td>
                <td>{j.name}</td>
                <td>{j.state}</td>
                <td>{`${j.attempts}/${j.max_attempts}`}</td>
                <td>{j.last_error ?? j.progress ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    ));
  });

  return app;
}
