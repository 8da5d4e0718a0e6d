// Where a customer's alerts go: their own IRC channel, email addresses and webhooks (their checks
// only). Operators see the configured operators' destinations here too.
import { Hono } from 'hono';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { PanelDeps } from './deps.js';
import type { PanelContext } from './render.js';
import { actorOf, problemsOf, redirectWithFlash, render, statusOf } from './render.js';
import type { PageContext } from './ui.js';
import { Field, PostForm, Problems } from './ui.js';

export function monitoringDestinationRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { monitoring } = deps;
  const enabled = deps.config.monitoring.customerDestinations;

  const page = async (
    c: PanelContext,
    errors: string[] = [],
    values: Record<string, string> = {},
    status = 200,
  ) => {
    const a = actorOf(c);
    const mine = await monitoring.destinations.list(a);
    const ops = a.isAdmin ? monitoring.destinations.operators() : null;
    return render(
      c,
      deps,
      'Where your alerts go',
      (p: PageContext) => (
        <>
          {ops ? (
            <section class="card">
              <h2>Operators (from the configuration)</h2>
              <ul class="plain">
                <li>
                  {ops.channel
                    ? `IRC ${ops.channel}: every alert; commands are taken here`
                    : 'No IRC bot is configured.'}
                </li>
                {ops.emails.map((e) => (
                  <li>{`Email ${e}: every alert`}</li>
                ))}
                {ops.webhooks.map((w) => (
                  <li>{`Webhook (${w.format}) ${w.url}: every alert`}</li>
                ))}
                {ops.emails.length === 0 ? (
                  <li>
                    When IRC is unreachable for a while, alerts go to every administrator by email.
                  </li>
                ) : null}
              </ul>
            </section>
          ) : null}
          <section class="card">
            <h2>Your own</h2>
            <p>
              These get alerts about your checks only, including your servers’ automatic checks.
            </p>
            {mine.length === 0 ? (
              <p>None yet.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Kind</th>
                    <th scope="col">Where</th>
                    <th scope="col"></th>
                  </tr>
                </thead>
                <tbody>
                  {mine.map((d) => (
                    <tr>
                      <td>{d.kind === 'webhook' ? `webhook (${d.format ?? 'json'})` : d.kind}</td>
                      <td>{d.label === d.target ? d.target : `${d.label}: ${d.target}`}</td>
                      <td>
                        <PostForm
                          page={p}
                          action={`/monitoring/destinations/${d.id}/delete`}
                          class="inline"
                        >
                          <button type="submit" class="link">
                            Remove
                          </button>
                        </PostForm>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          {enabled ? (
            <section class="card">
              <h2>Add one</h2>
              <Problems errors={errors} />
              <PostForm page={p} action="/monitoring/destinations">
                <div class="field">
                  <label for="kind">Kind</label>
                  <select id="kind" name="kind">
                    <option value="email" selected={values.kind === 'email'}>
                      Email address
                    </option>
                    <option value="irc" selected={values.kind === 'irc'}>
                      IRC channel (on our network)
                    </option>
                    <option value="webhook" selected={values.kind === 'webhook'}>
                      Webhook
                    </option>
                  </select>
                </div>
                <Field
                  label="Address, channel or URL"
                  name="target"
                  value={values.target}
                  required
                  maxlength={2000}
                />
                <div class="field">
                  <label for="format">Webhook format</label>
                  <select id="format" name="format">
                    {(['json', 'slack', 'matrix'] as const).map((f) => (
                      <option value={f} selected={values.format === f}>
                        {f}
                      </option>
                    ))}
                  </select>
                </div>
                <Field label="Label (optional)" name="label" value={values.label} maxlength={80} />
                <button type="submit">Add</button>
              </PostForm>
            </section>
          ) : null}
        </>
      ),
      status as 200,
    );
  };

  app.get('/monitoring/destinations', (c) => page(c));
  app.post('/monitoring/destinations', async (c) => {
    const form = c.get('form');
    const values = {
      kind: field(form, 'kind', 20),
      target: field(form, 'target', 2000),
      format: field(form, 'format', 20),
      label: field(form, 'label', 80),
    };
    try {
      await monitoring.destinations.add(actorOf(c), {
        kind: values.kind,
        target: values.target,
        ...(values.kind === 'webhook' ? { format: values.format || 'json' } : {}),
        ...(values.label ? { label: values.label } : {}),
      });
      return redirectWithFlash(c, deps, '/monitoring/destinations', 'Added.');
    } catch (e) {
      return page(c, problemsOf(e), values, statusOf(e));
    }
  });
  app.post('/monitoring/destinations/:id/delete', async (c) => {
    await monitoring.destinations.remove(actorOf(c), c.req.param('id'));
    return redirectWithFlash(c, deps, '/monitoring/destinations', 'Removed.');
  });
  return app;
}
