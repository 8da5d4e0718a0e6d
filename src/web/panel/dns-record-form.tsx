// The record form (add and edit): host as people type it, with the name it will get; a type
// selector; TTL; the value (a textarea, so long TXT values fit); and each type's own fields.
// Without JavaScript every type's fieldset shows; app.js hides those the chosen type lacks.
import type { DnsRecord, RecordTypeName, StoredRecord, ZoneRow } from '../../dns/index.js';
import { recordFromJson, recordTypeNames, resolveHost } from '../../dns/index.js';
import { field } from '../input.js';
import type { PageContext } from './ui.js';
import { PostForm, Problems } from './ui.js';

interface Extra {
  name: string;
  label: string;
  hint?: string;
  options?: readonly (readonly [string, string])[];
}

/** Each type's fields beyond host, type, TTL and value: the API's JSON keys (apis.md §3.1). */
const extras: Partial<Record<RecordTypeName, readonly Extra[]>> = {
  MX: [{ name: 'mx_priority', label: 'Priority', hint: 'Lower is tried first, e.g. 10.' }],
  SRV: [
    { name: 'srv_priority', label: 'Priority', hint: 'Lower is tried first.' },
    { name: 'srv_weight', label: 'Weight', hint: 'Shares load among equal priorities.' },
    { name: 'srv_port', label: 'Port', hint: 'e.g. 5060' },
  ],
  CAA: [
    {
      name: 'caa_flags',
      label: 'Flags',
      options: [
        ['0', '0 (not critical)'],
        ['128', '128 (critical: CAs that do not understand the tag must refuse)'],
      ],
    },
    { name: 'caa_tag', label: 'Tag', hint: 'issue, issuewild, iodef, or another tag.' },
  ],
  DS: [
    { name: 'ds_key_tag', label: 'Key tag', hint: 'The first number of the child zone’s DS.' },
    {
      name: 'ds_algorithm',
      label: 'Algorithm',
      options: [
        ['13', '13 ECDSA P-256/SHA-256'],
        ['15', '15 Ed25519'],
        ['8', '8 RSA/SHA-256'],
        ['14', '14 ECDSA P-384/SHA-384'],
        ['16', '16 Ed448'],
        ['10', '10 RSA/SHA-512'],
      ],
    },
    {
      name: 'ds_digest_type',
      label: 'Digest type',
      options: [
        ['2', '2 SHA-256'],
        ['4', '4 SHA-384'],
        ['1', '1 SHA-1'],
      ],
    },
  ],
  SSHFP: [
    {
      name: 'sshfp_algorithm',
      label: 'Algorithm',
      options: [
        ['1', '1 RSA'],
        ['2', '2 DSA'],
        ['3', '3 ECDSA'],
        ['4', '4 Ed25519'],
        ['6', '6 Ed448'],
      ],
    },
    {
      name: 'sshfp_type',
      label: 'Fingerprint type',
      options: [
        ['2', '2 SHA-256'],
        ['1', '1 SHA-1'],
      ],
    },
  ],
  TLSA: [
    {
      name: 'tlsa_usage',
      label: 'Usage',
      options: [
        ['3', '3 DANE-EE (this certificate)'],
        ['2', '2 DANE-TA (this trust anchor)'],
        ['1', '1 PKIX-EE'],
        ['0', '0 PKIX-TA'],
      ],
    },
    {
      name: 'tlsa_selector',
      label: 'Selector',
      options: [
        ['1', '1 Public key'],
        ['0', '0 Full certificate'],
      ],
    },
    {
      name: 'tlsa_matching',
      label: 'Matching type',
      options: [
        ['1', '1 SHA-256'],
        ['2', '2 SHA-512'],
        ['0', '0 Exact match'],
      ],
    },
  ],
};

/** What the value field holds, per type. */
const valueHints: Record<string, string> = {
  A: 'An IPv4 address, e.g. 192.0.2.10.',
  AAAA: 'An IPv6 address, e.g. 2001:db8::10.',
  ANAME: 'A host name whose addresses the zone apex should answer with.',
  CAA: 'e.g. letsencrypt.org, or ; for nobody, or mailto:… for iodef.',
  CNAME: 'A host name. One without dots (e.g. web) is in this zone.',
  DNAME: 'The domain that names below this one map to.',
  DS: 'The digest in hex, from the DS the child zone’s DNS host gives you; the name must also have NS records.',
  MX: 'The mail server’s host name, e.g. mail or mx.example.net.',
  NS: 'A nameserver’s host name (delegates this name).',
  PTR: 'A host name.',
  SRV: 'The target host name, or . if the service is not offered.',
  SSHFP: 'The fingerprint in hex (ssh-keygen -r prints it).',
  TLSA: 'The certificate association data in hex.',
  TXT: 'The text, any length and without quotes; long values are split for you.',
};

/** The types a customer may add (the SOA is the provider's). */
export const formTypes = recordTypeNames.filter((t) => t !== 'SOA');

/** The raw values of a record form, kept to show back with any problems. */
export type RecordInput = Record<string, string>;

const keys = [
  'host',
  'type',
  'ttl',
  'data',
  ...Object.values(extras).flatMap((e) => e.map((x) => x.name)),
];

export function recordInputFrom(form: FormData): RecordInput {
  return Object.fromEntries(keys.map((k) => [k, field(form, k, k === 'data' ? 70_000 : 300)]));
}

/** The form's values for an existing record (editing it). */
export function recordInputOf(r: StoredRecord): RecordInput {
  const input: RecordInput = { host: r.host, type: r.type, ttl: String(r.ttl) };
  for (const [k, v] of Object.entries(r.json))
    if (k !== 'host' && k !== 'type') input[k] = String(v);
  return input;
}

/** The record a form describes (ValidationError when it does not describe one). */
export function recordOf(input: RecordInput, zone: ZoneRow): DnsRecord {
  const type = (input.type ?? '').toUpperCase();
  const json: Record<string, string> = { host: input.host ?? '', type, ttl: input.ttl ?? '' };
  json.data = input.data ?? '';
  for (const x of extras[type as RecordTypeName] ?? []) json[x.name] = input[x.name] ?? '';
  return recordFromJson(json, `${zone.name}.`, { ttl: zone.default_ttl });
}

/** The name a host field gives in this zone, in words (shown under the field). */
export function hostPreview(host: string, zone: ZoneRow): string {
  try {
    return `This record will be for ${resolveHost(host, `${zone.name}.`)}`;
  } catch (e) {
    return (e as Error).message;
  }
}

function ExtraField(props: { x: Extra; value: string | undefined }) {
  const { x } = props;
  const hintId = x.hint ? `${x.name}-hint` : undefined;
  return (
    <div class="field">
      <label for={x.name}>{x.label}</label>
      {x.options ? (
        <select id={x.name} name={x.name}>
          {x.options.map(([v, label]) => (
            <option value={v} selected={props.value === v}>
              {label}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={x.name}
          name={x.name}
          value={props.value}
          inputmode={x.name === 'caa_tag' ? 'text' : 'numeric'}
          list={x.name === 'caa_tag' ? 'caa-tags' : undefined}
          aria-describedby={hintId}
        />
      )}
      {x.hint ? (
        <p class="hint" id={hintId}>
          {x.hint}
        </p>
      ) : null}
    </div>
  );
}

export function RecordForm(props: {
  page: PageContext;
  zone: ZoneRow;
  action: string;
  submit: string;
  input?: RecordInput;
  errors?: string[];
}) {
  const input = props.input ?? {};
  const type = (input.type || 'A').toUpperCase();
  const apex = `${props.zone.name}.`;
  return (
    <PostForm page={props.page} action={props.action} class="record-form">
      <Problems errors={props.errors ?? []} />
      <div class="record-main">
        <div class="field">
          <label for="host">Host</label>
          <input
            id="host"
            name="host"
            value={input.host ?? ''}
            data-zone={apex}
            aria-describedby="host-hint host-name"
            autocomplete="off"
          />
          <p class="hint" id="host-hint">
            @ for {props.zone.name} itself; www for www.{props.zone.name}. Typing the full name
            works too.
          </p>
          <output id="host-name" for="host" class="hint host-name" aria-live="polite">
            {hostPreview(input.host ?? '', props.zone)}
          </output>
        </div>
        <div class="field">
          <label for="type">Type</label>
          <select id="type" name="type" class="record-type">
            {formTypes.map((t) => (
              <option value={t} selected={t === type} data-hint={valueHints[t]}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="ttl">TTL (seconds)</label>
          <input
            id="ttl"
            name="ttl"
            value={input.ttl ?? ''}
            inputmode="numeric"
            placeholder={String(props.zone.default_ttl)}
            aria-describedby="ttl-hint"
            class="short"
          />
          <p class="hint" id="ttl-hint">
            {`Empty for the zone’s default (${props.zone.default_ttl}).`}
          </p>
        </div>
      </div>
      <div class="field">
        <label for="data">Value</label>
        <textarea id="data" name="data" rows={2} aria-describedby="data-hint" spellcheck={false}>
          {input.data ?? ''}
        </textarea>
        <p class="hint" id="data-hint">
          {valueHints[type] ?? ''}
        </p>
      </div>
      {Object.entries(extras).map(([t, fields]) => (
        <fieldset class="type-fields" data-types={t}>
          <legend>{`${t} fields`}</legend>
          {fields.map((x) => (
            <ExtraField x={x} value={input[x.name]} />
          ))}
        </fieldset>
      ))}
      <datalist id="caa-tags">
        <option value="issue" />
        <option value="issuewild" />
        <option value="iodef" />
      </datalist>
      <button type="submit">{props.submit}</button>
    </PostForm>
  );
}
