// /zones/{zone}/records[/{host}[/{type}]] with GET, POST, PUT and DELETE (apis.md §3.3), with the
// exact reply bodies real clients check: "1 records added", records_removed on PUT and DELETE.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { apiJson } from '../../dns/index.js';
import type { WebEnv } from '../context.js';
import type { DnsApiDeps } from './dns-common.js';
import {
  accessOf,
  bodyRecords,
  deleteFilter,
  flag,
  selectionOf,
  wantsZoneText,
} from './dns-common.js';
import { prettyJson, referenceJson } from './json.js';

const PATHS = [
  '/zones/:zone/records',
  '/zones/:zone/records/:host',
  '/zones/:zone/records/:host/:type',
] as const;

export function recordRoutes(deps: DnsApiDeps) {
  const { dns } = deps;
  const app = new Hono<WebEnv>();
  const zoneOf = (c: Context<WebEnv>) => dns.zones.find(accessOf(c), c.req.param('zone')!);

  for (const path of PATHS) {
    // Bodies on GET are accepted and never read (lexicon sends `{}`; §3.2).
    app.get(path, async (c) => {
      const access = accessOf(c);
      const zone = await zoneOf(c);
      const selection = selectionOf(c);
      let records;
      if (flag(c.req.queries('verify'), 'verify')) {
        const check = await dns.verifySelection(access, zone, selection);
        // 409 "Inconsistent" until our server serves the selection (§3.5).
        if (!check.ok) return prettyJson(c, { errors: check.errors }, 409);
        records = check.records;
      }
      if (wantsZoneText(c)) {
        const text = await dns.records.exportZone(access, zone, selection);
        return c.body(text, 200, { 'Content-Type': 'text/dns; charset=utf-8' });
      }
      records ??= await dns.records.list(access, zone, selection);
      return referenceJson(c, { records: records.map(apiJson) });
    });

    app.post(path, async (c) => {
      const access = accessOf(c);
      const zone = await zoneOf(c);
      const selection = selectionOf(c);
      const records = await bodyRecords(c, deps, zone, selection);
      dns.checkWrite(access, zone, selection, records);
      const result = await dns.records.add(access, zone, records);
      // Always "records", even for one: acme.sh greps for "1 records added" (§3.7.1).
      return referenceJson(c, {
        message: `${result.added} records added`,
        records_added: result.added,
      });
    });

    app.put(path, async (c) => {
      const access = accessOf(c);
      const zone = await zoneOf(c);
      const selection = selectionOf(c);
      const records = await bodyRecords(c, deps, zone, selection);
      dns.checkWrite(access, zone, selection, records);
      const result = await dns.records.replace(access, zone, selection, records);
      return referenceJson(c, {
        message: `${result.added} records added`,
        records_added: result.added,
        records_removed: result.removed,
      });
    });

    app.delete(path, async (c) => {
      const zone = await zoneOf(c);
      const selection = selectionOf(c, await deleteFilter(c, deps.bodyLimit));
      const result = await dns.records.remove(accessOf(c), zone, selection);
      // No message on DELETE, and 0 removed is still a 200 (§3.3).
      return referenceJson(c, { records_removed: result.removed });
    });
  }
  return app;
}
