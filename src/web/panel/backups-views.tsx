// Pieces of the backups pages: target and run tables, a report's INFO/WARN/ERROR lines, live
// progress (polled by app.js, a refresh link without it) and the two restore forms.
import type {
  BackupFreshness,
  ReportLine,
  RestoreView,
  RunView,
  TargetView,
} from '../../backups/index.js';
import type { PageContext } from './ui.js';
import { Field, PostForm } from './ui.js';

export const when = (ms: number | null | undefined): string =>
  ms === null || ms === undefined
    ? '—'
    : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

export function size(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  for (; v >= 1024 && i < units.length - 1; i++) v /= 1024;
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

const owner = (t: TargetView) =>
  t.ownerKind === 'provider'
    ? 'provider'
    : `${t.ownerKind === 'pi' ? 'Pi' : 'server'} ${t.ownerId ?? ''}`;

/** Targets with their newest verified backup and whether it is overdue. */
export function TargetTable(props: {
  targets: TargetView[];
  fresh: Map<string, BackupFreshness>;
  showOwner?: boolean;
}) {
  if (props.targets.length === 0) return <p>There are no backup targets yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Target</th>
          {props.showOwner ? <th scope="col">Owner</th> : null}
          <th scope="col">What</th>
          <th scope="col">Schedule (UTC)</th>
          <th scope="col">Last verified backup</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {props.targets.map((t) => {
          const f = props.fresh.get(t.id);
          return (
            <tr>
              <td>
                <a href={`/backups/targets/${t.id}`}>{t.name}</a>
              </td>
              {props.showOwner ? <td>{owner(t)}</td> : null}
              <td>{t.describe}</td>
              <td>
                <code>{t.schedule}</code>
              </td>
              <td>{when(f?.lastVerifiedAt)}</td>
              <td class={f?.stale ? 'warnings' : undefined}>
                {!t.enabled ? 'paused' : f?.stale ? `OVERDUE: ${f.reason}` : 'ok'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function RunTable(props: { runs: RunView[] }) {
  if (props.runs.length === 0) return <p>No backups have run yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Result</th>
          <th scope="col">Stored</th>
          <th scope="col">Tables</th>
          <th scope="col">Started by</th>
        </tr>
      </thead>
      <tbody>
        {props.runs.map((r) => (
          <tr class={r.level === 'INFO' ? undefined : 'warnings'}>
            <td>
              <a href={`/backups/runs/${r.id}`}>{when(r.startedAt)}</a>
            </td>
            <td>{`${r.status}${r.status === 'good' || r.status === 'failed' ? ` (${r.level})` : ''}${r.prunedAt ? ', pruned' : ''}`}</td>
            <td>{size(r.storedBytes)}</td>
            <td>{String(r.tables)}</td>
            <td>{r.trigger}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RestoreTable(props: { restores: RestoreView[] }) {
  if (props.restores.length === 0) return null;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Asked</th>
          <th scope="col">Kind</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {props.restores.map((r) => (
          <tr class={r.status === 'failed' ? 'warnings' : undefined}>
            <td>
              <a href={`/backups/restores/${r.id}`}>{when(r.createdAt)}</a>
            </td>
            <td>
              {r.mode === 'test'
                ? 'restore test'
                : r.mode === 'new'
                  ? 'into a new copy'
                  : 'over the original'}
            </td>
            <td>{r.status}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The report, one row per line, WARN and ERROR marked so they cannot be missed. */
export function Report(props: { lines: ReportLine[] }) {
  if (props.lines.length === 0) return <p class="muted">No report yet.</p>;
  const worst = props.lines.some((l) => l.level === 'ERROR')
    ? 'ERROR'
    : props.lines.some((l) => l.level === 'WARN')
      ? 'WARN'
      : 'INFO';
  return (
    <section class="card" aria-label="Report">
      <h2>{`Report (${worst === 'INFO' ? 'clean' : `has ${worst} lines`})`}</h2>
      <table class="report">
        <tbody>
          {props.lines.map((l) => (
            <tr class={l.level === 'INFO' ? undefined : 'warnings'}>
              <td>
                <span class="badge">{l.level}</span>
              </td>
              <td>
                <code>{l.text}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Still queued or running: the job's progress line, polled by app.js. */
export function Progress(props: { url: string; status: string; progress: string | null }) {
  return (
    <section class="card" data-poll-url={props.url} aria-live="polite">
      <p>
        {`${props.status === 'queued' ? 'Waiting for a worker' : 'Running'}: `}
        <span data-progress>{props.progress ?? 'starting'}</span>
      </p>
      <p>
        <a href="">Refresh</a>
      </p>
    </section>
  );
}

export function RestoreForms(props: {
  page: PageContext;
  run: RunView;
  phrase: string;
  kind: string;
}) {
  const action = `/backups/runs/${props.run.id}/restore`;
  const intoLabel =
    props.kind === 'files'
      ? 'Directory (absolute path)'
      : props.kind === 'sqlite'
        ? 'New file (absolute path)'
        : 'New database name';
  return (
    <section class="card">
      <h2>Restore this backup</h2>
      <PostForm page={props.page} action={action}>
        <input type="hidden" name="mode" value="new" />
        <Field
          label={intoLabel}
          name="into"
          required
          maxlength={500}
          hint="Nothing existing is touched: the backup goes into a new copy."
        />
        <button type="submit">Restore into a new copy</button>
      </PostForm>
      <PostForm page={props.page} action={action}>
        <input type="hidden" name="mode" value="overwrite" />
        <Field
          label={`Type "${props.phrase}" to confirm`}
          name="confirm"
          required
          maxlength={500}
          hint={`This replaces ${props.phrase} with the backup of ${when(props.run.startedAt)}. Changes since then are lost.`}
        />
        <button type="submit" class="danger">
          Restore over the original
        </button>
      </PostForm>
    </section>
  );
}
