// A zone's page: serial and nameservers, its records grouped by host then type (template records
// marked, generated ones read-only), the add-record form, and "who may issue?".
import type { StoredRecord, ZoneRow } from '../../dns/index.js';
import { everything } from '../../dns/index.js';
import { GetForm, PostForm, Problems } from './ui.js';
import type { PageContext } from './ui.js';
import type { RecordInput } from './dns-record-form.js';
import { RecordForm } from './dns-record-form.js';
import { panelAccess, ZoneNav, zonePath } from './dns-common.js';
import { DnssecSection } from './dns-dnssec-section.js';
import type { PanelDeps } from './deps.js';
import type { PanelContext } from './render.js';
import { render } from './render.js';

/** '@' first, then hosts by their labels from the right (www.a before b), then by type. */
function grouped(records: readonly StoredRecord[]): [string, StoredRecord[]][] {
  const rank = (host: string) => (host === '@' ? [''] : host.split('.').reverse());
  const byHost = new Map<string, StoredRecord[]>();
  for (const r of records) byHost.set(r.host, [...(byHost.get(r.host) ?? []), r]);
  return [...byHost]
    .sort(([a], [b]) => {
      const x = rank(a);
      const y = rank(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++)
        if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return x.length - y.length;
    })
    .map(([host, rs]) => [
      host,
      [...rs].sort((a, b) => a.type.localeCompare(b.type) || a.rdata.localeCompare(b.rdata)),
    ]);
}

function RecordRows(props: { page: PageContext; zone: ZoneRow; host: string; rs: StoredRecord[] }) {
  const { zone } = props;
  return (
    <tbody>
      {props.rs.map((r, i) => (
        <tr class={r.origin === 'generated' ? 'generated' : undefined} id={`record-${r.id}`}>
          <td class={i === 0 ? 'host' : 'host repeat'}>{props.host}</td>
          <td>{r.type}</td>
          <td>{String(r.ttl)}</td>
          <td class="rdata">
            <code>{r.rdata}</code>
          </td>
          <td>
            {r.origin === 'template' ? (
              <span class="badge" title="Added from the provider’s template for new zones">
                _template
              </span>
            ) : null}
            {r.origin === 'generated' ? <span class="badge">generated</span> : null}
          </td>
          <td class="actions">
            {r.origin === 'generated' ? (
              <span class="muted">Read-only</span>
            ) : (
              <>
                <a href={zonePath(zone, `/records/${r.id}/edit`)}>
                  Edit<span class="visually-hidden">{` ${r.host} ${r.type} ${r.rdata}`}</span>
                </a>{' '}
                <PostForm
                  page={props.page}
                  action={zonePath(zone, `/records/${r.id}/delete`)}
                  class="inline"
                >
                  <button
                    type="submit"
                    class="danger small"
                    data-confirm={`Delete ${r.host} ${r.type} ${r.rdata}?`}
                  >
                    Delete<span class="visually-hidden">{` ${r.host} ${r.type} ${r.rdata}`}</span>
                  </button>
                </PostForm>
              </>
            )}
          </td>
        </tr>
      ))}
    </tbody>
  );
}

/** The name field of "who may issue?", on the zone page and the answer's page. */
export function IssueForm(props: { zone: ZoneRow; name?: string }) {
  return (
    <GetForm action={zonePath(props.zone, '/issue')} class="search" role="search">
      <label for="issue-name">Who may issue certificates for</label>
      <input
        id="issue-name"
        name="name"
        value={props.name ?? ''}
        placeholder={`@, www or www.${props.zone.name}`}
        maxlength={300}
      />
      <button type="submit">Check</button>
    </GetForm>
  );
}

/** The zone page; `form` keeps an add-record form's input and problems. */
export async function zonePage(
  c: PanelContext,
  deps: PanelDeps,
  zone: ZoneRow,
  form: { input?: RecordInput; errors?: string[]; problems?: string[] } = {},
  status: 200 | 400 | 409 = 200,
) {
  const { problems, ...recordForm } = form;
  const records = await deps.dns.records.list(panelAccess(c), zone, everything);
  const groups = grouped(records);
  const [keys, dnssec] = await Promise.all([
    deps.dns.dnssecKeys(zone),
    deps.dns.dnssecParent(zone),
  ]);
  return render(
    c,
    deps,
    `Zone ${zone.name}`,
    (page) => (
      <>
        <ZoneNav zone={zone} />
        <Problems errors={problems ?? []} />
        <section class="card">
          <dl class="zone-facts">
            <dt>Serial</dt>
            <dd>
              <code data-testid="serial">{String(zone.serial)}</code>
            </dd>
            <dt>Nameservers</dt>
            <dd>
              {deps.config.dns.nameservers.map((ns) => (
                <code class="ns">{ns}</code>
              ))}
            </dd>
            <dt>Default TTL</dt>
            <dd>{`${zone.default_ttl} seconds`}</dd>
            <dt>Kind</dt>
            <dd>{zone.kind === 'dns-only' ? 'DNS only' : 'Zone of a domain ordered here'}</dd>
          </dl>
        </section>
        <section class="card">
          <h2>Records</h2>
          <table class="records">
            <caption class="visually-hidden">{`Records of ${zone.name}`}</caption>
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">Type</th>
                <th scope="col">TTL</th>
                <th scope="col">Value</th>
                <th scope="col">
                  <span class="visually-hidden">Origin</span>
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            {groups.map(([host, rs]) => (
              <RecordRows page={page} zone={zone} host={host} rs={rs} />
            ))}
          </table>
        </section>
        <section class="card" id="add-record">
          <h2>Add a record</h2>
          <RecordForm
            page={page}
            zone={zone}
            action={zonePath(zone, '/records')}
            submit="Add record"
            {...recordForm}
          />
        </section>
        <DnssecSection page={page} zone={zone} keys={keys} view={dnssec} />
        <section class="card">
          <h2>Who may issue certificates?</h2>
          <p>
            Runs the CAA check a certificate authority makes (RFC 8659) against what our nameservers
            serve now. Set the policy on the <a href={zonePath(zone, '/caa')}>CAA page</a>.
          </p>
          <IssueForm zone={zone} />
        </section>
        <p>
          <a href={zonePath(zone, '/delete')} class="danger-link">
            Delete this zone…
          </a>
        </p>
      </>
    ),
    status,
  );
}
