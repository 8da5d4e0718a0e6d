// Failures and recoveries reach a real IRC channel as exactly the expected lines (InspIRCd and ngIRCd).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/tools.js';
import type { IrcNotifier } from '../../src/monitoring/index.js';
import { buildBot, buildMonitoring, channel, fastCheck, waitFor } from './support/bot.js';
import type { Ircd } from './support/ircd.js';
import { createIrcd } from './support/ircd.js';
import type { Listener } from './support/listener.js';
import { listen } from './support/listener.js';
import { bannerTarget, httpTarget, portTarget } from './support/targets.js';

describe.each(['inspircd', 'ngircd'] as const)('alerts on %s', (kind) => {
  const skip = missingTools(kind).length > 0;
  let ircd: Ircd;
  let listener: Listener;
  let bot: IrcNotifier;
  let monitoring: ReturnType<typeof buildMonitoring>;
  let beats: NodeJS.Timeout;
  let targets: {
    ssh: Awaited<ReturnType<typeof bannerTarget>>;
    web: Awaited<ReturnType<typeof httpTarget>>;
    port: Awaited<ReturnType<typeof portTarget>>;
  };

  beforeAll(async () => {
    if (skip) return;
    ircd = await createIrcd(kind);
    await ircd.start();
    listener = await listen(ircd.port, channel);
    targets = { ssh: await bannerTarget(), web: await httpTarget(), port: await portTarget() };
    const holder: { notifier: IrcNotifier | null } = { notifier: null };
    monitoring = buildMonitoring(holder);
    bot = buildBot(ircd.port, { commands: monitoring.commands });
    holder.notifier = bot;
    bot.start();
    await waitFor(() => bot.online(), 10_000, 'the bot to join');
    monitoring.upsert(
      fastCheck({
        id: 'ssh',
        name: 'managed pi:alpha-ssh',
        ref: '101-ssh',
        type: 'ssh',
        params: { host: '127.0.0.1', port: targets.ssh.port },
      }),
    );
    monitoring.upsert(
      fastCheck({
        id: 'web',
        name: 'managed pi:alpha-web',
        ref: '101-web',
        where: '',
        type: 'http',
        params: { url: `http://127.0.0.1:${targets.web.port}/` },
      }),
    );
    monitoring.upsert(
      fastCheck({
        id: 'port',
        name: 'managed pi:alpha-port',
        ref: '101-port',
        type: 'tcp',
        params: { host: '127.0.0.1', port: targets.port.port },
      }),
    );
    monitoring.upsert(
      fastCheck({
        id: 'hb',
        name: 'backup alpha-nightly',
        ref: '101-backup',
        where: '',
        type: 'push',
        params: { periodMs: 1_000, graceMs: 500 },
      }),
    );
    monitoring.beat('hb');
    beats = setInterval(() => monitoring.beat('hb'), 250);
    await monitoring.start();
    await waitFor(
      () => ['ssh', 'web', 'port', 'hb'].every((id) => monitoring.state(id)?.hard === 'up'),
      10_000,
      'all checks up',
    );
  });

  afterAll(async () => {
    if (skip) return;
    clearInterval(beats);
    await monitoring.stop();
    await bot.close();
    listener.close();
    Object.values(targets).forEach((t) => t.close());
    await ircd.kill();
  });

  const said = () => listener.from('monbot');
  const hear = (pattern: RegExp) =>
    listener.waitFor(() => said().some((l) => pattern.test(l)), 20_000, String(pattern));

  it.skipIf(skip)(
    'says exactly one problem and one back to normal for each kind of failure',
    async () => {
      targets.ssh.set('HTTP/1.0 400 Bad Request');
      await hear(/101-ssh\]: 127/);
      targets.ssh.set('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3');
      await hear(/101-ssh\]: back to normal/);

      targets.web.set(404);
      await hear(/101-web\]: =>/);
      targets.web.set(200);
      await hear(/101-web\]: back to normal/);

      await targets.port.stop();
      await hear(/101-port\]: 127/);
      await targets.port.start();
      await hear(/101-port\]: back to normal/);

      clearInterval(beats);
      await hear(/101-backup\]: =>/);
      monitoring.beat('hb');
      beats = setInterval(() => monitoring.beat('hb'), 250);
      await hear(/101-backup\]: back to normal/);

      const lines = said();
      expect(lines.slice(0, 6)).toEqual([
        "managed pi:alpha-ssh [101-ssh]: 127.0.0.1 => bad banner from `127.0.0.1': HTTP/1.0 400 Bad Request",
        'managed pi:alpha-ssh [101-ssh]: back to normal',
        'managed pi:alpha-web [101-web]: => Status 404 (<html> <head><title>404 Not Found</title></head> ...)',
        'managed pi:alpha-web [101-web]: back to normal',
        `managed pi:alpha-port [101-port]: 127.0.0.1 => connection refused on port ${targets.port.port}`,
        'managed pi:alpha-port [101-port]: back to normal',
      ]);
      expect(lines[6]).toMatch(
        /^backup alpha-nightly \[101-backup\]: => no beat for \d+s \(expected every 1s\)$/,
      );
      expect(lines.slice(7)).toEqual(['backup alpha-nightly [101-backup]: back to normal']);
    },
  );

  it.skipIf(skip)('answers !status in the channel', async () => {
    listener.say('!status 101-port');
    await hear(/^managed pi:alpha-port \[101-port\]: up for/);
    expect(bot.stats().connects).toBe(1);
  });
});
