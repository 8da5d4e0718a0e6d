// Ordering a Pi in the panel: spec (the lowest free Pi 3 preselected), image, disk, SSH keys
// and an optional name; the order then shows its boot on the Pi's own page.
import { Hono } from 'hono';
import { ValidationError } from '../../core/errors.js';
import type { PiModel, SpecView } from '../../picloud/index.js';
import { isPiModel } from '../../picloud/index.js';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { PanelDeps } from './deps.js';
import { KeyChoice } from './pi-views.js';
import type { PanelContext } from './render.js';
import { accountIdOf, actorOf, problemsOf, redirectWithFlash, render, statusOf } from './render.js';
import type { PageContext } from './ui.js';
import { Field, PostForm, Problems } from './ui.js';

const specValue = (s: SpecView) => `${s.model}|${s.memoryMb}|${s.cpuMhz}`;
const specLabel = (s: SpecView) =>
  `Pi ${s.model} · ${s.memoryMb >= 1024 ? `${s.memoryMb / 1024} GB` : `${s.memoryMb} MB`} · ` +
  `${(s.cpuMhz / 1000).toFixed(1)} GHz · ${s.nicMbps} Mbit/s (${s.free} free)`;

function OrderForm(props: {
  page: PageContext;
  deps: PanelDeps;
  specs: SpecView[];
  images: { name: string; label: string; models: PiModel[] }[];
  keys: Awaited<ReturnType<PanelDeps['picloud']['keys']['list']>>;
  errors?: string[];
  values?: Record<string, string>;
}) {
  const max = props.deps.config.picloud.maxDiskGb;
  // Preselect what the API gives when no model is named: the lowest free Pi 3.
  const fallback = props.specs.find((s) => s.apiModel === 3 && s.free > 0) ?? props.specs[0];
  const v: Record<string, string | undefined> = {
    ...(fallback ? { spec: specValue(fallback) } : {}),
    ...props.values,
  };
  return (
    <section class="card">
      <Problems errors={props.errors ?? []} />
      <PostForm page={props.page} action="/pi/order">
        <div class="field">
          <label for="spec">Model</label>
          <select id="spec" name="spec">
            {props.specs.map((s) => (
              <option
                value={specValue(s)}
                disabled={s.free === 0}
                selected={v.spec === specValue(s)}
              >
                {specLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="image">Image</label>
          <select id="image" name="image">
            <option value="">The default for the model</option>
            {props.images.map((i) => (
              <option value={i.name} selected={v.image === i.name}>
                {`${i.label} (${i.models.join(', ')})`}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="disk">Disk</label>
          <select id="disk" name="disk">
            {Array.from({ length: max / 10 }, (_, i) => (i + 1) * 10).map((gb) => (
              <option value={String(gb)} selected={v.disk === String(gb)}>{`${gb} GB`}</option>
            ))}
          </select>
        </div>
        <KeyChoice keys={props.keys} />
        <Field
          label="Name (optional)"
          name="name"
          value={v.name}
          maxlength={63}
          hint={`Lower-case letters, digits and hyphens; it becomes NAME.${props.deps.config.picloud.domain}. Empty: we choose one.`}
        />
        <button type="submit">Order this Pi</button>
      </PostForm>
    </section>
  );
}

/** The ids of the keys ticked on a form, as authorized_keys lines. */

/** The ids of the keys ticked on a form, as authorized_keys lines. */
export async function chosenKeys(deps: PanelDeps, c: PanelContext): Promise<string[]> {
  const ids = c
    .get('form')
    .getAll('keys')
    .filter((x): x is string => typeof x === 'string');
  return deps.picloud.keys.lines(accountIdOf(c), ids);
}

export function piOrderRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { servers, keys, catalogue } = deps.picloud;
  const orderPage = async (
    c: PanelContext,
    errors: string[] = [],
    values = {},
    status: 200 | 400 | 409 | 503 = 200,
  ) => {
    const [specs, images, saved] = await Promise.all([
      catalogue.specs(),
      catalogue.images(),
      keys.list(accountIdOf(c)),
    ]);
    return render(
      c,
      deps,
      'Order a Raspberry Pi',
      (page) => (
        <OrderForm
          page={page}
          deps={deps}
          specs={specs}
          images={images.filter((i) => !i.retired)}
          keys={saved}
          errors={errors}
          values={values}
        />
      ),
      status,
    );
  };
  app.get('/pi/order', (c) => orderPage(c));

  app.post('/pi/order', async (c) => {
    const form = c.get('form');
    const values = {
      spec: field(form, 'spec', 100),
      image: field(form, 'image', 200),
      disk: field(form, 'disk', 10),
      name: field(form, 'name', 100),
    };
    try {
      const [model = '', memory, cpu] = values.spec.split('|');
      if (!isPiModel(model)) throw new ValidationError('Choose a model.');
      const keyLines = await chosenKeys(deps, c);
      if (keyLines.length === 0)
        throw new ValidationError(
          'Choose at least one SSH key, or you will not be able to log in.',
        );
      const { server } = await servers.order(
        accountIdOf(c),
        {
          ...(values.name.trim() ? { name: values.name } : {}),
          model,
          memoryMb: Number(memory),
          cpuMhz: Number(cpu),
          diskGb: Number(values.disk),
          image: values.image || null,
          keys: keyLines,
        },
        actorOf(c),
      );
      return await redirectWithFlash(
        c,
        deps,
        `/pi/${server.name}`,
        `Your Pi ${server.name} is being set up.`,
      );
    } catch (e) {
      return orderPage(c, problemsOf(e), values, statusOf(e) as 400);
    }
  });

  return app;
}
