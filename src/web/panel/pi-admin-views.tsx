// The operators' Pi forms: enrolling a Pi, and the image catalogue (add, retire, default per model).
import type { ImageView } from '../../picloud/index.js';
import { piModels } from '../../picloud/index.js';
import type { PageContext } from './ui.js';
import { Field, PostForm } from './ui.js';

export function EnrolForm(props: { page: PageContext; sites: string[] }) {
  return (
    <section class="card">
      <h2>Enrol a Pi</h2>
      <PostForm page={props.page} action="/admin/pi/enrol">
        <Field label="Serial" name="serial" required hint="8 hex digits, from /proc/cpuinfo." />
        <Field label="MAC address" name="mac" required />
        <div class="field">
          <label for="model">Model</label>
          <select id="model" name="model">
            {piModels.map((m) => (
              <option value={m}>{m}</option>
            ))}
          </select>
        </div>
        <Field
          label="Memory (MB)"
          name="memory"
          inputmode="numeric"
          hint="Empty: the model's usual."
        />
        <Field label="CPU (MHz)" name="cpu" inputmode="numeric" />
        <Field label="NIC (Mbit/s)" name="nic" inputmode="numeric" />
        <div class="field">
          <label for="site">Site</label>
          <select id="site" name="site">
            {props.sites.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </div>
        <Field label="Switch" name="switch" hint="Its name at the site, e.g. poe1." />
        <Field label="Port" name="port" inputmode="numeric" />
        <button type="submit">Enrol and put into service</button>
      </PostForm>
    </section>
  );
}

export function ImagesCard(props: { page: PageContext; images: ImageView[] }) {
  return (
    <section class="card">
      <h2>Images</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Label</th>
            <th scope="col">Models</th>
            <th scope="col">Default for</th>
            <th scope="col">
              <span class="visually-hidden">Retire</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.images.map((i) => (
            <tr class={i.retired ? 'revoked' : undefined}>
              <td>{i.name}</td>
              <td>{i.label}</td>
              <td>{i.models.join(', ')}</td>
              <td>{i.defaultFor.join(', ') || '—'}</td>
              <td>
                {i.retired ? (
                  'retired'
                ) : (
                  <PostForm
                    page={props.page}
                    action={`/admin/pi/images/${i.name}/retire`}
                    class="inline"
                  >
                    <button type="submit" class="link" data-confirm={`Retire ${i.name}?`}>
                      Retire
                    </button>
                  </PostForm>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Add an image</h3>
      <PostForm page={props.page} action="/admin/pi/images">
        <Field label="Name" name="name" required />
        <Field label="Label" name="label" required />
        <Field
          label="Archive"
          name="archive"
          required
          hint="Path of a .tar or .tar.zst root filesystem on this server."
        />
        <Field label="Models" name="models" required hint="Comma-separated, e.g. 3B, 3B+, 4B." />
        <Field
          label="Default user"
          name="user"
          hint="e.g. pi; empty: found from its /etc/passwd."
        />
        <button type="submit">Add image</button>
      </PostForm>
      <h3>Default image of a model</h3>
      <PostForm page={props.page} action="/admin/pi/images/default">
        <div class="field inline">
          <label for="default-model">Model</label>
          <select id="default-model" name="model">
            {piModels.map((m) => (
              <option value={m}>{m}</option>
            ))}
          </select>
        </div>
        <div class="field inline">
          <label for="default-image">Image</label>
          <select id="default-image" name="image">
            {props.images
              .filter((i) => !i.retired)
              .map((i) => (
                <option value={i.name}>{i.name}</option>
              ))}
          </select>
        </div>
        <button type="submit">Set default</button>
      </PostForm>
    </section>
  );
}
