// The bot over TLS to a real InspIRCd (ssl_gnutls, self-signed): it refuses the certificate by
// default, and once told to accept it, it joins and delivers alerts that a plain client hears.
import { describe, expect, it } from 'vitest';
import type { IrcNotifier } from '../../src/monitoring/index.js';
import { missingTools } from '../support/tools.js';
import { buildBot, buildMonitoring, channel, fastCheck, waitFor } from './support/bot.js';
import { createIrcd } from './support/ircd.js';
import { listen } from './support/listener.js';
import { portTarget } from './support/targets.js';

const skip = missingTools('inspircd', 'openssl').length > 0;

describe.skipIf(skip)('IRC over TLS on InspIRCd', () => {
  it('refuses an untrusted certificate, and alerts over TLS once told to accept it', async () => {
    const ircd = await createIrcd('inspircd', { tls: true });
    await ircd.start();
    const listener = await listen(ircd.port, channel);
    const target = await portTarget();
    const cleanup: Array<() => unknown> = [
      () => ircd.kill(),
      () => listener.close(),
      () => target.close(),
    ];
    try {
      const strict = buildBot(ircd.tlsPort!, {}, { tls: true, nick: 'strictbot' });
      cleanup.push(() => strict.close());
      strict.start();

      const holder: { notifier: IrcNotifier | null } = { notifier: null };
      const monitoring = buildMonitoring(holder);
      const bot = buildBot(ircd.tlsPort!, {}, { tls: true, rejectUnauthorized: false });
      holder.notifier = bot;
      cleanup.push(
        () => bot.close(),
        () => monitoring.stop(),
      );
      bot.start();
      await waitFor(() => bot.online(), 15_000, 'the bot to join over TLS');
      monitoring.upsert(
        fastCheck({
          id: 'tls-port',
          type: 'tcp',
          params: { host: '127.0.0.1', port: target.port },
        }),
      );
      await monitoring.start();
      await waitFor(() => monitoring.state('tls-port')?.hard === 'up', 10_000, 'up');
      await target.stop();
      const line = `managed pi:tls-port [tls-port]: 127.0.0.1 => connection refused on port ${target.port}`;
      await listener.waitFor((h) => h.some((x) => x.text === line), 15_000, 'the problem line');

      expect(listener.from('monbot')).toEqual([line]);
      expect(bot.stats()).toMatchObject({ connects: 1, online: true });
      // The one that verifies the certificate kept trying and never got in.
      expect(strict.online()).toBe(false);
      expect(strict.stats().connects).toBeGreaterThan(1);
      expect(strict.stats().joined).toEqual([]);
    } finally {
      for (const c of cleanup.reverse()) await c();
    }
  }, 60_000);
});
