// DNS reacting to the Pi cloud: each live Pi gets {name}.{pi zone} AAAA and ssh.{name}.{pi zone}
// A (the SSH front) as generated records; a removed Pi loses them. Wired by main.ts.
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { DnsModule } from './index.js';

export interface PiNamesDeps {
  dns: Pick<DnsModule, 'replaceGenerated' | 'zoneForDomain'>;
  events: EventBus;
  logger: Logger;
  /** The provider's Pi zone, e.g. hostedpi.bestiary.example. */
  zone: string;
  ttl: number;
  /** The IPv4 address ssh.{name} points at. */
  sshFrontAddress: string;
  /** The account that owns the provider's zones (the first administrator), if there is one yet. */
  owner(): Promise<string | null>;
}

/** Subscribe; returns the unsubscribe function. */
export function subscribePiNames(deps: PiNamesDeps): () => void {
  const log = deps.logger.child({ module: 'dns', subscription: 'pi-names' });
  const zone = deps.zone.toLowerCase().replace(/\.$/, '');

  async function ensureZone(): Promise<boolean> {
    const owner = await deps.owner();
    if (!owner) {
      log.warn({ zone }, 'no administrator yet to own the Pi zone; Pi names are not published');
      return false;
    }
    await deps.dns.zoneForDomain(owner, zone, 'dns-only', false);
    return true;
  }

  const offs = [
    deps.events.on('pi.cloud_started', async () => {
      await ensureZone();
    }),
    deps.events.on('pi.live', async ({ name, ipv6 }) => {
      if (!(await ensureZone())) return;
      await deps.dns.replaceGenerated(zone, name, [{ type: 'AAAA', data: ipv6, ttl: deps.ttl }]);
      await deps.dns.replaceGenerated(zone, `ssh.${name}`, [
        { type: 'A', data: deps.sshFrontAddress, ttl: deps.ttl },
      ]);
    }),
    deps.events.on('pi.removed', async ({ name }) => {
      if (!(await ensureZone())) return;
      await deps.dns.replaceGenerated(zone, name, []);
      await deps.dns.replaceGenerated(zone, `ssh.${name}`, []);
    }),
  ];
  return () => offs.forEach((off) => off());
}
