// An IRC outage: the bot really reconnects and rejoins; what happened meanwhile arrives in order, collapsed.
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../src/core/clock.js';
import type {
  Alert,
  Check,
  CheckRegistry,
  IrcNotifier,
  ProbeResult,
} from '../../src/monitoring/index.js';
import { checks as realChecks } from '../../src/monitoring/index.js';
import { missingTools } from '../support/tools.js';
import { buildBot, buildMonitoring, channel, fastCheck, waitFor } from './support/bot.js';
import { createGate, createIrcd } from './support/ircd.js';
import { listen } from './support/listener.js';

const skip = missingTools('inspircd').length > 0;

/** Checks whose results the test sets; runs are counted so the test knows when one happened. */
function scriptedChecks() {
  const results = new Map<string, ProbeResult>();
  const runs = new Map<string, number>();
  const fake: Check = {
    type: 'tcp',
    hostOf: () => 'scripted',
    run: async (_p, ctx) => {
      runs.set(ctx.checkId, (runs.get(ctx.checkId) ?? 0) + 1);
      return results.get(ctx.checkId) ?? { status: 'up', message: 'connected' };
    },
  };
  return { results, runs, registry: { ...realChecks, tcp: fake } as CheckRegistry };
}

describe.skipIf(skip)('IRC outage on InspIRCd', () => {
  it('reconnects, rejoins, and delivers the outage in order and collapsed; the fallback hears it after 2 minutes', async () => {
    const ircd = await createIrcd('inspircd');
    await ircd.start();
    const gate = await createGate(ircd.port);
    const first = await listen(ircd.port, channel);
    const cleanup: Array<() => unknown> = [
      () => ircd.kill(),
      () => gate.close(),
      () => first.close(),
    ];
    try {
      const clock = createFakeClock(Date.UTC(2026, 10, 27, 12));
      const scripted = scriptedChecks();
      const fallback: string[] = [];
      const holder: { notifier: IrcNotifier | null } = { notifier: null };
      const monitoring = buildMonitoring(holder, { clock, checks: scripted.registry });
      const bot = buildBot(gate.port, {
        clock,
        commands: monitoring.commands,
        fallback: async (a: Alert) => void fallback.push(a.line),
      });
      holder.notifier = bot;
      cleanup.push(
        () => bot.close(),
        () => monitoring.stop(),
      );
      bot.start();
      await waitFor(() => bot.online(), 10_000, 'the bot to join');
      for (const id of ['a', 'b', 'c'])
        monitoring.upsert(
          fastCheck({
            id,
            type: 'tcp',
            params: { host: '10.0.0.1', port: 22 },
            intervalMs: 3_600_000,
            downRetries: 1,
          }),
        );
      await monitoring.start();
      const probe = async (id: string, status: 'up' | 'down') => {
        scripted.results.set(
          id,
          status === 'up'
            ? { status, message: 'connected' }
            : { status, message: 'connection refused on port 22' },
        );
        const before = scripted.runs.get(id) ?? 0;
        monitoring.runNow(id);
        await waitFor(
          () =>
            (scripted.runs.get(id) ?? 0) > before && monitoring.state(id)?.last?.status === status,
          5_000,
          `${id} ${status}`,
        );
      };
      for (const id of ['a', 'b', 'c']) await probe(id, 'up');

      gate.setOpen(false);
      await ircd.kill();
      await waitFor(() => !bot.online(), 10_000, 'the bot to notice');
      clock.advance(30_000);
      await probe('a', 'down');
      await probe('b', 'down');
      clock.advance(60_000);
      await probe('a', 'up');
      clock.advance(20_000);
      await probe('c', 'down');
      expect(fallback).toEqual([]);
      clock.advance(31_000);
      await waitFor(() => fallback.length === 3, 5_000, 'the fallback after 2 minutes');

      await ircd.start();
      const second = await listen(ircd.port, channel);
      cleanup.push(() => second.close());
      gate.setOpen(true);
      await waitFor(() => bot.online(), 60_000, 'the bot to rejoin within 60 s');
      await second.waitFor(() => second.from('monbot').length >= 3, 20_000, 'the queued lines');
      await new Promise((r) => setTimeout(r, 1_500));

      const expected = [
        'managed pi:a [a]: was down 1m, back to normal',
        'managed pi:b [b]: 127.0.0.1 => connection refused on port 22',
        'managed pi:c [c]: 127.0.0.1 => connection refused on port 22',
      ];
      expect(second.from('monbot')).toEqual(expected);
      expect(fallback).toEqual(expected);
      expect(bot.stats().connects).toBeGreaterThan(1);
      expect(monitoring.snapshot().outbox).toEqual([]);
    } finally {
      for (const c of cleanup.reverse()) await c();
    }
  }, 120_000);
});
