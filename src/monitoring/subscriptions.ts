// What monitoring does when others' facts arrive: Pis going live or away, backup targets and runs.
import type { BackupTargetFact, EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { WatchedBackup } from './automatic.js';
import type { MonitoringModule } from './module.js';

export interface MonitoringSubscriptionDeps {
  events: EventBus;
  monitoring: Pick<MonitoringModule, 'automatic' | 'ready'>;
  logger: Logger;
  /** How often a backup with this cron schedule should succeed (the backups module knows cron). */
  backupPeriodMs(schedule: string): number;
  /** How late a backup may be before its heartbeat is down. */
  backupGraceMs: number;
}

/** A day: the period assumed for a target whose schedule this process never saw. */
const dayMs = 86_400_000;

/** Subscribe; returns a function that unsubscribes everything. */
export function subscribeMonitoring(deps: MonitoringSubscriptionDeps): () => void {
  const { events, monitoring } = deps;
  const log = deps.logger.child({ module: 'monitoring', component: 'subscriptions' });
  const auto = monitoring.automatic;
  const watched = (t: BackupTargetFact, schedule: string | null): WatchedBackup => ({
    targetId: t.targetId,
    name: t.name,
    accountId: t.accountId,
    periodMs: schedule ? deps.backupPeriodMs(schedule) : dayMs,
    graceMs: deps.backupGraceMs,
  });
  /** Every reaction waits for the stored checks to be loaded, so none is made twice. */
  const when =
    <T>(what: string, fn: (p: T) => Promise<void>) =>
    async (p: T): Promise<void> => {
      await monitoring.ready();
      try {
        await fn(p);
      } catch (err) {
        log.error({ err, event: what }, 'monitoring could not follow an event');
        throw err;
      }
    };

  const offs = [
    events.on(
      'pi.live',
      when('pi.live', (p) =>
        auto.serverLive({
          kind: 'pi',
          serverId: p.serverId,
          accountId: p.accountId,
          name: p.name,
          sshHost: p.sshHost,
          sshPort: p.sshPort,
          address: p.ipv6,
          host: p.piId,
        }),
      ),
    ),
    events.on(
      'pi.removed',
      when('pi.removed', (p) => auto.serverGone('pi', p.serverId)),
    ),
    // Managed servers (`vds`) will map their own live/removed facts onto the same two calls.
    events.on(
      'backup.target_added',
      when('backup.target_added', async (p) => {
        await auto.watchBackup(watched(p, p.schedule));
      }),
    ),
    events.on(
      'backup.target_changed',
      when('backup.target_changed', async (p) => {
        if (p.enabled) await auto.watchBackup(watched(p, p.schedule));
        else await auto.unwatchBackup(p.targetId);
      }),
    ),
    events.on(
      'backup.succeeded',
      when('backup.succeeded', (p) => auto.backupResult(watched(p, null), true, '')),
    ),
    events.on(
      'backup.failed',
      when('backup.failed', (p) =>
        auto.backupResult(
          watched(p, null),
          false,
          p.phase === 'reverify' ? `stored backup failed its re-verify: ${p.summary}` : p.summary,
        ),
      ),
    ),
  ];
  return () => offs.forEach((off) => off());
}
