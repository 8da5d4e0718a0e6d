// API keys: create one (the secret is shown once), see scopes and last use, revoke.
import { Hono } from 'hono';
import type { Grant } from '../../accounts/index.js';
import { apiLabels, apiNames, describeGrant } from '../../accounts/index.js';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { PanelDeps } from './deps.js';
import { accountIdOf, actorOf, problemsOf, redirectWithFlash, render, statusOf } from './render.js';
import type { PageContext } from './ui.js';
import { Field, formatDate, PostForm, Problems } from './ui.js';

const splitList = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The grants a key-creation form asks for: one per API given access, DNS optionally narrowed. */
function grantsFromForm(form: FormData): Grant[] {
  const grants: Grant[] = [];
  for (const api of apiNames) {
    const access = field(form, `access_${api}`, 10);
    if (access !== 'read' && access !== 'write') continue;
    const grant: Grant = { api, write: access === 'write' };
    if (api === 'dns') {
      const zones = splitList(field(form, 'dns_zones', 5000)).map((z) =>
        z.toLowerCase().replace(/\.$/, ''),
      );
      const hosts = splitList(field(form, 'dns_hosts', 5000)).map((h) => h.toLowerCase());
      const types = splitList(field(form, 'dns_types', 500)).map((t) => t.toUpperCase());
      if (zones.length) grant.zones = zones;
      if (hosts.length) grant.hosts = hosts;
      if (types.length) grant.types = types;
    }
    grants.push(grant);
  }
  return grants;
}

function CreateKeyForm(props: { page: PageContext; errors?: string[]; label?: string }) {
  return (
    <section class="card">
      <h2>Create a key</h2>
      <Problems errors={props.errors ?? []} />
      <PostForm page={props.page} action="/account/keys">
        <Field
          label="Label"
          name="label"
          value={props.label}
          required
          maxlength={100}
          hint="What the key is for, e.g. “certbot on web1”."
        />
        <fieldset>
          <legend>Access</legend>
          {apiNames.map((api) => (
            <div class="field inline">
              <label for={`access_${api}`}>{apiLabels[api]}</label>
              <select id={`access_${api}`} name={`access_${api}`}>
                <option value="none">No access</option>
                <option value="read">Read only</option>
                <option value="write">Read and write</option>
              </select>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>Narrow DNS access (optional)</legend>
          <Field
            label="Zones"
            name="dns_zones"
            hint="Separated by commas or spaces; empty means all your zones."
          />
          <Field
            label="Hostnames"
            name="dns_hosts"
            hint="Relative to the zone, e.g. _acme-challenge or @; empty means any."
          />
          <Field label="Record types" name="dns_types" hint="e.g. TXT; empty means any." />
        </fieldset>
        <button type="submit">Create key</button>
      </PostForm>
    </section>
  );
}

export function keyRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { apiKeys } = deps.accounts;

  const listPage = async (
    c: Parameters<typeof render>[0],
    form: { errors?: string[]; label?: string } = {},
    status: 200 | 400 = 200,
  ) => {
    const keys = await apiKeys.list(accountIdOf(c));
    return render(
      c,
      deps,
      'API keys',
      (page) => (
        <>
          <p>
            API keys let scripts and tools such as certbot, lego or hostedpi act for you. Exchange
            one for a token at <code>{`${deps.config.api.publicUrl}/login`}</code>, or send it with
            HTTP Basic.
          </p>
          <section class="card">
            <h2>Your keys</h2>
            {keys.length === 0 ? (
              <p>You have no API keys yet.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Label</th>
                    <th scope="col">Key ID</th>
                    <th scope="col">Access</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {keys.map((k) => (
                    <tr class={k.revokedAt ? 'revoked' : undefined}>
                      <td>{k.label}</td>
                      <td>
                        <code>{k.id}</code>
                      </td>
                      <td>
                        {k.scope.map((g) => (
                          <div>{describeGrant(g)}</div>
                        ))}
                      </td>
                      <td>
                        {k.lastUsedAt
                          ? `${formatDate(k.lastUsedAt)} from ${k.lastUsedIp ?? '?'}`
                          : 'Never'}
                      </td>
                      <td>
                        {k.revokedAt ? (
                          `Revoked ${formatDate(k.revokedAt)}`
                        ) : (
                          <PostForm
                            page={page}
                            action={`/account/keys/${k.id}/revoke`}
                            class="inline"
                          >
                            <button type="submit" class="danger small">
                              Revoke
                            </button>
                          </PostForm>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <CreateKeyForm page={page} {...form} />
        </>
      ),
      status,
    );
  };

  app.get('/account/keys', (c) => listPage(c));

  app.post('/account/keys', async (c) => {
    const form = c.get('form');
    const label = field(form, 'label', 200);
    try {
      const grants = grantsFromForm(form);
      if (grants.length === 0) {
        return await listPage(
          c,
          { errors: ['Give the key access to at least one API.'], label },
          400,
        );
      }
      const { key, secret } = await apiKeys.create(
        accountIdOf(c),
        { label, scope: grants },
        actorOf(c),
      );
      return render(c, deps, 'Your new API key', () => (
        <section class="card">
          <p class="notice">
            Copy the secret now. It is shown only once; if you lose it, revoke the key and create
            another.
          </p>
          <dl>
            <dt>Label</dt>
            <dd>{key.label}</dd>
            <dt>Key ID</dt>
            <dd>
              <code data-testid="key-id">{key.id}</code>
            </dd>
            <dt>Secret</dt>
            <dd>
              <code data-testid="key-secret" class="secret">
                {secret}
              </code>
            </dd>
          </dl>
          <p>Try it:</p>
          <pre>{`curl -u ${key.id}:${secret} -d grant_type=client_credentials ${deps.config.api.publicUrl}/login`}</pre>
          <p>
            <a href="/account/keys">Back to your keys</a>
          </p>
        </section>
      ));
    } catch (e) {
      return listPage(c, { errors: problemsOf(e), label }, statusOf(e) === 400 ? 400 : 200);
    }
  });

  app.post('/account/keys/:id/revoke', async (c) => {
    const key = await apiKeys.revoke(accountIdOf(c), c.req.param('id'), actorOf(c));
    return redirectWithFlash(c, deps, '/account/keys', `The key “${key.label}” has been revoked.`);
  });

  return app;
}
