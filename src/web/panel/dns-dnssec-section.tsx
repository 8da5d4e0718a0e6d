// The DNSSEC section of a zone page: status at the parent, the DS and DNSKEY as a registrar asks
// for them, turning on, turning off safely as three steps, and the KSK rollover's instructions.
import type { DnssecKeyView, DnssecParentView, ZoneRow } from '../../dns/index.js';
import { zonePath } from './dns-common.js';
import type { PageContext } from './ui.js';
import { PostForm } from './ui.js';

const algorithmNames: Record<number, string> = {
  13: 'ECDSA P-256 with SHA-256',
  15: 'Ed25519',
};

const statusText: Record<DnssecParentView['status'], string> = {
  unsigned: 'Not signed',
  unknown: 'Signed; the parent zone has not been checked yet',
  waiting: 'Waiting for the DS at the parent',
  secure: 'Secure',
  mismatch: 'DS mismatch: the parent has a DS that matches none of this zone’s keys',
};

const when = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '');

/** One DS in the fields a registrar's form has. */
function DsFields(props: { ds: string; id: string }) {
  const [tag, alg, type, digest] = props.ds.split(' ');
  return (
    <dl class="dnssec-fields" data-testid={props.id}>
      <dt>Key tag</dt>
      <dd>
        <code class="copy">{tag ?? ''}</code>
      </dd>
      <dt>Algorithm</dt>
      <dd>
        <code class="copy">{alg ?? ''}</code> {algorithmNames[Number(alg)] ?? ''}
      </dd>
      <dt>Digest type</dt>
      <dd>
        <code class="copy">{type ?? ''}</code> SHA-256
      </dd>
      <dt>Digest</dt>
      <dd>
        <code class="copy digest">{digest ?? ''}</code>
      </dd>
      <dt>As one record</dt>
      <dd>
        <code class="copy">{props.ds}</code>
      </dd>
    </dl>
  );
}

/** One DNSKEY in the fields some registrars ask for instead of a DS. */
function DnskeyFields(props: { dnskey: string }) {
  const [flags, protocol, alg, key] = props.dnskey.split(' ');
  return (
    <dl class="dnssec-fields">
      <dt>Flags</dt>
      <dd>
        <code class="copy">{flags ?? ''}</code>
      </dd>
      <dt>Protocol</dt>
      <dd>
        <code class="copy">{protocol ?? ''}</code>
      </dd>
      <dt>Algorithm</dt>
      <dd>
        <code class="copy">{alg ?? ''}</code>
      </dd>
      <dt>Public key</dt>
      <dd>
        <code class="copy digest">{key ?? ''}</code>
      </dd>
    </dl>
  );
}

function Button(props: {
  page: PageContext;
  zone: ZoneRow;
  to: string;
  label: string;
  danger?: boolean;
}) {
  return (
    <PostForm page={props.page} action={zonePath(props.zone, `/dnssec/${props.to}`)} class="inline">
      <button type="submit" class={props.danger ? 'danger' : undefined}>
        {props.label}
      </button>
    </PostForm>
  );
}

function TurnOff(props: { page: PageContext; zone: ZoneRow; view: DnssecParentView; ds?: string }) {
  const off = props.view.turnOff!;
  const steps = [
    'Remove the DS record at your registrar. This zone now publishes CDS and CDNSKEY “delete” records (RFC 8078), so registries that read them remove it by themselves.',
    'Bestiary checks the parent zone until the DS is gone, then waits until resolvers can no longer have it (the DS TTL) or the zone’s keys (the DNSKEY TTL) cached.',
    'Bestiary stops signing the zone.',
  ];
  return (
    <div class="dnssec-turn-off">
      <h3>Turning DNSSEC off</h3>
      <ol>
        {steps.map((text, i) => (
          <li
            class={i + 1 === off.step ? 'current' : i + 1 < off.step ? 'done' : undefined}
            aria-current={i + 1 === off.step ? 'step' : undefined}
          >
            {text}
          </li>
        ))}
      </ol>
      <p data-testid="turn-off-step">
        {off.step === 1
          ? `Step 1 of 3: the parent zone still has a DS for ${props.zone.name}. Remove it at your registrar.`
          : off.step === 2
            ? `Step 2 of 3: the DS is gone from the parent. Waiting until ${when(off.until)}.`
            : 'Step 3 of 3: it is now safe to stop signing; Bestiary does so at its next check.'}
      </p>
      {off.step === 1 && props.ds ? <DsFields ds={props.ds} id="ds-to-remove" /> : null}
      {off.step === 3 ? (
        <Button page={props.page} zone={props.zone} to="finish" label="Stop signing now" danger />
      ) : null}{' '}
      <Button page={props.page} zone={props.zone} to="keep" label="Keep DNSSEC on" />
    </div>
  );
}

function Rollover(props: { view: DnssecParentView }) {
  const r = props.view.kskRollover!;
  const text = {
    'add-new-ds':
      'Add this new DS record at your registrar, next to the one there now (do not remove the old one yet):',
    'wait-new-ds': `The parent has the new DS. Bestiary switches to the new key at ${when(r.until)}, once resolvers have seen it.`,
    'remove-old-ds': 'The new key is in use. Now remove the old DS record at your registrar:',
    'wait-old-ds': `The old DS is gone from the parent. Bestiary removes the old key at ${when(r.until)}.`,
  }[r.stage];
  return (
    <div class="dnssec-rollover">
      <h3>Key-signing key rollover</h3>
      <p data-testid="rollover-step">{text}</p>
      {r.stage === 'add-new-ds' || r.stage === 'remove-old-ds' ? (
        <DsFields ds={r.ds} id={r.stage === 'add-new-ds' ? 'ds-to-add' : 'ds-to-remove'} />
      ) : null}
    </div>
  );
}

/** The zone page's DNSSEC section. */
export function DnssecSection(props: {
  page: PageContext;
  zone: ZoneRow;
  keys: readonly DnssecKeyView[];
  view: DnssecParentView;
}) {
  const { zone, view, page } = props;
  const ksk = props.keys.find((k) => k.role === 'ksk' && k.state === 'active');
  return (
    <section class="card" id="dnssec" aria-labelledby="dnssec-title">
      <h2 id="dnssec-title">DNSSEC</h2>
      <p>
        Status: <strong data-testid="dnssec-status">{statusText[view.status]}</strong>
        {view.checkedAt ? ` (parent checked ${when(view.checkedAt)})` : null}
      </p>
      {view.error ? <p class="muted">{`The last check failed: ${view.error}`}</p> : null}
      {!zone.dnssec ? (
        <Button page={page} zone={zone} to="on" label="Turn DNSSEC on" />
      ) : (
        <>
          {view.status === 'mismatch' ? (
            <p class="warning">
              Validating resolvers may refuse to answer for this zone. Replace the DS at your
              registrar with the one below.
            </p>
          ) : null}
          {view.turnOff ? (
            <TurnOff page={page} zone={zone} view={view} {...(ksk?.ds ? { ds: ksk.ds } : {})} />
          ) : view.kskRollover ? (
            <Rollover view={view} />
          ) : null}
          {ksk?.ds ? (
            <>
              <h3>DS record for your registrar</h3>
              <DsFields ds={ksk.ds} id="ds" />
              <h3>DNSKEY (if your registrar asks for the key instead)</h3>
              <DnskeyFields dnskey={ksk.dnskey} />
            </>
          ) : null}
          <p>
            <Button page={page} zone={zone} to="check" label="Check the parent now" />{' '}
            {view.turnOff || view.kskRollover ? null : (
              <>
                <Button page={page} zone={zone} to="roll-ksk" label="Start a KSK rollover" />{' '}
                <Button page={page} zone={zone} to="off" label="Turn DNSSEC off…" danger />
              </>
            )}
          </p>
        </>
      )}
    </section>
  );
}
