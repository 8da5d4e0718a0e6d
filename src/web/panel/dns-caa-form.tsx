// The CAA form's view: the CAs to pick, the wildcard policy, the report address, how saving
// treats existing records, and the preview of the exact records. Also reads a form back from
// the records already published, so the page opens showing the current policy.
import type { DnsRecord, ZoneRow } from '../../dns/index.js';
import { wellKnownCas } from '../../dns/index.js';
import type { PageContext } from './ui.js';
import { PostForm, Problems } from './ui.js';

export interface CaaForm {
  /** Slugs of the listed CAs ticked for normal certificates. */
  cas: string[];
  /** Other issuer values, one per line (a domain, optionally with `; key=value` parameters). */
  other: string;
  wildcard: 'same' | 'none' | 'own';
  wildCas: string[];
  wildOther: string;
  iodef: string;
  ttl: string;
  mode: 'replace' | 'add';
}

/** A stable field-name part for a listed CA ("Let's Encrypt" → "lets-encrypt"). */
export const slugOf = (name: string): string =>
  name
    .toLowerCase()
    .replace(/\(.*\)/, '')
    .replace(/'/g, '')
    .trim()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Issuer values back into ticked CAs (the first listed CA with that domain) and typed lines. */
function pick(values: readonly string[]): { slugs: string[]; other: string } {
  const slugs: string[] = [];
  const other: string[] = [];
  for (const v of values) {
    if (v.trim() === ';') continue;
    const ca = wellKnownCas.find((k) => k.domain === v.trim().toLowerCase());
    if (ca) slugs.push(slugOf(ca.name));
    else other.push(v);
  }
  return { slugs, other: other.join('\n') };
}

/** The form that describes the CAA records now published at the apex. */
export function caaFormOf(records: readonly DnsRecord[]): CaaForm {
  const values = (tag: string) =>
    records.flatMap((r) => (r.type === 'CAA' && r.data.tag === tag ? [r.data.value] : []));
  const issue = pick(values('issue'));
  const wild = values('issuewild');
  const wildPick = pick(wild);
  return {
    cas: issue.slugs,
    other: issue.other,
    wildcard: wild.length === 0 ? 'same' : wild.every((v) => v.trim() === ';') ? 'none' : 'own',
    wildCas: wildPick.slugs,
    wildOther: wildPick.other,
    iodef: values('iodef')[0] ?? '',
    ttl: records[0] ? String(records[0].ttl) : '',
    mode: 'replace',
  };
}

function CaPicker(props: { prefix: string; ticked: readonly string[]; legend: string }) {
  return (
    <fieldset class="ca-list">
      <legend>{props.legend}</legend>
      {wellKnownCas.map((ca) => {
        const id = `${props.prefix}-${slugOf(ca.name)}`;
        return (
          <div class="check">
            <input
              type="checkbox"
              id={id}
              name={id}
              value="on"
              checked={props.ticked.includes(slugOf(ca.name))}
            />
            <label for={id}>
              {ca.name} <span class="muted">{ca.domain}</span>
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

function Radio(props: { name: string; value: string; checked: boolean; children: string }) {
  const id = `${props.name}-${props.value}`;
  return (
    <div class="check">
      <input type="radio" id={id} name={props.name} value={props.value} checked={props.checked} />
      <label for={id}>{props.children}</label>
    </div>
  );
}

function PreviewView(props: { added: string[]; removed: string[]; warnings: string[] }) {
  return (
    <section class="preview" aria-labelledby="preview-title" data-testid="caa-preview">
      <h2 id="preview-title">Preview: the records that will be published</h2>
      <pre class="records-preview">{props.added.join('\n')}</pre>
      {props.removed.length ? (
        <>
          <p>They replace these records:</p>
          <pre class="records-preview removed">{props.removed.join('\n')}</pre>
        </>
      ) : null}
      {props.warnings.length ? (
        <ul class="warnings">
          {props.warnings.map((w) => (
            <li>{w}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function CaaFormView(props: {
  page: PageContext;
  zone: ZoneRow;
  form: CaaForm;
  current: string[];
  preview?: { added: string[]; removed: string[]; warnings: string[]; digest: string };
  errors?: string[];
  notice?: string;
}) {
  const f = props.form;
  const z = props.zone.name;
  return (
    <>
      <section class="card">
        <h2>Published now at {z}</h2>
        {props.current.length ? (
          <pre class="records-preview" data-testid="caa-current">
            {props.current.join('\n')}
          </pre>
        ) : (
          <p>
            No CAA records: any certificate authority may issue for {z} and names below it that have
            none of their own.
          </p>
        )}
      </section>
      <section class="card">
        {props.notice ? <p class="notice">{props.notice}</p> : null}
        <Problems errors={props.errors ?? []} />
        {props.preview ? <PreviewView {...props.preview} /> : null}
        <PostForm page={props.page} action={`/dns/${encodeURIComponent(z)}/caa`} class="caa-form">
          <CaPicker prefix="ca" ticked={f.cas} legend="Who may issue certificates" />
          <div class="field">
            <label for="other">Other CAs</label>
            <textarea id="other" name="other" rows={2} aria-describedby="other-hint">
              {f.other}
            </textarea>
            <p class="hint" id="other-hint">
              One CA domain per line, optionally with parameters, e.g.{' '}
              <code>letsencrypt.org; accounturi=https://…</code>. Tick nothing and leave this empty
              to forbid every CA.
            </p>
          </div>
          <fieldset>
            <legend>Wildcard certificates</legend>
            <Radio name="wildcard" value="same" checked={f.wildcard === 'same'}>
              The same CAs as above
            </Radio>
            <Radio name="wildcard" value="none" checked={f.wildcard === 'none'}>
              No wildcard certificates
            </Radio>
            <Radio name="wildcard" value="own" checked={f.wildcard === 'own'}>
              Only the CAs chosen here:
            </Radio>
            <CaPicker prefix="wild" ticked={f.wildCas} legend="CAs for wildcard certificates" />
            <div class="field">
              <label for="wild_other">Other CAs for wildcards</label>
              <textarea id="wild_other" name="wild_other" rows={2}>
                {f.wildOther}
              </textarea>
            </div>
          </fieldset>
          <div class="field">
            <label for="iodef">Report refused requests to (optional)</label>
            <input id="iodef" name="iodef" value={f.iodef} aria-describedby="iodef-hint" />
            <p class="hint" id="iodef-hint">
              A mailto: or https: address, e.g. mailto:security@{z}
            </p>
          </div>
          <div class="field">
            <label for="ttl">TTL (seconds)</label>
            <input id="ttl" name="ttl" value={f.ttl} inputmode="numeric" class="short" />
          </div>
          <fieldset>
            <legend>When saving</legend>
            <Radio name="mode" value="replace" checked={f.mode === 'replace'}>
              Replace the CAA records at the apex with these (recommended)
            </Radio>
            <Radio name="mode" value="add" checked={f.mode === 'add'}>
              Add these and keep the ones there now
            </Radio>
            <p class="hint">
              A CA may issue if any one record names it, so records left over from an old policy
              still let their CAs issue. Replacing publishes exactly the policy above; adding suits
              a second CA for a while.
            </p>
          </fieldset>
          {props.preview ? (
            <input type="hidden" name="previewed" value={props.preview.digest} />
          ) : null}
          <button
            type="submit"
            name="action"
            value="preview"
            class={props.preview ? 'secondary' : undefined}
          >
            Preview
          </button>{' '}
          {props.preview ? (
            <button type="submit" name="action" value="save">
              Save these records
            </button>
          ) : null}
        </PostForm>
      </section>
    </>
  );
}
