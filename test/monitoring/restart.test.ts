// Restarting Bestiary: a check already known down is not announced again; a half-confirmed change is kept.
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/core/clock.js';
import type { IrcNotifier } from '../../src/monitoring/index.js';
import { memoryPersistence } from '../../src/monitoring/index.js';
import { missingTools } from '../support/tools.js';
import { buildBot, buildMonitoring, channel, fastCheck, waitFor } from './support/bot.js';
import { createIrcd } from './support/ircd.js';
import { listen } from './support/listener.js';
import { portTarget } from './support/targets.js';

const skip = missingTools('ngircd').length > 0;

describe.skipIf(skip)('restart on ngIRCd', () => {
  it('neither re-alerts a known-down check nor loses a pending transition', async () => {
    const ircd = await createIrcd('ngircd');
    await ircd.start();
    const listener = await listen(ircd.port, channel);
    const cleanup: Array<() => unknown> = [() => ircd.kill(), () => listener.close()];
    try {
      const dead = await portTarget();
      const shaky = await portTarget();
      cleanup.push(
        () => dead.close(),
        () => shaky.close(),
      );
      const persistence = memoryPersistence();
      // A frozen clock: nothing runs on schedule, only what the test asks for. Each probe moves
      // the clock by a second, so the intervals are an hour: a probe must never make a check due
      // (a scheduled run racing the probe would confirm the pending change early).
      const clock = createFakeClock(Date.UTC(2026, 10, 27, 12));
      const hour = 3_600_000;
      const defs = [
        fastCheck({
          id: 'dead',
          name: 'managed pi:gamma-ssh',
          ref: '7-ssh',
          type: 'tcp',
          params: { host: '127.0.0.1', port: dead.port },
          downRetries: 1,
          intervalMs: hour,
          retryIntervalMs: hour,
        }),
        fastCheck({
          id: 'shaky',
          name: 'managed pi:delta-ssh',
          ref: '8-ssh',
          type: 'tcp',
          params: { host: '127.0.0.1', port: shaky.port },
          downRetries: 2,
          intervalMs: hour,
          retryIntervalMs: hour,
        }),
      ];

      const boot = async () => {
        const holder: { notifier: IrcNotifier | null } = { notifier: null };
        const monitoring = buildMonitoring(holder, { clock, persistence });
        const bot = buildBot(ircd.port, { clock, commands: monitoring.commands });
        holder.notifier = bot;
        bot.start();
        await waitFor(() => bot.online(), 10_000, 'the bot to join');
        defs.forEach((d) => monitoring.upsert(d));
        await monitoring.start();
        const probe = async (id: string) => {
          const before = monitoring.state(id)?.last?.at ?? -1;
          clock.advance(1_000);
          monitoring.runNow(id);
          await waitFor(
            () => (monitoring.state(id)?.last?.at ?? -1) > before,
            5_000,
            `a result for ${id}`,
          );
        };
        const shutdown = async () => {
          await monitoring.stop();
          await bot.close();
        };
        cleanup.push(shutdown);
        return { monitoring, probe, shutdown };
      };

      const one = await boot();
      await one.probe('dead');
      await one.probe('shaky');
      await dead.stop();
      await shaky.stop();
      await one.probe('dead');
      await one.probe('shaky');
      await listener.waitFor((h) => h.length >= 1, 10_000, 'the first alert');
      expect(one.monitoring.state('shaky')?.streak).toBe(1);
      await one.shutdown();

      const two = await boot();
      await two.probe('dead');
      await two.probe('shaky');
      await listener.waitFor((h) => h.length >= 2, 10_000, 'the confirmed alert');
      await dead.start();
      await shaky.start();
      await two.probe('dead');
      await two.probe('shaky');
      await listener.waitFor((h) => h.length >= 4, 10_000, 'both recoveries');
      await new Promise((r) => setTimeout(r, 1_000));
      await two.shutdown();

      const [first, ...rest] = listener.from('monbot');
      // Refused or reset: how a just-closed loopback port answers varies with the kernel's timing.
      expect(first).toMatch(
        new RegExp(
          `^managed pi:gamma-ssh \\[7-ssh\\]: 127\\.0\\.0\\.1 => connection (refused|reset) on port ${dead.port}$`,
        ),
      );
      expect(rest).toEqual([
        `managed pi:delta-ssh [8-ssh]: 127.0.0.1 => connection refused on port ${shaky.port}`,
        'managed pi:gamma-ssh [7-ssh]: back to normal',
        'managed pi:delta-ssh [8-ssh]: back to normal',
      ]);
    } finally {
      for (const c of cleanup.reverse()) await c();
    }
  }, 90_000);
});
