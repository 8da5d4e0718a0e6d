// Flapping on a real InspIRCd channel: a check that alternates is announced once as flapping,
// then nothing while it flaps, and one line when it settles (no "back to normal" after it).
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/core/clock.js';
import type { Check, CheckRegistry, IrcNotifier, ProbeResult } from '../../src/monitoring/index.js';
import { checks as realChecks } from '../../src/monitoring/index.js';
import { missingTools } from '../support/tools.js';
import { buildBot, buildMonitoring, channel, fastCheck, waitFor } from './support/bot.js';
import { createIrcd } from './support/ircd.js';
import { listen } from './support/listener.js';

const skip = missingTools('inspircd').length > 0;

describe.skipIf(skip)('flapping on InspIRCd', () => {
  it('says once that it flaps, stays quiet while it does, and says when it settled', async () => {
    const ircd = await createIrcd('inspircd');
    await ircd.start();
    const listener = await listen(ircd.port, channel);
    const cleanup: Array<() => unknown> = [() => ircd.kill(), () => listener.close()];
    try {
      const clock = createFakeClock(Date.UTC(2026, 10, 27, 12));
      let next: ProbeResult = { status: 'up', message: 'connected' };
      let runs = 0;
      const scripted: Check = {
        type: 'tcp',
        hostOf: () => 'scripted',
        run: async () => {
          runs++;
          return next;
        },
      };
      const holder: { notifier: IrcNotifier | null } = { notifier: null };
      const monitoring = buildMonitoring(holder, {
        clock,
        checks: { ...realChecks, tcp: scripted } as CheckRegistry,
      });
      const bot = buildBot(ircd.port, { clock });
      holder.notifier = bot;
      cleanup.push(
        () => bot.close(),
        () => monitoring.stop(),
      );
      bot.start();
      await waitFor(() => bot.online(), 10_000, 'the bot to join');
      monitoring.upsert(
        fastCheck({
          id: 'web',
          name: 'managed pi:alpha-web',
          ref: '101-web',
          type: 'tcp',
          params: { host: '10.0.0.1', port: 80 },
          intervalMs: 3_600_000,
          downRetries: 1,
          upRetries: 1,
          flapDetection: true,
        }),
      );
      await monitoring.start();
      const probe = async (status: 'up' | 'down') => {
        next =
          status === 'up'
            ? { status, message: 'Status 200' }
            : { status, message: 'Status 503 (Service Unavailable)' };
        clock.advance(60_000);
        const before = runs;
        // runNow is ignored while the previous run is still being handed back: ask until it runs.
        await waitFor(
          () => {
            if (runs === before) monitoring.runNow('web');
            return runs > before && monitoring.state('web')?.last?.status === status;
          },
          5_000,
          `a ${status} result`,
        );
      };
      // A 200/503 alternation, as a load balancer with one bad backend gives, then it settles.
      for (let i = 0; i < 30; i++) await probe(i % 2 ? 'down' : 'up');
      for (let i = 0; i < 30; i++) await probe('up');
      const end = 'managed pi:alpha-web [101-web]: stopped flapping, now up';
      await listener.waitFor((h) => h.some((x) => x.text === end), 20_000, 'the end of flapping');
      await new Promise((r) => setTimeout(r, 1_500));

      // Thirty results arrive within seconds here (a fake clock), so the flood queue gathers the
      // early transitions into summary lines; the start of flapping may be one of their items.
      const said = listener.from('monbot');
      const starts = said.filter((l) => /\[101-web\]:? flapping/.test(l));
      expect(starts).toHaveLength(1);
      // Nothing between the start and the end of flapping, and the end is the last word: no
      // "back to normal" after "now up".
      expect(said.slice(said.indexOf(starts[0]!) + 1)).toEqual([end]);
      expect(said.length).toBeLessThanOrEqual(5);
      expect(bot.stats()).toMatchObject({ connects: 1, floodKills: 0, online: true });
    } finally {
      for (const c of cleanup.reverse()) await c();
    }
  }, 60_000);
});
