// What the DNS pages share: the panel's access to the customer's own zones, finding the zone a
// URL names (another account's zone is "not found"), zone links and the zone's sub-navigation.
import { createHash } from 'node:crypto';
import type { DnsAccess, ZoneRow } from '../../dns/index.js';
import { fullAccess } from '../../dns/index.js';
import type { PanelDeps } from './deps.js';
import type { PanelContext } from './render.js';
import { accountIdOf, actorOf } from './render.js';

/** The logged-in customer's full access to their own zones. */
export const panelAccess = (c: PanelContext): DnsAccess => fullAccess(accountIdOf(c), actorOf(c));

/** The zone named by the URL's `:zone`, if it is the customer's; otherwise NotFoundError (404). */
export const zoneOf = (c: PanelContext, deps: PanelDeps): Promise<ZoneRow> =>
  deps.dns.zones.find(panelAccess(c), c.req.param('zone') ?? '');

export const zonePath = (zone: Pick<ZoneRow, 'name'>, rest = ''): string =>
  `/dns/${encodeURIComponent(zone.name)}${rest}`;

/** Split a list typed into a field: by commas, spaces or new lines. */
export const splitList = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Lines one per line (CA values may hold spaces after `;`). */
export const splitLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * A short fingerprint of what a preview showed, sent back with "save": if the change computed
 * at save time differs (the form or the zone changed since), the preview is shown again.
 */
export const digestOf = (lines: readonly string[]): string =>
  createHash('sha256').update(lines.join('\n')).digest('base64url').slice(0, 22);

/** Links between a zone's pages. */
export function ZoneNav(props: { zone: ZoneRow }) {
  const z = props.zone;
  return (
    <nav class="subnav" aria-label={`Zone ${z.name}`}>
      <a href={zonePath(z)}>Records</a> · <a href={zonePath(z, '/caa')}>CAA policy</a> ·{' '}
      <a href={zonePath(z, '/issue')}>Who may issue?</a> ·{' '}
      <a href={zonePath(z, '/import')}>Import a zone file</a> ·{' '}
      <a href={zonePath(z, '/export')}>Export (text/dns)</a> ·{' '}
      <a href={zonePath(z, '/export?style=classic')}>Export (classic)</a> ·{' '}
      <a href="/dns">All zones</a>
    </nav>
  );
}
