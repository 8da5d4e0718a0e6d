// The customer's Raspberry Pis: the list, ordering one, its page (live boot progress, then the
// ssh command, power, keys, re-image, cancel, temperature) and re-image receipts.
import { Hono } from 'hono';
import { ValidationError } from '../../core/errors.js';
import type { ServerView } from '../../picloud/index.js';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { PanelDeps } from './deps.js';
import { requireLogin } from './guards.js';
import { chosenKeys, piOrderRoutes } from './pi-order.js';
import {
  Actions,
  BootProgress,
  CancelForm,
  Facts,
  progressJson,
  Receipts,
  SshHowTo,
} from './pi-views.js';
import type { PanelContext } from './render.js';
import { accountIdOf, actorOf, problemsOf, redirectWithFlash, render } from './render.js';
import type { PageContext } from './ui.js';
import { formatDate, Problems } from './ui.js';

export function piRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { servers, keys, catalogue } = deps.picloud;
  app.use('/pi', requireLogin());
  app.use('/pi/*', requireLogin());
  app.route('/', piOrderRoutes(deps));

  app.get('/pi', async (c) => {
    const list = await servers.list(accountIdOf(c));
    return render(c, deps, 'Raspberry Pis', () => (
      <>
        <p>
          <a class="button" href="/pi/order">
            Order a Pi
          </a>{' '}
          <a href="/account/ssh-keys">Your SSH keys</a>
        </p>
        {list.length === 0 ? (
          <p>You have no Pis yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col">Ordered</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr>
                  <td>
                    <a href={`/pi/${s.name}`}>{s.name}</a>
                  </td>
                  <td>{`Pi ${s.model}`}</td>
                  <td>{s.isBooting && s.status === 'live' ? 'booting' : s.status}</td>
                  <td>{formatDate(s.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    ));
  });

  const view = (c: PanelContext) => servers.get(accountIdOf(c), c.req.param('name')!);

  app.get('/pi/:name/progress.json', async (c) => c.json(progressJson(await view(c))));

  app.get('/pi/:name', async (c) => {
    const v = await view(c);
    const account = accountIdOf(c);
    const [temperature, saved, images, tasks] = await Promise.all([
      servers.temperature(account, v.name),
      keys.list(account),
      catalogue.imagesFor(v.model),
      servers.tasks(account, v.name),
    ]);
    return render(c, deps, v.name, (page) => (
      <ServerPage
        page={page}
        v={v}
        temperature={temperature}
        keys={saved}
        images={images}
        tasks={tasks}
      />
    ));
  });

  /** Run an action on the Pi, then back to its page with a message (or the problem). */
  const act = (path: string, run: (c: PanelContext, v: ServerView) => Promise<string>) =>
    app.post(`/pi/:name/${path}`, async (c) => {
      const v = await view(c);
      let message: string;
      try {
        message = await run(c, v);
      } catch (e) {
        message = problemsOf(e).join(' ');
      }
      return redirectWithFlash(c, deps, `/pi/${v.name}`, message);
    });
  const confirmed = (c: PanelContext, v: ServerView) => {
    if (field(c.get('form'), 'confirm', 100).trim() !== v.name)
      throw new ValidationError(`Nothing was done: type the Pi's name, “${v.name}”, to confirm.`);
  };

  act('reboot', async (c, v) => {
    await servers.reboot(accountIdOf(c), v.name, actorOf(c));
    return 'Rebooting.';
  });
  act('power', async (c, v) => {
    const on = field(c.get('form'), 'power', 3) === 'on';
    await servers.power(accountIdOf(c), v.name, on, actorOf(c));
    return on ? 'Powering on.' : 'Powering off.';
  });
  act('keys', async (c, v) => {
    const lines = await chosenKeys(deps, c);
    await servers.replaceKeys(accountIdOf(c), v.name, lines, actorOf(c));
    return `The Pi now has ${lines.length} key${lines.length === 1 ? '' : 's'}.`;
  });
  act('reimage', async (c, v) => {
    confirmed(c, v);
    const image = field(c.get('form'), 'image', 200) || v.image;
    await servers.reimage(accountIdOf(c), v.name, { image }, actorOf(c));
    return `Re-imaging with ${image}: all data on the Pi is being deleted.`;
  });
  app.post('/pi/:name/cancel', async (c) => {
    const v = await view(c);
    try {
      confirmed(c, v);
      await servers.cancel(accountIdOf(c), v.name, actorOf(c));
      return await redirectWithFlash(
        c,
        deps,
        '/pi',
        `${v.name} is cancelled; its data is being destroyed.`,
      );
    } catch (e) {
      return redirectWithFlash(c, deps, `/pi/${v.name}`, problemsOf(e).join(' '));
    }
  });

  app.get('/pi/:name/receipts/:task', async (c) => {
    const v = await view(c);
    const task = (await servers.tasks(accountIdOf(c), v.name)).find(
      (t) => t.id === c.req.param('task'),
    );
    if (!task?.result) return c.notFound();
    const r = task.result;
    return render(c, deps, `Re-image receipt for ${v.name}`, () => (
      <section class="card">
        <p data-receipt>{typeof r.statement === 'string' ? r.statement : ''}</p>
        <dl>
          {Object.entries(r)
            .filter(([k]) => k !== 'statement')
            .map(([k, val]) => (
              <>
                <dt>{k}</dt>
                <dd>{Array.isArray(val) ? val.join(', ') : String(val)}</dd>
              </>
            ))}
        </dl>
      </section>
    ));
  });

  return app;
}

function ServerPage(props: {
  page: PageContext;
  v: ServerView;
  temperature: number | null;
  keys: Awaited<ReturnType<PanelDeps['picloud']['keys']['list']>>;
  images: Awaited<ReturnType<PanelDeps['picloud']['catalogue']['imagesFor']>>;
  tasks: Awaited<ReturnType<PanelDeps['picloud']['servers']['tasks']>>;
}) {
  const { v } = props;
  const busy = v.status === 'provisioning' || v.status === 'installing' || v.isBooting;
  return (
    <>
      <p>
        <span class="muted">Status:</span> <strong data-status>{v.status}</strong>
      </p>
      {v.status === 'failed' ? <Problems errors={[v.error ?? 'This Pi failed.']} /> : null}
      {busy ? <BootProgress v={v} /> : null}
      {v.status === 'live' && !busy && v.power ? <SshHowTo v={v} /> : null}
      <section class="card">
        <h2>Details</h2>
        <Facts v={v} temperature={props.temperature} />
      </section>
      {v.status === 'live' && !busy ? (
        <Actions page={props.page} v={v} keys={props.keys} images={props.images} />
      ) : null}
      {v.status === 'failed' ? <CancelForm page={props.page} v={v} /> : null}
      <Receipts v={v} tasks={props.tasks} />
    </>
  );
}
