// The check form: one set of fields per check type, read back into the API's check shape.
import type { CheckInput, CheckType } from '../../monitoring/index.js';
import type { PageContext } from './ui.js';
import { Field, PostForm, Problems } from './ui.js';

interface Spec {
  /** Form field name; also the param it fills unless `param` says otherwise. */
  name: string;
  label: string;
  kind: 'text' | 'number' | 'checkbox' | 'list' | 'lines';
  param?: string;
  /** The param holds milliseconds; the form shows minutes. */
  minutes?: boolean;
  hint?: string;
  required?: boolean;
}

export const typeLabels: Record<CheckType, string> = {
  http: 'Web page (HTTP/HTTPS)',
  ssh: 'SSH banner',
  tcp: 'TCP port',
  tls: 'TLS certificate expiry',
  ping: 'Ping (ICMP)',
  dns: 'DNS answer',
  push: 'Heartbeat (a cron job or backup calls us)',
  metric: 'Pushed value (a temperature)',
};

const host: Spec = { name: 'host', label: 'Host', kind: 'text', required: true };
const port = (required: boolean): Spec => ({
  name: 'port',
  label: 'Port',
  kind: 'number',
  required,
});

export const specs: Record<CheckType, Spec[]> = {
  http: [
    { name: 'url', label: 'URL', kind: 'text', required: true, hint: 'http:// or https://' },
    { name: 'keyword', label: 'Text the page must contain', kind: 'text' },
    {
      name: 'statuses',
      label: 'Accepted statuses',
      kind: 'list',
      hint: 'e.g. 200, 301; empty: any 2xx or 3xx',
    },
    { name: 'maxRedirects', label: 'Redirects to follow', kind: 'number', hint: 'Empty: 5' },
    { name: 'verifyTls', label: 'Verify the certificate', kind: 'checkbox' },
  ],
  ssh: [
    host,
    port(false),
    {
      name: 'pattern',
      label: 'Banner must match',
      kind: 'text',
      hint: 'A regular expression, e.g. ^SSH-2\\.0-OpenSSH_',
    },
  ],
  tcp: [host, port(true)],
  tls: [
    host,
    port(false),
    {
      name: 'warnDays',
      label: 'Down when it expires within (days)',
      kind: 'number',
      hint: 'Empty: 14',
    },
  ],
  ping: [host, { name: 'count', label: 'Echo requests', kind: 'number', hint: 'Empty: 1' }],
  dns: [
    {
      name: 'server',
      label: 'DNS server',
      kind: 'text',
      required: true,
      hint: '192.0.2.53 or 192.0.2.53:5353',
    },
    { name: 'qname', param: 'name', label: 'Name', kind: 'text', required: true },
    {
      name: 'rrtype',
      param: 'type',
      label: 'Record type',
      kind: 'text',
      required: true,
      hint: 'A, AAAA, CNAME, MX, NS, TXT, SOA, SRV or CAA',
    },
    {
      name: 'expect',
      label: 'Expected answers',
      kind: 'lines',
      hint: 'One per line; empty: any answer',
    },
  ],
  push: [
    {
      name: 'periodMs',
      label: 'Expected every (minutes)',
      kind: 'number',
      minutes: true,
      required: true,
    },
    { name: 'graceMs', label: 'Grace (minutes)', kind: 'number', minutes: true, required: true },
    { name: 'earlyMs', label: 'Too early by more than (minutes)', kind: 'number', minutes: true },
    {
      name: 'minRunMs',
      label: 'A run shorter than this is too fast (minutes)',
      kind: 'number',
      minutes: true,
    },
  ],
  metric: [
    {
      name: 'metric',
      label: 'What is measured',
      kind: 'text',
      required: true,
      hint: 'e.g. temperature',
    },
    { name: 'unit', label: 'Unit', kind: 'text' },
    { name: 'above', label: 'Down above', kind: 'number' },
    { name: 'below', label: 'Down below', kind: 'number' },
    { name: 'staleMs', label: 'Down with no value for (minutes)', kind: 'number', minutes: true },
  ],
};

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
};
/** A number field: empty is absent; anything else goes to validation as given. */
const num = (v: string) => (v === '' ? undefined : Number(v));

/** Read the form into the API's check shape; validation happens in the module. */
export function inputFromForm(
  type: CheckType,
  form: FormData,
  isAdmin: boolean,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const s of specs[type]) {
    const raw = text(form, s.name);
    const key = s.param ?? s.name;
    if (s.kind === 'checkbox') params[key] = form.get(s.name) === 'on';
    else if (raw === '') continue;
    else if (s.kind === 'number')
      params[key] = s.minutes ? Math.round(Number(raw) * 60_000) : Number(raw);
    else if (s.kind === 'list')
      params[key] = raw
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number);
    else if (s.kind === 'lines')
      params[key] = raw
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    else params[key] = key === 'type' ? raw.toUpperCase() : raw;
  }
  const parent = text(form, 'parent');
  return {
    name: text(form, 'name'),
    type,
    params,
    intervalSeconds: num(text(form, 'intervalSeconds')),
    timeoutSeconds: num(text(form, 'timeoutSeconds')),
    downRetries: num(text(form, 'downRetries')),
    upRetries: num(text(form, 'upRetries')),
    enabled: form.get('enabled') === 'on',
    ...(parent ? { parent } : {}),
    ...(isAdmin ? { public: form.get('public') === 'on' } : {}),
  };
}

/** Form values from a stored check, for the edit form. */
export function valuesOf(input: CheckInput): Record<string, string> {
  const out: Record<string, string> = {
    name: input.name,
    intervalSeconds: String(input.intervalSeconds ?? ''),
    timeoutSeconds: String(input.timeoutSeconds ?? ''),
    downRetries: String(input.downRetries ?? ''),
    upRetries: String(input.upRetries ?? ''),
    parent: input.parent ?? '',
    enabled: input.enabled === false ? '' : 'on',
    public: input.public ? 'on' : '',
  };
  const params = input.params;
  for (const s of specs[input.type]) {
    const v = params[s.param ?? s.name];
    if (v === undefined) continue;
    if (s.kind === 'checkbox') out[s.name] = v === false ? '' : 'on';
    else if (Array.isArray(v)) out[s.name] = v.join(s.kind === 'lines' ? '\n' : ', ');
    else if (typeof v === 'number') out[s.name] = String(s.minutes ? v / 60_000 : v);
    else if (typeof v === 'string') out[s.name] = v;
  }
  return out;
}

export function CheckForm(props: {
  page: PageContext;
  action: string;
  type: CheckType;
  values: Record<string, string>;
  errors: readonly string[];
  parents: Array<{ id: string; label: string }>;
  isAdmin: boolean;
  submit: string;
}) {
  const v = props.values;
  const checked = (name: string, dflt: boolean) =>
    v[name] === undefined ? dflt : v[name] === 'on';
  return (
    <section class="card">
      <Problems errors={props.errors} />
      <PostForm page={props.page} action={props.action} class="check-form">
        <input type="hidden" name="type" value={props.type} />
        <Field
          label="Name"
          name="name"
          value={v.name}
          required
          maxlength={80}
          hint="How alerts and the dashboard call it."
        />
        {specs[props.type].map((s) =>
          s.kind === 'checkbox' ? (
            <div class="field">
              <label>
                <input type="checkbox" name={s.name} checked={checked(s.name, true)} /> {s.label}
              </label>
            </div>
          ) : s.kind === 'lines' ? (
            <div class="field">
              <label for={s.name}>{s.label}</label>
              <textarea id={s.name} name={s.name} rows={3}>
                {v[s.name] ?? ''}
              </textarea>
              {s.hint ? <p class="hint">{s.hint}</p> : null}
            </div>
          ) : (
            <Field
              label={s.label}
              name={s.name}
              value={v[s.name]}
              required={s.required}
              hint={s.hint}
              inputmode={s.kind === 'number' ? 'numeric' : undefined}
            />
          ),
        )}
        <details>
          <summary>Timing and retries</summary>
          <Field
            label="Interval (seconds)"
            name="intervalSeconds"
            value={v.intervalSeconds}
            hint="How often it is probed."
          />
          <Field label="Timeout (seconds)" name="timeoutSeconds" value={v.timeoutSeconds} />
          <Field label="Failures before it is down" name="downRetries" value={v.downRetries} />
          <Field label="Successes before it is up again" name="upRetries" value={v.upRetries} />
          {props.parents.length ? (
            <div class="field">
              <label for="parent">Depends on</label>
              <select id="parent" name="parent">
                <option value="">Nothing</option>
                {props.parents.map((p) => (
                  <option value={p.id} selected={v.parent === p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
              <p class="hint">While that check is down, this one’s alerts are held back.</p>
            </div>
          ) : null}
        </details>
        <div class="field">
          <label>
            <input type="checkbox" name="enabled" checked={checked('enabled', true)} /> Enabled
          </label>
        </div>
        {props.isAdmin ? (
          <>
            <div class="field">
              <label>
                <input type="checkbox" name="public" checked={checked('public', false)} /> On the
                public status page (the provider’s checks only)
              </label>
            </div>
            {props.action.endsWith('/new') ? (
              <div class="field">
                <label>
                  <input type="checkbox" name="provider" checked={checked('provider', true)} />{' '}
                  Owned by the provider (not your own account)
                </label>
              </div>
            ) : null}
          </>
        ) : null}
        <button type="submit">{props.submit}</button>
      </PostForm>
    </section>
  );
}

/** The posted form as values to show again after a refusal (unticked boxes stay unticked). */
export function valuesFromForm(type: CheckType, form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === 'string' && k !== '_csrf') out[k] = v;
  for (const name of [
    'enabled',
    'public',
    'provider',
    ...specs[type].filter((s) => s.kind === 'checkbox').map((s) => s.name),
  ])
    out[name] ??= '';
  return out;
}
