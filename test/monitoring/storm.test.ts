// An alert storm and a long burst against InspIRCd, which really disconnects flooding clients.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/tools.js';
import type { Alert, IrcNotifier } from '../../src/monitoring/index.js';
import { buildBot, buildMonitoring, channel, fastCheck, waitFor } from './support/bot.js';
import type { Ircd } from './support/ircd.js';
import { createIrcd } from './support/ircd.js';
import type { Listener } from './support/listener.js';
import { listen } from './support/listener.js';
import { portTarget } from './support/targets.js';

const skip = missingTools('inspircd').length > 0;

describe.skipIf(skip)('on InspIRCd', () => {
  let ircd: Ircd;
  let listener: Listener;
  beforeAll(async () => {
    ircd = await createIrcd('inspircd');
    await ircd.start();
    listener = await listen(ircd.port, channel);
  });
  afterAll(async () => {
    listener.close();
    await ircd.kill();
  });

  it('really disconnects a client that floods, so the pacing tests mean something', async () => {
    const text = await new Promise<string>((resolve) => {
      let got = '';
      const s = connect(ircd.port, '127.0.0.1', () => {
        s.write('NICK flooder\r\nUSER f 0 * :f\r\n');
        setTimeout(
          () =>
            s.write(
              Array.from({ length: 40 }, (_, i) => `PRIVMSG ${channel} :line ${i}\r\n`).join(''),
            ),
          300,
        );
      });
      s.setEncoding('utf8');
      s.on('data', (d: string) => (got += d));
      s.on('close', () => resolve(got));
      s.on('error', () => undefined);
    });
    expect(text).toContain('Excess Flood');
  });

  it('groups 1,000 failing checks behind one parent into at most 5 lines, staying connected', async () => {
    const host = await portTarget();
    const services = await portTarget();
    const holder: { notifier: IrcNotifier | null } = { notifier: null };
    const monitoring = buildMonitoring(holder, {
      options: { perHostLimit: 16, alerting: { groupIntervalMs: 5_000 } },
    });
    const bot = buildBot(ircd.port, { commands: monitoring.commands });
    holder.notifier = bot;
    bot.start();
    await waitFor(() => bot.online(), 10_000, 'the bot to join');
    monitoring.upsert(
      fastCheck({
        id: 'host',
        name: 'managed pi:rack3',
        ref: '300-host',
        type: 'tcp',
        params: { host: '127.0.0.1', port: host.port },
        intervalMs: 5_000,
        downRetries: 1,
      }),
    );
    const kids = Array.from({ length: 1000 }, (_, i) => `svc${i}`);
    for (const id of kids)
      monitoring.upsert(
        fastCheck({
          id,
          name: `managed pi:rack3-${id}`,
          ref: `300-${id}`,
          parentId: 'host',
          type: 'tcp',
          params: { host: '127.0.0.1', port: services.port },
          intervalMs: 5_000,
          retryIntervalMs: 1_000,
        }),
      );
    await monitoring.start();
    await waitFor(
      () => ['host', ...kids].every((id) => monitoring.state(id)?.hard === 'up'),
      20_000,
      'all checks up',
    );

    const before = listener.from('monbot').length;
    await Promise.all([host.stop(), services.stop()]);
    await waitFor(
      () => kids.every((id) => monitoring.state(id)?.suppressedBy === 'host'),
      30_000,
      'every child behind the parent',
    );
    await new Promise((r) => setTimeout(r, 8_000));
    const storm = listener.from('monbot').slice(before);
    expect(storm.length).toBeGreaterThanOrEqual(1);
    expect(storm.length).toBeLessThanOrEqual(5);
    expect(storm[0]).toMatch(
      /^managed pi:rack3 \[300-host\]: 127\.0\.0\.1 => connection refused on port \d+ \(\+\d+ dependent checks down\)$/,
    );
    expect(storm.at(-1)).toMatch(/dependent checks down/);

    listener.say('!status');
    await listener.waitFor(
      (h) =>
        h.some((x) =>
          x.text.startsWith(
            '1001 checks: 0 up, 1001 down (0 acknowledged, 1000 behind a down parent)',
          ),
        ),
      10_000,
      '!status reply',
    );

    await Promise.all([host.start(), services.start()]);
    await listener.waitFor(
      (h) => h.some((x) => x.text === 'managed pi:rack3 [300-host]: back to normal'),
      20_000,
      'parent back to normal',
    );
    await waitFor(
      () => kids.every((id) => monitoring.state(id)?.hard === 'up'),
      30_000,
      'children up again',
    );
    await new Promise((r) => setTimeout(r, 2_000));
    const after = listener
      .from('monbot')
      .slice(before)
      .filter((l) => !l.startsWith('1001 checks'));
    expect(after.length).toBeLessThanOrEqual(5);
    expect(bot.stats()).toMatchObject({ connects: 1, floodKills: 0, online: true });
    expect(listener.quits.filter((q) => q.startsWith('monbot'))).toEqual([]);

    await monitoring.stop();
    await bot.close();
    host.close();
    services.close();
  }, 120_000);

  it('paces a long burst so InspIRCd never sees a flood', async () => {
    const bot = buildBot(ircd.port, {}, { nick: 'pacebot', flood: { summariseAbove: 1_000 } });
    bot.start();
    await waitFor(() => bot.online(), 10_000, 'the bot to join');
    const alerts: Alert[] = Array.from({ length: 16 }, (_, i) => ({
      id: `p${i}`,
      kind: 'problem',
      checkId: `c${i}`,
      accountId: null,
      label: `managed pi:p${i}-ssh [${i}-ssh]`,
      line: `managed pi:p${i}-ssh [${i}-ssh]: 10.0.0.${i} => connection refused on port 22`,
      at: Date.now(),
    }));
    await Promise.all(alerts.map((a) => bot.send(channel, a)));
    await listener.waitFor(() => listener.from('pacebot').length === 16, 30_000, '16 paced lines');
    expect(listener.from('pacebot')).toEqual(alerts.map((a) => a.line));
    expect(bot.stats()).toMatchObject({ connects: 1, floodKills: 0, online: true });
    await bot.close();
  }, 60_000);
});
