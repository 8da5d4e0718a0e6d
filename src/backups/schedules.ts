// The scheduler and the freshness query. Every instance may tick: each slot's row and job have a
// stable id and unique key, so a slot runs once however many instances saw it. Freshness is what
// monitoring treats as an outage: no verified backup since the slot before the grace window.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Jobs } from '../jobs/index.js';
import { parseCron, previousSlot } from './cron.js';
import type { BackupsStore, TargetRow } from './store.js';
import type { OwnerKind } from './tables.js';
import type { Work } from './work.js';
import { slotId } from './work.js';

/** How current a target's verified backup is, against what its schedule allows. */
export interface BackupFreshness {
  targetId: string;
  name: string;
  ownerKind: OwnerKind;
  ownerId: string | null;
  accountId: string | null;
  enabled: boolean;
  schedule: string;
  /** Start of the newest verified (good, still stored) backup. */
  lastVerifiedAt: number | null;
  ageMs: number | null;
  /** The slot that must be covered by now (its time plus the grace has passed). */
  dueSlot: number | null;
  /** True when that slot has no verified backup: monitoring's outage. */
  stale: boolean;
  reason: string;
}

export interface SchedulerDeps {
  store: BackupsStore;
  work: Work;
  jobs: Jobs;
  clock: Clock;
  logger: Logger;
  summarySchedule: string;
  graceMs: number;
}

const slotOf = (schedule: string | null, now: number, created: number): number | null => {
  if (!schedule) return null;
  const slot = previousSlot(parseCron(schedule), now);
  // A slot from before the target existed is not owed: its first backup is the next slot.
  return slot !== null && slot >= created ? slot : null;
};

export function createScheduler(deps: SchedulerDeps) {
  const { store, work, jobs } = deps;
  const log = deps.logger.child({ module: 'backups' });

  async function tickTarget(t: TargetRow, now: number): Promise<void> {
    const slot = slotOf(t.schedule, now, t.created_at);
    if (slot !== null)
      await work.queueRun(t, 'schedule', null, {
        id: slotId('run', t.id, slot),
        uniqueKey: `backups.run:${t.id}:${slot}`,
      });
    const test = slotOf(t.restore_test_schedule, now, t.created_at);
    const good =
      test === null
        ? undefined
        : (await store.persistence.listRuns(t.id, { limit: 20 })).find(
            (r) => r.status === 'good' && r.prunedAt === null,
          );
    // With no verified backup yet there is nothing to test; the slot is tried again next tick.
    if (test !== null && good)
      await work.queueRestore(
        t,
        good.id,
        { mode: 'test' },
        { accountId: null, ip: null, channel: 'system' },
        'schedule',
        {
          id: slotId('restore-test', t.id, test),
          uniqueKey: `backups.restore-test:${t.id}:${test}`,
        },
      );
    const verify = slotOf(t.reverify_schedule, now, t.created_at);
    if (verify !== null)
      await jobs.enqueue(
        'backups.reverify',
        { targetId: t.id, deep: false },
        { uniqueKey: `backups.reverify:${t.id}:${verify}` },
      );
  }

  return {
    /** Queue whatever is due at `now` (idempotent: every slot is queued once). */
    async tick(now = deps.clock.now()): Promise<void> {
      for (const t of await store.targets({ enabledOnly: true })) {
        try {
          await tickTarget(t, now);
        } catch (err) {
          log.error({ err, targetId: t.id }, 'scheduling a backup target failed');
        }
      }
      const summary = previousSlot(parseCron(deps.summarySchedule), now);
      if (summary !== null)
        await jobs.enqueue(
          'backups.summary',
          { slot: summary },
          { uniqueKey: `backups.summary:${summary}` },
        );
    },

    /** Every target's freshness (monitoring's heartbeat query). */
    async freshness(now = deps.clock.now()): Promise<BackupFreshness[]> {
      const last = await store.lastGoodByTarget();
      return (await store.targets()).map((t) => {
        const lastVerifiedAt = last.get(t.id) ?? null;
        const dueSlot = slotOf(t.schedule, now - deps.graceMs, t.created_at);
        const missing = dueSlot !== null && (lastVerifiedAt === null || lastVerifiedAt < dueSlot);
        const stale = t.enabled === 1 && missing;
        const reason =
          t.enabled !== 1
            ? 'disabled'
            : !missing
              ? lastVerifiedAt === null
                ? 'no backup owed yet'
                : 'verified backup is current'
              : lastVerifiedAt === null
                ? 'no verified backup'
                : `no verified backup since the slot at ${new Date(dueSlot).toISOString()}`;
        return {
          targetId: t.id,
          name: t.name,
          ownerKind: t.owner_kind,
          ownerId: t.owner_id,
          accountId: t.account_id,
          enabled: t.enabled === 1,
          schedule: t.schedule,
          lastVerifiedAt,
          ageMs: lastVerifiedAt === null ? null : now - lastVerifiedAt,
          dueSlot,
          stale,
          reason,
        };
      });
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
