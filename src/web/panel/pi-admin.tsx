// Operators' Pi fleet: by site and state, enrolling Pis, maintenance and service, sites and
// switches, and the image catalogue (add, retire, default per model). 404 for non-admins.
import { Hono } from 'hono';
import type { HostState } from '../../picloud/index.js';
import { hostStates } from '../../picloud/index.js';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { PanelDeps } from './deps.js';
import { requireAdmin, requireLogin } from './guards.js';
import { EnrolForm, ImagesCard } from './pi-admin-views.js';
import type { PanelContext } from './render.js';
import { actorOf, problemsOf, redirectWithFlash, render } from './render.js';
import { Field, GetForm, PostForm } from './ui.js';

const optionalInt = (form: FormData, name: string) => {
  const v = field(form, name, 10).trim();
  return v === '' ? undefined : Number(v);
};

export function piAdminRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { fleet, catalogue } = deps.picloud;
  app.use('/admin/pi', requireLogin(), requireAdmin());
  app.use('/admin/pi/*', requireLogin(), requireAdmin());

  app.get('/admin/pi', async (c) => {
    const site = c.req.query('site') ?? '';
    const state = (hostStates as readonly string[]).includes(c.req.query('state') ?? '')
      ? (c.req.query('state') as HostState)
      : undefined;
    const [overview, hosts, images, switches] = await Promise.all([
      fleet.overview(),
      fleet.hosts({ ...(site ? { siteId: site } : {}), ...(state ? { state } : {}) }),
      catalogue.images(),
      fleet.switches(),
    ]);
    const switchName = new Map(switches.map((s) => [s.id, s.name]));
    return render(c, deps, 'Pi fleet', (page) => (
      <>
        <section class="card">
          <h2>By site and state</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Site</th>
                {hostStates.map((s) => (
                  <th scope="col">{s}</th>
                ))}
                <th scope="col">total</th>
              </tr>
            </thead>
            <tbody>
              {overview.map((o) => (
                <tr>
                  <th scope="row">{o.site.id}</th>
                  {hostStates.map((s) => (
                    <td>
                      <a href={`/admin/pi?site=${o.site.id}&state=${s}`}>{String(o.counts[s])}</a>
                    </td>
                  ))}
                  <td>{String(o.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="card">
          <h2>{`Pis${site ? ` at ${site}` : ''}${state ? ` (${state})` : ''}`}</h2>
          <GetForm action="/admin/pi" class="inline">
            <Field label="Site" name="site" value={site} />
            <Field label="State" name="state" value={state ?? ''} />
            <button type="submit">Filter</button>
          </GetForm>
          <table>
            <thead>
              <tr>
                {['Serial', 'MAC', 'Model', 'Spec', 'Site', 'Port', 'Slot', 'State', ''].map(
                  (h) => (
                    <th scope="col">{h}</th>
                  ),
                )}
              </tr>
            </thead>
            <tbody>
              {hosts.map((h) => (
                <tr>
                  <td>{h.serial}</td>
                  <td>{h.mac}</td>
                  <td>{h.model}</td>
                  <td>{`${h.memory_mb} MB, ${h.cpu_mhz} MHz, ${h.nic_mbps} Mbit/s`}</td>
                  <td>{h.site_id}</td>
                  <td>{h.switch_id ? `${switchName.get(h.switch_id) ?? '?'}/${h.port}` : '—'}</td>
                  <td>{String(h.slot)}</td>
                  <td>{h.state_reason ? `${h.state}: ${h.state_reason}` : h.state}</td>
                  <td>
                    {['new', 'maintenance', 'broken'].includes(h.state) ? (
                      <PostForm
                        page={page}
                        action={`/admin/pi/hosts/${h.serial}/service`}
                        class="inline"
                      >
                        <button type="submit" class="link">
                          Put into service
                        </button>
                      </PostForm>
                    ) : null}
                    {['new', 'ready', 'broken', 'failed'].includes(h.state) ? (
                      <PostForm
                        page={page}
                        action={`/admin/pi/hosts/${h.serial}/maintenance`}
                        class="inline"
                      >
                        <button type="submit" class="link">
                          Maintenance
                        </button>
                      </PostForm>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <EnrolForm page={page} sites={overview.map((o) => o.site.id)} />
        <ImagesCard page={page} images={images} />
        <section class="card">
          <h2>Sites and switches</h2>
          <PostForm page={page} action="/admin/pi/sites">
            <Field label="Site code" name="code" required />
            <Field label="Site name" name="name" />
            <button type="submit">Add site</button>
          </PostForm>
          <PostForm page={page} action="/admin/pi/switches">
            <Field label="Site" name="site" required />
            <Field label="Switch name" name="name" required />
            <Field label="Management address" name="address" required />
            <Field label="Ports" name="ports" inputmode="numeric" required />
            <button type="submit">Add switch</button>
          </PostForm>
        </section>
      </>
    ));
  });

  /** Do an operator action and come back to the fleet page with its outcome. */
  const act = (path: string, run: (c: PanelContext, form: FormData) => Promise<string>) =>
    app.post(path, async (c) => {
      let message: string;
      try {
        message = await run(c, c.get('form'));
      } catch (e) {
        message = problemsOf(e).join(' ');
      }
      return redirectWithFlash(c, deps, '/admin/pi', message);
    });

  act('/admin/pi/enrol', async (c, f) => {
    const host = await fleet.enrol(
      {
        serial: field(f, 'serial', 20),
        mac: field(f, 'mac', 20),
        model: field(f, 'model', 10),
        memoryMb: optionalInt(f, 'memory'),
        cpuMhz: optionalInt(f, 'cpu'),
        nicMbps: optionalInt(f, 'nic'),
        site: field(f, 'site', 10),
        switchName: field(f, 'switch', 63) || undefined,
        port: optionalInt(f, 'port'),
      },
      actorOf(c),
    );
    await fleet.commission(host.id, actorOf(c));
    return `Pi ${host.serial} enrolled (slot ${host.slot}); it is being put into service.`;
  });
  act('/admin/pi/hosts/:serial/service', async (c) => {
    const host = await fleet.commission(c.req.param('serial')!, actorOf(c));
    return `Pi ${host.serial} is being put into service.`;
  });
  act('/admin/pi/hosts/:serial/maintenance', async (c) => {
    await fleet.maintenance(c.req.param('serial')!, 'by an operator', actorOf(c));
    return `Pi ${c.req.param('serial')!} is in maintenance.`;
  });
  act('/admin/pi/sites', async (c, f) => {
    await fleet.addSite(field(f, 'code', 10), field(f, 'name', 100), actorOf(c));
    return 'Site added.';
  });
  act('/admin/pi/switches', async (c, f) => {
    await fleet.addSwitch(
      {
        site: field(f, 'site', 10),
        name: field(f, 'name', 63),
        address: field(f, 'address', 100),
        ports: Number(field(f, 'ports', 5)),
      },
      actorOf(c),
    );
    return 'Switch added.';
  });
  act('/admin/pi/images', async (c, f) => {
    await catalogue.addImage(
      {
        name: field(f, 'name', 100),
        label: field(f, 'label', 200),
        archive: field(f, 'archive', 1000),
        models: field(f, 'models', 100)
          .split(',')
          .map((m) => m.trim())
          .filter(Boolean),
        defaultUser: field(f, 'user', 32),
      },
      actorOf(c),
    );
    return 'Image added.';
  });
  act('/admin/pi/images/default', async (c, f) => {
    await catalogue.setDefault(field(f, 'model', 10), field(f, 'image', 100), actorOf(c));
    return 'Default image set.';
  });
  act('/admin/pi/images/:name/retire', async (c) => {
    await catalogue.retireImage(c.req.param('name')!, actorOf(c));
    return `Image ${c.req.param('name')!} retired.`;
  });

  return app;
}
