// The public status page (no login): the provider's checks marked public, their state and uptime.
// Names only: targets, messages and owners stay private.
import { Hono } from 'hono';
import type { WebEnv } from '../context.js';
import type { PanelDeps } from './deps.js';
import { StatusBadge, Styles, when } from './monitoring-views.js';
import { render } from './render.js';

const percent = (f: number | null) =>
  f === null ? '—' : `${(Math.floor(f * 10_000) / 100).toFixed(2)} %`;

export function statusRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { statusPage } = deps.config.monitoring;
  if (!statusPage.enabled) return app;

  app.get('/status', async (c) => {
    const services = (await deps.monitoring.publicStatus()).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    const down = services.filter((s) => s.status === 'down').length;
    const summary =
      services.length === 0
        ? 'No services are listed yet.'
        : down === 0
          ? 'All services are operating normally.'
          : `${down} of ${services.length} services ${down === 1 ? 'has' : 'have'} a problem.`;
    return render(c, deps, statusPage.title, () => (
      <>
        <Styles />
        <p class={down ? 'notice status-down' : 'notice status-up'} data-summary>
          {summary}
        </p>
        {services.length ? (
          <table class="status-page">
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Now</th>
                <th scope="col">Since</th>
                <th scope="col">24 hours</th>
                <th scope="col">7 days</th>
                <th scope="col">30 days</th>
              </tr>
            </thead>
            <tbody>
              {services.map((s) => (
                <tr>
                  <td>{s.name}</td>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td>{when(s.since)}</td>
                  <td>{percent(s.uptime.day)}</td>
                  <td>{percent(s.uptime.week)}</td>
                  <td>{percent(s.uptime.month)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <p class="muted">{`Checked every minute. Updated ${when(deps.clock.now())}.`}</p>
      </>
    ));
  });
  return app;
}
