// TSIG keys for RFC 2136 dynamic updates (nsupdate, certbot's dns-rfc2136, lego): create one
// (optionally narrowed to zones, hosts and types), see its secret once with ready-to-paste
// settings, list keys with their last use, revoke.
import { Hono } from 'hono';
import { describeGrant } from '../../accounts/index.js';
import type { TsigKeyView } from '../../dns/index.js';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import { splitList } from './dns-common.js';
import type { PanelDeps } from './deps.js';
import type { PanelContext } from './render.js';
import { accountIdOf, actorOf, problemsOf, redirectWithFlash, render, statusOf } from './render.js';
import type { PageContext } from './ui.js';
import { Field, formatDate, PostForm, Problems } from './ui.js';

interface KeyForm {
  label?: string;
  zones?: string;
  hosts?: string;
  types?: string;
}

function CreateForm(props: { page: PageContext; form: KeyForm; errors?: string[] }) {
  const f = props.form;
  return (
    <section class="card">
      <h2>Create a TSIG key</h2>
      <Problems errors={props.errors ?? []} />
      <PostForm page={props.page} action="/dns/tsig">
        <Field
          label="Label"
          name="label"
          value={f.label}
          required
          maxlength={100}
          hint="What the key is for, e.g. “certbot on web1”."
        />
        <fieldset>
          <legend>Narrow what it may change (optional)</legend>
          <Field label="Zones" name="zones" value={f.zones} hint="Empty means all your zones." />
          <Field
            label="Hostnames"
            name="hosts"
            value={f.hosts}
            hint="Relative to the zone, e.g. _acme-challenge; empty means any."
          />
          <Field
            label="Record types"
            name="types"
            value={f.types}
            hint="e.g. TXT; empty means any."
          />
        </fieldset>
        <button type="submit">Create key</button>
      </PostForm>
    </section>
  );
}

function KeyTable(props: { page: PageContext; keys: TsigKeyView[] }) {
  if (props.keys.length === 0) return <p>You have no TSIG keys yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Label</th>
          <th scope="col">Key name</th>
          <th scope="col">May change</th>
          <th scope="col">Created</th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.keys.map((k) => (
          <tr class={k.revokedAt ? 'revoked' : undefined}>
            <td>{k.label}</td>
            <td>
              <code>{k.name}</code> <span class="muted">{k.algorithm}</span>
            </td>
            <td>{describeGrant(k.grant)}</td>
            <td>{formatDate(k.createdAt)}</td>
            <td>{k.lastUsedAt ? formatDate(k.lastUsedAt) : 'Never'}</td>
            <td>
              {k.revokedAt ? (
                `Revoked ${formatDate(k.revokedAt)}`
              ) : (
                <PostForm page={props.page} action={`/dns/tsig/${k.id}/revoke`} class="inline">
                  <button type="submit" class="danger small" data-confirm={`Revoke ${k.name}?`}>
                    Revoke<span class="visually-hidden">{` ${k.label}`}</span>
                  </button>
                </PostForm>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function dnsTsigRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { tsig } = deps.dns;
  const port = /:(\d+)$/.exec(deps.config.dns.listen)?.[1] ?? '53';

  const listPage = async (
    c: PanelContext,
    form: KeyForm = {},
    errors: string[] = [],
    status: 200 | 400 = 200,
  ) => {
    const keys = await tsig.list(accountIdOf(c));
    return render(
      c,
      deps,
      'TSIG keys',
      (page) => (
        <>
          <nav class="subnav" aria-label="DNS">
            <a href="/dns">Zones</a> · <a href="/dns/tsig">TSIG keys for dynamic updates</a>
          </nav>
          <p>
            TSIG keys sign RFC 2136 dynamic updates sent straight to our DNS server, by tools such
            as nsupdate, certbot’s dns-rfc2136 plugin and lego’s rfc2136 provider.
          </p>
          <section class="card">
            <h2>Your keys</h2>
            <KeyTable page={page} keys={keys} />
          </section>
          <CreateForm page={page} form={form} errors={errors} />
        </>
      ),
      status,
    );
  };

  app.get('/dns/tsig', (c) => listPage(c));

  app.post('/dns/tsig', async (c) => {
    const body = c.get('form');
    const form: KeyForm = {
      label: field(body, 'label', 200),
      zones: field(body, 'zones', 5000),
      hosts: field(body, 'hosts', 5000),
      types: field(body, 'types', 500),
    };
    try {
      const { key, secret } = await tsig.create(
        accountIdOf(c),
        {
          label: form.label ?? '',
          zones: splitList(form.zones ?? '').map((z) => z.toLowerCase().replace(/\.$/, '')),
          hosts: splitList(form.hosts ?? '').map((h) => h.toLowerCase()),
          types: splitList(form.types ?? '').map((t) => t.toUpperCase()),
        },
        actorOf(c),
      );
      const zone = key.grant.zones?.[0] ?? 'example.org';
      return await render(c, deps, 'Your new TSIG key', () => (
        <section class="card">
          <p class="notice">
            Copy the secret now. It is shown only once; if you lose it, revoke the key and create
            another.
          </p>
          <dl>
            <dt>Key name</dt>
            <dd>
              <code data-testid="tsig-name">{key.name}</code>
            </dd>
            <dt>Algorithm</dt>
            <dd>
              <code data-testid="tsig-algorithm">{key.algorithm}</code>
            </dd>
            <dt>Secret (base64)</dt>
            <dd>
              <code data-testid="tsig-secret" class="secret">
                {secret}
              </code>
            </dd>
            <dt>May change</dt>
            <dd>{describeGrant(key.grant)}</dd>
          </dl>
          <h2>nsupdate</h2>
          <pre data-testid="nsupdate">{`nsupdate -y ${key.algorithm}:${key.name}:${secret} <<'EOF'
server 127.0.0.1 ${port}
zone ${zone}
update add _acme-challenge.${zone}. 60 TXT "hello"
send
EOF`}</pre>
          <h2>certbot (dns-rfc2136 credentials file)</h2>
          <pre data-testid="certbot">{`dns_rfc2136_server = 127.0.0.1
dns_rfc2136_port = ${port}
dns_rfc2136_name = ${key.name}
dns_rfc2136_secret = ${secret}
dns_rfc2136_algorithm = ${key.algorithm.toUpperCase()}`}</pre>
          <p class="hint">
            Save it with mode 600 and run{' '}
            <code>{`certbot certonly --dns-rfc2136 --dns-rfc2136-credentials FILE -d ${zone}`}</code>
          </p>
          <p>
            <a href="/dns/tsig">Back to your TSIG keys</a>
          </p>
        </section>
      ));
    } catch (e) {
      return listPage(c, form, problemsOf(e), statusOf(e) === 400 ? 400 : 200);
    }
  });

  app.post('/dns/tsig/:id/revoke', async (c) => {
    const key = await tsig.revoke(accountIdOf(c), c.req.param('id'), actorOf(c));
    return redirectWithFlash(c, deps, '/dns/tsig', `The TSIG key “${key.label}” has been revoked.`);
  });

  return app;
}
