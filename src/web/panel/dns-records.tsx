// A zone's page and its records: add one, edit one (replacing it), delete one. Problems are
// shown with the user's input kept; another account's zone or record is "not found".
import { Hono } from 'hono';
import { describeRecord, everything } from '../../dns/index.js';
import type { StoredRecord, WriteResult, ZoneRow } from '../../dns/index.js';
import { NotFoundError } from '../../core/errors.js';
import type { WebEnv } from '../context.js';
import type { RecordInput } from './dns-record-form.js';
import { recordInputFrom, recordInputOf, recordOf, RecordForm } from './dns-record-form.js';
import { panelAccess, ZoneNav, zoneOf, zonePath } from './dns-common.js';
import { zonePage } from './dns-zone.js';
import type { PanelDeps } from './deps.js';
import type { PanelContext } from './render.js';
import { problemsOf, redirectWithFlash, render, statusOf } from './render.js';

const warned = (result: WriteResult) =>
  result.warnings.length ? ` Note: ${result.warnings.join('; ')}.` : '';

const formStatus = (e: unknown) => (statusOf(e) === 409 ? 409 : 400);

export function dnsRecordRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { dns } = deps;

  /** The customer record `:id` of the zone; generated records are not theirs to edit. */
  async function recordOfUrl(c: PanelContext, zone: ZoneRow): Promise<StoredRecord> {
    const id = c.req.param('id') ?? '';
    const [r] = await dns.records.list(panelAccess(c), zone, { ...everything, ids: [id] });
    if (!r || r.origin === 'generated') throw new NotFoundError('Record');
    return r;
  }

  const editPage = (
    c: PanelContext,
    zone: ZoneRow,
    r: StoredRecord,
    form: { input: RecordInput; errors?: string[] },
    status: 200 | 400 | 409 = 200,
  ) =>
    render(
      c,
      deps,
      `Edit a record of ${zone.name}`,
      (page) => (
        <>
          <ZoneNav zone={zone} />
          <section class="card">
            <p>
              Changing <code>{describeRecord(r.record, `${zone.name}.`)}</code>. Saving replaces it
              with the record below.
            </p>
            <RecordForm
              page={page}
              zone={zone}
              action={zonePath(zone, `/records/${r.id}`)}
              submit="Save record"
              {...form}
            />
            <p>
              <a href={zonePath(zone)}>Cancel</a>
            </p>
          </section>
        </>
      ),
      status,
    );

  app.get('/dns/:zone', async (c) => zonePage(c, deps, await zoneOf(c, deps)));

  app.post('/dns/:zone/records', async (c) => {
    const zone = await zoneOf(c, deps);
    const input = recordInputFrom(c.get('form'));
    try {
      const record = recordOf(input, zone);
      const result = await dns.records.add(panelAccess(c), zone, [record]);
      const line = describeRecord(record, `${zone.name}.`);
      return await redirectWithFlash(c, deps, zonePath(zone), `Added “${line}”.${warned(result)}`);
    } catch (e) {
      return zonePage(c, deps, zone, { input, errors: problemsOf(e) }, formStatus(e));
    }
  });

  app.get('/dns/:zone/records/:id/edit', async (c) => {
    const zone = await zoneOf(c, deps);
    const r = await recordOfUrl(c, zone);
    return editPage(c, zone, r, { input: recordInputOf(r) });
  });

  app.post('/dns/:zone/records/:id', async (c) => {
    const zone = await zoneOf(c, deps);
    const r = await recordOfUrl(c, zone);
    const input = recordInputFrom(c.get('form'));
    try {
      const record = recordOf(input, zone);
      const result = await dns.records.replaceOne(panelAccess(c), zone, r.id, record);
      const line = describeRecord(record, `${zone.name}.`);
      return await redirectWithFlash(c, deps, zonePath(zone), `Saved “${line}”.${warned(result)}`);
    } catch (e) {
      if (e instanceof NotFoundError) throw e;
      return editPage(c, zone, r, { input, errors: problemsOf(e) }, formStatus(e));
    }
  });

  app.post('/dns/:zone/records/:id/delete', async (c) => {
    const zone = await zoneOf(c, deps);
    const r = await recordOfUrl(c, zone);
    try {
      await dns.records.removeOne(panelAccess(c), zone, r.id);
    } catch (e) {
      if (e instanceof NotFoundError) throw e;
      return zonePage(c, deps, zone, { problems: problemsOf(e) }, formStatus(e));
    }
    const line = describeRecord(r.record, `${zone.name}.`);
    return redirectWithFlash(c, deps, zonePath(zone), `Deleted “${line}”.`);
  });

  return app;
}
