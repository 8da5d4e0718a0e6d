// The customer's zones: the list (kind, serial, record count), adding a DNS-only zone, and
// deleting a zone after typing its name.
import { Hono } from 'hono';
import { everything } from '../../dns/index.js';
import type { ZoneRow } from '../../dns/index.js';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import { panelAccess, zoneOf, zonePath } from './dns-common.js';
import type { PanelDeps } from './deps.js';
import type { PanelContext } from './render.js';
import { accountIdOf, actorOf, problemsOf, redirectWithFlash, render, statusOf } from './render.js';
import type { PageContext } from './ui.js';
import { Field, PostForm, Problems } from './ui.js';

const kindLabel = (kind: string) => (kind === 'dns-only' ? 'DNS only' : 'Domain');

function AddZoneForm(props: { page: PageContext; errors?: string[]; name?: string }) {
  return (
    <section class="card">
      <h2>Add a zone</h2>
      <p>
        Host the DNS of a domain registered elsewhere. Once added, point the domain at our
        nameservers at its registrar.
      </p>
      <Problems errors={props.errors ?? []} />
      <PostForm page={props.page} action="/dns">
        <Field
          label="Domain"
          name="name"
          value={props.name}
          required
          maxlength={253}
          hint="e.g. example.org"
        />
        <button type="submit">Add zone</button>
      </PostForm>
    </section>
  );
}

export function dnsZoneRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { dns } = deps;

  const listPage = async (
    c: PanelContext,
    form: { errors?: string[]; name?: string } = {},
    status: 200 | 400 | 409 = 200,
  ) => {
    const access = panelAccess(c);
    const zones = await dns.zones.list(access);
    const counts = await Promise.all(
      zones.map(async (z) => (await dns.records.list(access, z, everything)).length),
    );
    return render(
      c,
      deps,
      'DNS',
      (page) => (
        <>
          <nav class="subnav" aria-label="DNS">
            <a href="/dns">Zones</a> · <a href="/dns/tsig">TSIG keys for dynamic updates</a>
          </nav>
          <section class="card">
            <h2>Your zones</h2>
            {zones.length === 0 ? (
              <p>You have no zones yet. Order a domain, or add a zone below.</p>
            ) : (
              <table class="zones">
                <thead>
                  <tr>
                    <th scope="col">Zone</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Serial</th>
                    <th scope="col">Records</th>
                  </tr>
                </thead>
                <tbody>
                  {zones.map((z, i) => (
                    <tr>
                      <td>
                        <a href={zonePath(z)}>{z.name}</a>
                      </td>
                      <td>{kindLabel(z.kind)}</td>
                      <td>
                        <code>{String(z.serial)}</code>
                      </td>
                      <td>{String(counts[i])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <AddZoneForm page={page} {...form} />
        </>
      ),
      status,
    );
  };

  app.get('/dns', (c) => listPage(c));

  app.post('/dns', async (c) => {
    const name = field(c.get('form'), 'name', 300);
    try {
      const zone = await dns.zones.create(accountIdOf(c), name, 'dns-only', actorOf(c));
      return await redirectWithFlash(c, deps, zonePath(zone), `The zone ${zone.name} was added.`);
    } catch (e) {
      const status = statusOf(e);
      return listPage(c, { errors: problemsOf(e), name }, status === 409 ? 409 : 400);
    }
  });

  const deletePage = (
    c: PanelContext,
    zone: ZoneRow,
    form: { errors?: string[]; typed?: string } = {},
    status: 200 | 400 = 200,
  ) =>
    render(
      c,
      deps,
      `Delete ${zone.name}`,
      (page) => (
        <section class="card narrow">
          <p class="notice">
            Deleting the zone removes all of its records, and our nameservers stop answering for{' '}
            {zone.name} at once.
            {zone.kind === 'domain' ? ' The domain itself stays registered to you.' : ''}
          </p>
          <Problems errors={form.errors ?? []} />
          <PostForm page={page} action={zonePath(zone, '/delete')}>
            <Field
              label={`Type ${zone.name} to confirm`}
              name="confirm"
              value={form.typed}
              required
              autocomplete="off"
            />
            <button type="submit" class="danger">
              Delete the zone
            </button>{' '}
            <a href={zonePath(zone)}>Keep it</a>
          </PostForm>
        </section>
      ),
      status,
    );

  app.get('/dns/:zone/delete', async (c) => deletePage(c, await zoneOf(c, deps)));

  app.post('/dns/:zone/delete', async (c) => {
    const zone = await zoneOf(c, deps);
    const typed = field(c.get('form'), 'confirm', 300);
    if (typed.trim().replace(/\.$/, '').toLowerCase() !== zone.name) {
      return deletePage(
        c,
        zone,
        { errors: [`Type the zone’s name, ${zone.name}, to delete it.`], typed },
        400,
      );
    }
    await dns.zones.remove(panelAccess(c), zone);
    return redirectWithFlash(c, deps, '/dns', `The zone ${zone.name} was deleted.`);
  });

  return app;
}
