// The DNSSEC actions of a zone page (the section is dns-dnssec-section.tsx): each is a POST with
// the CSRF token; a step that is not due yet is refused and the zone page says why.
import { Hono } from 'hono';
import type { ZoneRow } from '../../dns/index.js';
import type { WebEnv } from '../context.js';
import { zoneOf, zonePath } from './dns-common.js';
import { zonePage } from './dns-zone.js';
import type { PanelDeps } from './deps.js';
import type { PanelContext } from './render.js';
import { problemsOf, redirectWithFlash, statusOf } from './render.js';

type Action = (zone: ZoneRow) => Promise<unknown>;

export function dnsDnssecRoutes(deps: PanelDeps) {
  const app = new Hono<WebEnv>();
  const { dns } = deps;
  const actions: Record<string, [Action, (zone: ZoneRow) => string]> = {
    on: [(z) => dns.setDnssec(z, true), (z) => `DNSSEC is on for ${z.name}.`],
    off: [
      (z) => dns.dnssecTurnOff(z),
      (z) => `Turning DNSSEC off for ${z.name}: step 1, remove the DS at your registrar.`,
    ],
    keep: [(z) => dns.dnssecCancelTurnOff(z), (z) => `DNSSEC stays on for ${z.name}.`],
    finish: [(z) => dns.dnssecFinishTurnOff(z), (z) => `DNSSEC is off for ${z.name}.`],
    check: [(z) => dns.dnssecCheckParent(z), (z) => `The parent of ${z.name} was checked.`],
    'roll-ksk': [
      (z) => dns.dnssecRollKsk(z),
      (z) => `A new key-signing key for ${z.name} is published: add its DS at your registrar.`,
    ],
  };
  app.post('/dns/:zone/dnssec/:action', async (c: PanelContext) => {
    const zone = await zoneOf(c, deps);
    const action = actions[c.req.param('action') ?? ''];
    if (!action) return c.notFound();
    try {
      await action[0](zone);
    } catch (e) {
      return zonePage(c, deps, zone, { problems: problemsOf(e) }, statusOf(e) === 409 ? 409 : 400);
    }
    return redirectWithFlash(c, deps, `${zonePath(zone)}#dnssec`, action[1](zone));
  });
  return app;
}
