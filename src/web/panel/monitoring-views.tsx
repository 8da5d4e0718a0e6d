// Pieces of the monitoring pages: status badges, the dashboard table and pager, uptime, the chart
// placeholder the script fills, acknowledge and silence forms, history.
import type { Child } from 'hono/jsx';
import type {
  CheckRowView,
  Dashboard,
  MonitoringModule,
  Status,
  Uptime,
} from '../../monitoring/index.js';
import { formatDuration } from '../../monitoring/index.js';
import type { PageContext } from './ui.js';
import { Field, PostForm } from './ui.js';

export type CheckDetail = Awaited<ReturnType<MonitoringModule['checks']['get']>>;

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

export function StatusBadge(props: { status: Status }) {
  return <span class={`badge status-${props.status}`}>{props.status}</span>;
}

/** Down / acknowledged / silenced / flapping, as small words after the status. */
export function Marks(props: { row: CheckRowView; now: number }) {
  const r = props.row;
  const marks: string[] = [];
  if (!r.enabled) marks.push('paused');
  if (r.acknowledged) marks.push('acknowledged');
  if (r.silencedUntil) marks.push(`silenced ${formatDuration(r.silencedUntil - props.now)}`);
  if (r.flapping) marks.push('flapping');
  return marks.length ? <span class="muted"> {marks.join(', ')}</span> : null;
}

export function Counts(props: { d: Dashboard }) {
  const { counts } = props.d;
  return (
    <ul class="stats">
      <li class="stat">
        <strong>{String(counts.down)}</strong> down
      </li>
      <li class="stat">
        <strong>{String(counts.unknown)}</strong> unknown
      </li>
      <li class="stat">
        <strong>{String(counts.up)}</strong> up
      </li>
    </ul>
  );
}

export function ChecksTable(props: {
  rows: CheckRowView[];
  now: number;
  owners?: Map<string, string>;
}) {
  if (props.rows.length === 0) return <p>No checks match.</p>;
  return (
    <table class="checks">
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Status</th>
          <th scope="col">For</th>
          <th scope="col">Last result</th>
          {props.owners ? <th scope="col">Owner</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr class={`status-${r.status}`}>
            <td>
              <a href={`/monitoring/checks/${r.id}`}>{r.label}</a>
            </td>
            <td>
              <StatusBadge status={r.status} />
              <Marks row={r} now={props.now} />
            </td>
            <td>{formatDuration(props.now - r.since)}</td>
            <td class="message">{r.message ?? '—'}</td>
            {props.owners ? (
              <td>
                {r.accountId === null ? 'provider' : (props.owners.get(r.accountId) ?? r.accountId)}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Previous/next links that keep the filters. */
export function Pager(props: { d: Dashboard; query: URLSearchParams }) {
  const { page, pages, total } = props.d;
  const link = (p: number) => {
    const q = new URLSearchParams(props.query);
    q.set('page', String(p));
    return `/monitoring?${q.toString()}`;
  };
  return (
    <nav class="pager" aria-label="Pages">
      <span>{`${total} checks, page ${page} of ${pages}`}</span>{' '}
      {page > 1 ? <a href={link(page - 1)}>Previous</a> : null}{' '}
      {page < pages ? <a href={link(page + 1)}>Next</a> : null}
    </nav>
  );
}

const percent = (f: number | null) =>
  f === null ? '—' : `${(Math.floor(f * 10_000) / 100).toFixed(2)} %`;

export function UptimeFacts(props: { uptime: Uptime }) {
  const u = props.uptime;
  return (
    <ul class="stats uptime">
      <li class="stat">
        <strong>{percent(u.day)}</strong> 24 hours
      </li>
      <li class="stat">
        <strong>{percent(u.week)}</strong> 7 days
      </li>
      <li class="stat">
        <strong>{percent(u.month)}</strong> 30 days
      </li>
    </ul>
  );
}

/** The chart: uPlot draws here from the JSON the data attribute names (no inline script). */
export function Chart(props: { id: string; range: string }) {
  const ranges = ['24h', '7d', '30d'];
  return (
    <section class="card">
      <h2>Response time</h2>
      <p class="subnav">
        {ranges.map((r) =>
          r === props.range ? (
            <strong>{r}</strong>
          ) : (
            <a href={`/monitoring/checks/${props.id}?range=${r}`}>{r}</a>
          ),
        )}
      </p>
      <div
        class="chart"
        data-chart={`/monitoring/checks/${props.id}/chart.json?range=${props.range}`}
        aria-label="Response time and availability chart"
      >
        <p class="muted chart-fallback">
          The chart needs JavaScript; the figures above hold without it.
        </p>
      </div>
    </section>
  );
}

/** Monitoring's own stylesheet, linked from its pages (app.css stays the panel's). */
export function Styles() {
  return <link rel="stylesheet" href="/assets/monitoring.css" />;
}

export function ChartAssets() {
  return (
    <>
      <Styles />
      <link rel="stylesheet" href="/vendor/uplot/uPlot.min.css" />
      <script src="/vendor/uplot/uPlot.iife.min.js" defer></script>
      <script src="/assets/monitoring.js" defer></script>
    </>
  );
}

/** Acknowledge (when down), silence for a while with a reason, or end a silence. */
export function ActionForms(props: { page: PageContext; d: CheckDetail; now: number }) {
  const { row } = props.d;
  const base = `/monitoring/checks/${row.id}`;
  return (
    <section class="card">
      <h2>Acknowledge or silence</h2>
      {row.status === 'down' && !row.acknowledged ? (
        <PostForm page={props.page} action={`${base}/acknowledge`}>
          <Field
            label="Comment"
            name="comment"
            maxlength={500}
            hint="Acknowledged problems get no reminders; recovery is still announced."
          />
          <button type="submit">Acknowledge</button>
        </PostForm>
      ) : null}
      {row.silencedUntil ? (
        <PostForm page={props.page} action={`${base}/unsilence`}>
          <p>{`Silenced for ${formatDuration(row.silencedUntil - props.now)} more (until ${when(row.silencedUntil)}).`}</p>
          <button type="submit" class="secondary">
            End the silence now
          </button>
        </PostForm>
      ) : (
        <PostForm page={props.page} action={`${base}/silence`}>
          <Field
            label="For how long"
            name="duration"
            required
            maxlength={20}
            hint="e.g. 30m, 2h, 3d (at most 30d)"
          />
          <Field
            label="Why"
            name="reason"
            required
            maxlength={500}
            hint="A maintenance window’s reason, shown to whoever looks."
          />
          <button type="submit" class="secondary">
            Silence
          </button>
        </PostForm>
      )}
    </section>
  );
}

export function History(props: { d: CheckDetail }) {
  const { alerts, actions } = props.d;
  const items: Array<{ at: number; text: Child }> = [
    ...alerts.map((a) => ({ at: a.at, text: a.line })),
    ...actions.map((a) => ({
      at: a.at,
      text: `${a.kind === 'acknowledge' ? 'Acknowledged' : a.kind === 'silence' ? 'Silenced' : 'Silence ended'} by ${a.by_name}${a.reason ? `: ${a.reason}` : ''}${a.until ? ` (until ${when(a.until)})` : ''}`,
    })),
  ].sort((a, b) => b.at - a.at);
  return (
    <section class="card">
      <h2>History</h2>
      {items.length === 0 ? (
        <p>Nothing has happened yet.</p>
      ) : (
        <ul class="plain history">
          {items.map((i) => (
            <li>
              <time>{when(i.at)}</time> {i.text}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export { when };
