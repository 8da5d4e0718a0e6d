// The CAA form (modelled on DNSControl's CAA_BUILDER): CAs from a list or typed, a wildcard
// policy, a report address; "Preview" shows the exact records before anything is saved, and
// saving publishes exactly what was previewed (or shows the preview again if that changed).
import { Hono } from 'hono';
import type { DnsRecord, ZoneRow } from '../../dns/index.js';
import {
  caaRecordsForPolicy,
  describeRecord,
  everything,
  recordFromJson,
  wellKnownCas,
} from '../../dns/index.js';
import type { Selection } from '../../dns/index.js';
import type { WebEnv } from '../context.js';
import { field } from '../input.js';
import type { CaaForm } from './dns-caa-form.js';
import { CaaFormView, caaFormOf, slugOf } from './dns-caa-form.js';
import { digestOf, panelAccess, splitLines, ZoneNav, zoneOf, zonePath } from './dns-common.js';
import type { PanelDeps } from './deps.js';
import type { PanelContext } from './render.js';
import { problemsOf, redirectWithFlash, render, statusOf } from './render.js';

const apexCaa: Selection = { ...everything, base: { host: '@', type: 'CAA' } };

function formFrom(form: FormData): CaaForm {
  const checked = (prefix: string) =>
    wellKnownCas.map((ca) => slugOf(ca.name)).filter((s) => field(form, `${prefix}-${s}`) !== '');
  const wildcard = field(form, 'wildcard', 10);
  return {
    cas: checked('ca'),
    other: field(form, 'other', 5000),
    wildcard: wildcard === 'none' || wildcard === 'own' ? wildcard : 'same',
    wildCas: checked('wild'),
    wildOther: field(form, 'wild_other', 5000),
    iodef: field(form, 'iodef', 1000),
    ttl: field(form, 'ttl', 20),
    mode: field(form, 'mode', 10) === 'add' ? 'add' : 'replace',
  };
}

/** The issuer domains a form picks: the listed CAs ticked, then those typed (one per line). */
const issuersOf = (slugs: readonly string[], typed: string): string[] => [
  ...wellKnownCas.filter((ca) => slugs.includes(slugOf(ca.name))).map((ca) => ca.domain),
  ...splitLines(typed),
];

/** The exact records the form publishes at the apex. */
function recordsOf(f: CaaForm, zone: ZoneRow): DnsRecord[] {
  const iodef = f.iodef.trim();
  const policy = {
    issuers: issuersOf(f.cas, f.other),
    wildcard: f.wildcard === 'own' ? issuersOf(f.wildCas, f.wildOther) : f.wildcard,
    ...(iodef ? { iodef } : {}),
  };
  return caaRecordsForPolicy(policy).map((d) =>
    recordFromJson(
      {
        host: '@',
        type: 'CAA',
        ttl: f.ttl.trim(),
        caa_flags: d.flags,
        caa_tag: d.tag,
        data: d.value,
      },
      `${zone.name}.`,
      { ttl: zone.default_ttl },
    ),
  );
}

interface Preview {
  added: string[];
  removed: string[];
  warnings: string[];
  digest: string;
}

export function dnsCaaRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { dns } = deps;

  /** What saving this form would do, validated as saving is (ValidationError if it cannot). */
  async function preview(c: PanelContext, zone: ZoneRow, f: CaaForm): Promise<Preview> {
    const records = recordsOf(f, zone);
    const access = panelAccess(c);
    const result = await dns.records.check(
      access,
      zone,
      f.mode === 'replace' ? apexCaa : null,
      records,
    );
    const apex = `${zone.name}.`;
    const current = await dns.records.list(access, zone, apexCaa);
    const added = records.map((r) => describeRecord(r, apex));
    const removed = f.mode === 'replace' ? current.map((r) => describeRecord(r.record, apex)) : [];
    return {
      added,
      removed,
      warnings: result.warnings,
      digest: digestOf([f.mode, ...added, '', ...removed]),
    };
  }

  async function page(
    c: PanelContext,
    zone: ZoneRow,
    f: CaaForm | null,
    shown: { preview?: Preview; errors?: string[]; notice?: string },
    status: 200 | 400 | 409 = 200,
  ) {
    const current = await dns.records.list(panelAccess(c), zone, apexCaa);
    const form = f ?? caaFormOf(current.map((r) => r.record));
    return render(
      c,
      deps,
      `CAA policy of ${zone.name}`,
      (pc) => (
        <>
          <ZoneNav zone={zone} />
          <CaaFormView
            page={pc}
            zone={zone}
            form={form}
            current={current.map((r) => describeRecord(r.record, `${zone.name}.`))}
            {...shown}
          />
        </>
      ),
      status,
    );
  }

  app.get('/dns/:zone/caa', async (c) => page(c, await zoneOf(c, deps), null, {}));

  app.post('/dns/:zone/caa', async (c) => {
    const zone = await zoneOf(c, deps);
    const body = c.get('form');
    const f = formFrom(body);
    let shown: Preview;
    try {
      shown = await preview(c, zone, f);
    } catch (e) {
      const status = statusOf(e) === 409 ? 409 : 400;
      return page(c, zone, f, { errors: problemsOf(e) }, status);
    }
    if (field(body, 'action', 10) !== 'save') return page(c, zone, f, { preview: shown });
    if (field(body, 'previewed', 100) !== shown.digest) {
      const notice =
        'The records to publish changed since the preview (the form or the zone changed). ' +
        'Check them below and save again.';
      return page(c, zone, f, { preview: shown, notice }, 409);
    }
    const access = panelAccess(c);
    const records = recordsOf(f, zone);
    try {
      if (f.mode === 'replace') await dns.records.replace(access, zone, apexCaa, records);
      else await dns.records.add(access, zone, records);
    } catch (e) {
      return page(c, zone, f, { errors: problemsOf(e) }, statusOf(e) === 409 ? 409 : 400);
    }
    return redirectWithFlash(
      c,
      deps,
      zonePath(zone, '/caa'),
      `Published ${records.length} CAA record${records.length === 1 ? '' : 's'} at ${zone.name}.`,
    );
  });

  return app;
}
