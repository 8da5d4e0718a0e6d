// Zone files: export (text/dns as the API gives it, or classic with $ORIGIN), and import (paste
// or upload; add, or replace the customer's own records), always previewed before it applies.
import { Hono } from 'hono';
import type { ImportResult, ZoneRow } from '../../dns/index.js';
import { everything } from '../../dns/index.js';
import { ValidationError } from '../../core/errors.js';
import type { WebEnv } from '../context.js';
import { decodeUtf8, field } from '../input.js';
import { digestOf, panelAccess, ZoneNav, zoneOf, zonePath } from './dns-common.js';
import type { PanelDeps } from './deps.js';
import type { PanelContext } from './render.js';
import { problemsOf, redirectWithFlash, render, statusOf } from './render.js';
import type { PageContext } from './ui.js';
import { PostForm, Problems } from './ui.js';

type Mode = 'add' | 'replace';

const digestOfResult = (mode: Mode, r: ImportResult) =>
  digestOf([mode, ...r.addedLines, '', ...r.removedLines]);

function Lines(props: { title: string; lines: string[]; testid: string }) {
  if (props.lines.length === 0) return null;
  return (
    <>
      <h3>{`${props.title} (${props.lines.length})`}</h3>
      <pre class="records-preview" data-testid={props.testid}>
        {props.lines.join('\n')}
      </pre>
    </>
  );
}

function ImportForm(props: {
  page: PageContext;
  zone: ZoneRow;
  text: string;
  mode: Mode;
  result?: ImportResult;
  errors?: string[];
  notice?: string;
}) {
  const { result } = props;
  return (
    <section class="card">
      {props.notice ? <p class="notice">{props.notice}</p> : null}
      <Problems errors={props.errors ?? []} />
      {result ? (
        <section class="preview" aria-labelledby="import-preview" data-testid="import-preview">
          <h2 id="import-preview">Preview</h2>
          <p>{`The file holds ${result.records.length} record${result.records.length === 1 ? '' : 's'}. Applying it will:`}</p>
          <Lines title="Add" lines={result.addedLines} testid="import-add" />
          <Lines title="Remove" lines={result.removedLines} testid="import-remove" />
          <Lines title="Leave as they are" lines={result.unchangedLines} testid="import-same" />
          {result.added + result.removed === 0 ? (
            <p>Change nothing: the zone already says this.</p>
          ) : null}
          {result.warnings.length ? (
            <ul class="warnings">
              {result.warnings.map((w) => (
                <li>{w}</li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
      <PostForm
        page={props.page}
        action={zonePath(props.zone, '/import')}
        enctype="multipart/form-data"
      >
        <div class="field">
          <label for="text">Zone file</label>
          <textarea id="text" name="text" rows={12} spellcheck={false} aria-describedby="text-hint">
            {props.text}
          </textarea>
          <p class="hint" id="text-hint">
            RFC 1035 master-file format: $ORIGIN, $TTL, relative names, @, parentheses and comments.
            The SOA is ours and is skipped. Names without a final dot are relative to{' '}
            {props.zone.name}.
          </p>
        </div>
        <div class="field">
          <label for="file">Or upload a file</label>
          <input id="file" name="file" type="file" accept=".zone,.txt,.db,text/plain,text/dns" />
        </div>
        <fieldset>
          <legend>What to do with the records there now</legend>
          {(
            [
              ['add', 'Add the file’s records to the zone'],
              ['replace', 'Replace all my records with the file’s (template records stay)'],
            ] as const
          ).map(([value, label]) => (
            <div class="check">
              <input
                type="radio"
                id={`mode-${value}`}
                name="mode"
                value={value}
                checked={props.mode === value}
              />
              <label for={`mode-${value}`}>{label}</label>
            </div>
          ))}
        </fieldset>
        {result ? (
          <input type="hidden" name="previewed" value={digestOfResult(props.mode, result)} />
        ) : null}
        <button type="submit" name="action" value="preview">
          Preview
        </button>{' '}
        {result && !props.errors?.length ? (
          <button type="submit" name="action" value="apply">
            Apply this import
          </button>
        ) : null}
      </PostForm>
    </section>
  );
}

export function dnsFileRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { dns } = deps;

  app.get('/dns/:zone/export', async (c) => {
    const zone = await zoneOf(c, deps);
    const classic = c.req.query('style') === 'classic';
    const text = await dns.records.exportZone(
      panelAccess(c),
      zone,
      everything,
      classic ? 'classic' : 'api',
    );
    const filename = `${zone.name}${classic ? '.zone' : '.txt'}`;
    return c.body(text, 200, {
      'content-type': 'text/dns; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
    });
  });

  const page = (
    c: PanelContext,
    zone: ZoneRow,
    form: { text: string; mode: Mode; result?: ImportResult; errors?: string[]; notice?: string },
    status: 200 | 400 | 409 = 200,
  ) =>
    render(
      c,
      deps,
      `Import a zone file into ${zone.name}`,
      (pc) => (
        <>
          <ZoneNav zone={zone} />
          <ImportForm page={pc} zone={zone} {...form} />
        </>
      ),
      status,
    );

  app.get('/dns/:zone/import', async (c) =>
    page(c, await zoneOf(c, deps), { text: '', mode: 'add' }),
  );

  app.post('/dns/:zone/import', async (c) => {
    const zone = await zoneOf(c, deps);
    const form = c.get('form');
    const mode: Mode = field(form, 'mode', 10) === 'replace' ? 'replace' : 'add';
    let text = field(form, 'text', deps.config.limits.bodyBytes);
    const file = form.get('file');
    if (file !== null && typeof file !== 'string' && file.size > 0)
      text = decodeUtf8(new Uint8Array(await file.arrayBuffer()), 'The uploaded file');
    const access = panelAccess(c);
    let result: ImportResult;
    try {
      if (!text.trim()) throw new ValidationError('Paste a zone file or choose one to upload.');
      result = await dns.records.importZone(access, zone, text, mode, { dryRun: true });
    } catch (e) {
      return page(c, zone, { text, mode, errors: problemsOf(e) }, statusOf(e) === 409 ? 409 : 400);
    }
    if (field(form, 'action', 10) !== 'apply') return page(c, zone, { text, mode, result });
    if (field(form, 'previewed', 100) !== digestOfResult(mode, result)) {
      const notice =
        'What the import would do changed since the preview. Check it and apply again.';
      return page(c, zone, { text, mode, result, notice }, 409);
    }
    try {
      result = await dns.records.importZone(access, zone, text, mode);
    } catch (e) {
      return page(c, zone, { text, mode, errors: problemsOf(e) }, statusOf(e) === 409 ? 409 : 400);
    }
    const summary = `Imported into ${zone.name}: ${result.added} added, ${result.removed} removed.`;
    return redirectWithFlash(c, deps, zonePath(zone), summary);
  });

  return app;
}
