// Customers' SSH keys for their Pis: paste or upload (with a label), SHA256 fingerprints, delete.
import { Hono } from 'hono';
import { ValidationError } from '../../core/errors.js';
import type { SshKeyView } from '../../picloud/index.js';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { PanelDeps } from './deps.js';
import { accountIdOf, actorOf, problemsOf, redirectWithFlash, render, statusOf } from './render.js';
import type { PageContext } from './ui.js';
import { Field, formatDate, PostForm, Problems } from './ui.js';

/** The pasted text, or the uploaded .pub file's (an upload wins when both are given). */
async function keyText(form: FormData): Promise<string> {
  const file = form.get('file');
  if (file && typeof file !== 'string' && file.size > 0) {
    if (file.size > 64 * 1024)
      throw new ValidationError('That file is too big to be a public key.');
    return file.text();
  }
  return field(form, 'key', 64 * 1024);
}

function AddKeyForm(props: { page: PageContext; errors?: string[]; label?: string }) {
  return (
    <section class="card">
      <h2>Add a key</h2>
      <Problems errors={props.errors ?? []} />
      <PostForm page={props.page} action="/account/ssh-keys" enctype="multipart/form-data">
        <Field
          label="Label"
          name="label"
          value={props.label}
          maxlength={100}
          hint="e.g. “laptop”. Empty: the key's own comment."
        />
        <div class="field">
          <label for="key">Public key</label>
          <textarea
            id="key"
            name="key"
            rows={4}
            aria-describedby="key-hint"
            spellcheck={false}
          ></textarea>
          <p class="hint" id="key-hint">
            Paste the contents of your <code>~/.ssh/id_ed25519.pub</code> (ed25519, ECDSA, or RSA of
            2048 bits or more). Never paste a private key.
          </p>
        </div>
        <div class="field">
          <label for="file">…or upload the .pub file</label>
          <input id="file" name="file" type="file" accept=".pub,text/plain" />
        </div>
        <button type="submit">Add key</button>
      </PostForm>
    </section>
  );
}

function KeyList(props: { page: PageContext; keys: SshKeyView[] }) {
  if (props.keys.length === 0)
    return <p>You have no SSH keys yet. Add one to log in to your Pis.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Label</th>
          <th scope="col">Type</th>
          <th scope="col">Fingerprint</th>
          <th scope="col">Added</th>
          <th scope="col">
            <span class="visually-hidden">Delete</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.keys.map((k) => (
          <tr>
            <td>{k.label}</td>
            <td>{`${k.algorithm} ${k.bits}`}</td>
            <td>
              <code>{k.fingerprint}</code>
            </td>
            <td>{formatDate(k.createdAt)}</td>
            <td>
              <PostForm
                page={props.page}
                action={`/account/ssh-keys/${k.id}/delete`}
                class="inline"
              >
                <button type="submit" class="link" data-confirm={`Delete the key “${k.label}”?`}>
                  Delete
                </button>
              </PostForm>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function sshKeyRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { keys } = deps.picloud;
  const page = async (
    c: Parameters<typeof accountIdOf>[0],
    form: { errors?: string[]; label?: string } = {},
    status: 400 | 409 | 200 = 200,
  ) => {
    const list = await keys.list(accountIdOf(c));
    return render(
      c,
      deps,
      'SSH keys',
      (p) => (
        <>
          <p>These keys are offered when you order a Pi, and can be put on a Pi you have.</p>
          <KeyList page={p} keys={list} />
          <AddKeyForm page={p} {...form} />
        </>
      ),
      status,
    );
  };

  app.get('/account/ssh-keys', (c) => page(c));

  app.post('/account/ssh-keys', async (c) => {
    const form = c.get('form');
    const label = field(form, 'label', 100);
    try {
      const text = await keyText(form);
      const added = await keys.add(accountIdOf(c), text, label, actorOf(c));
      const what = added.map((k) => k.fingerprint).join(', ');
      return await redirectWithFlash(c, deps, '/account/ssh-keys', `Key added: ${what}.`);
    } catch (e) {
      // The key text is not echoed back: if it was a private key, it must not travel again.
      return page(c, { errors: problemsOf(e), label }, statusOf(e) as 400 | 409);
    }
  });

  app.post('/account/ssh-keys/:id/delete', async (c) => {
    await keys.remove(accountIdOf(c), c.req.param('id'), actorOf(c));
    return redirectWithFlash(c, deps, '/account/ssh-keys', 'Key deleted.');
  });

  return app;
}
