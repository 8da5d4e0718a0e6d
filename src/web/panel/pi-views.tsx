// Pieces of the customer's Pi pages: boot progress, the server's facts, and the action forms.
import type {
  BootPhase,
  ImageView,
  ServerView,
  SshKeyView,
  TaskView,
} from '../../picloud/index.js';
import { bootSteps, sshCommand } from '../../picloud/index.js';
import type { PageContext } from './ui.js';
import { formatDate, PostForm } from './ui.js';

export type StepState = 'done' | 'current' | 'pending' | 'failed';

/** Each boot step's state, from where the boot has got to. */
export function stepStates(v: ServerView): { phase: BootPhase; label: string; state: StepState }[] {
  const order = bootSteps.map((s) => s.phase);
  const at = v.bootPhase === 'up' ? order.length : v.bootPhase ? order.indexOf(v.bootPhase) : -1;
  return bootSteps.map((s, i) => ({
    ...s,
    state:
      at === -1 && v.status === 'live' && !v.isBooting
        ? 'done'
        : i < at
          ? 'done'
          : i === at
            ? v.status === 'failed'
              ? 'failed'
              : 'current'
            : 'pending',
  }));
}

/** What the page's script polls: enough to redraw the steps and know when to reload. */
export function progressJson(v: ServerView) {
  return {
    status: v.status,
    phase: v.bootPhase,
    progress: v.bootProgress,
    booting: v.isBooting,
    done: (v.status === 'live' && !v.isBooting) || v.status === 'failed',
    steps: stepStates(v).map((s) => ({ phase: s.phase, state: s.state })),
  };
}

export function BootProgress(props: { v: ServerView }) {
  const { v } = props;
  return (
    <section class="card" data-poll-url={`/pi/${v.name}/progress.json`} aria-live="polite">
      <h2>{v.status === 'installing' ? 'Re-imaging' : 'Booting'}</h2>
      <ol class="steps">
        {stepStates(v).map((s) => (
          <li data-step={s.phase} class={s.state}>
            {s.label}
          </li>
        ))}
      </ol>
      <p data-progress>{v.bootProgress ?? 'Waiting'}</p>
      <p class="muted">
        This page follows the boot by itself; without JavaScript,{' '}
        <a href={`/pi/${v.name}`}>refresh it</a>.
      </p>
    </section>
  );
}

export function Facts(props: { v: ServerView; temperature: number | null }) {
  const { v } = props;
  const rows: [string, string][] = [
    [
      'Model',
      `Pi ${v.model} · ${v.memoryMb / 1024 >= 1 ? `${v.memoryMb / 1024} GB` : `${v.memoryMb} MB`} · ${v.cpuMhz} MHz · ${v.nicMbps} Mbit/s`,
    ],
    ['Location', v.location],
    ['Image', v.image],
    ['Disk', `${v.diskGb} GB`],
    ['Power', v.power ? 'On' : 'Off'],
    ['Temperature', props.temperature === null ? '—' : `${props.temperature.toFixed(1)} °C`],
    ['IPv6 address', v.ipv6],
    ['Routed /64', v.ipRouted],
    ['Names', `${v.fqdn} (AAAA), ${v.sshName} (SSH)`],
    ['SSH', `${v.sshAddress} port ${v.sshPort}`],
    ['Live since', formatDate(v.liveAt)],
  ];
  return (
    <dl>
      {rows.map(([k, val]) => (
        <>
          <dt>{k}</dt>
          <dd>{val}</dd>
        </>
      ))}
    </dl>
  );
}

export function SshHowTo(props: { v: ServerView }) {
  return (
    <section class="card">
      <h2>Log in</h2>
      <p>Your Pi is live. Log in with one of its keys:</p>
      <pre>
        <code data-ssh-command>{sshCommand(props.v)}</code>
      </pre>
    </section>
  );
}

export function KeyChoice(props: { keys: SshKeyView[]; checked?: (k: SshKeyView) => boolean }) {
  if (props.keys.length === 0)
    return (
      <p>
        You have no saved SSH keys. <a href="/account/ssh-keys">Add one first</a>.
      </p>
    );
  return (
    <fieldset>
      <legend>SSH keys</legend>
      {props.keys.map((k) => (
        <div class="field inline">
          <input
            type="checkbox"
            id={`key-${k.id}`}
            name="keys"
            value={k.id}
            checked={props.checked ? props.checked(k) : true}
          />
          <label for={`key-${k.id}`}>{`${k.label} (${k.fingerprint})`}</label>
        </div>
      ))}
    </fieldset>
  );
}

export function Actions(props: {
  page: PageContext;
  v: ServerView;
  keys: SshKeyView[];
  images: ImageView[];
}) {
  const { page, v } = props;
  const base = `/pi/${v.name}`;
  const onPi = (k: SshKeyView) => v.sshKeys.includes(k.line.split(' ').slice(0, 2).join(' '));
  return (
    <>
      <section class="card">
        <h2>Power</h2>
        <PostForm page={page} action={`${base}/reboot`} class="inline">
          <button type="submit">Reboot</button>
        </PostForm>{' '}
        <PostForm page={page} action={`${base}/power`} class="inline">
          <input type="hidden" name="power" value={v.power ? 'off' : 'on'} />
          <button type="submit">{v.power ? 'Power off' : 'Power on'}</button>
        </PostForm>
      </section>
      <section class="card">
        <h2>SSH keys on this Pi</h2>
        <PostForm page={page} action={`${base}/keys`}>
          <KeyChoice keys={props.keys} checked={onPi} />
          <button type="submit">Replace keys</button>
        </PostForm>
      </section>
      <section class="card">
        <h2>Re-image</h2>
        <p>Re-imaging deletes everything on the Pi and starts again from a fresh image.</p>
        <PostForm page={page} action={`${base}/reimage`}>
          <div class="field">
            <label for="image">Image</label>
            <select id="image" name="image">
              {props.images.map((i) => (
                <option value={i.name} selected={i.name === v.image}>
                  {i.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="confirm-reimage">{`Type “${v.name}” to confirm`}</label>
            <input id="confirm-reimage" name="confirm" autocomplete="off" required />
          </div>
          <button type="submit" class="danger">
            Delete all data and re-image
          </button>
        </PostForm>
      </section>
      <CancelForm page={page} v={v} />
    </>
  );
}

export function CancelForm(props: { page: PageContext; v: ServerView }) {
  const { v } = props;
  return (
    <section class="card">
      <h2>Cancel</h2>
      <p>Cancelling destroys the Pi's data and gives the Pi back. This cannot be undone.</p>
      <PostForm page={props.page} action={`/pi/${v.name}/cancel`}>
        <div class="field">
          <label for="confirm-cancel">{`Type “${v.name}” to confirm`}</label>
          <input id="confirm-cancel" name="confirm" autocomplete="off" required />
        </div>
        <button type="submit" class="danger">
          Cancel this Pi
        </button>
      </PostForm>
    </section>
  );
}

export function Receipts(props: { v: ServerView; tasks: TaskView[] }) {
  const done = props.tasks.filter((t) => t.result && t.kind === 'reimage');
  if (done.length === 0) return null;
  return (
    <section class="card">
      <h2>Re-image receipts</h2>
      <ul>
        {done.map((t) => (
          <li>
            <a
              href={`/pi/${props.v.name}/receipts/${t.id}`}
            >{`${formatDate(t.createdAt)}: ${t.state}`}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
