// IRC unreachable for more than two minutes: the operators (every active administrator, when no
// operator address is set) get the alert by email over a real SMTP receiver, once, marked as such.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import { freePort } from '../support/server.js';
import { smtpReceiver } from '../monitoring/support/smtp.js';
import { portTarget } from '../monitoring/support/targets.js';
import { actorFor, probe, quick, waitFor } from './support.js';

describe('the IRC fallback through the module', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
  const cleanup: Array<() => unknown> = [];

  beforeAll(async () => {
    smtp = await smtpReceiver();
    cleanup.push(() => smtp.close());
    // Nothing listens on this port: the bot never gets in.
    const deadIrc = await freePort();
    t = await buildTestApp({
      config: {
        mail: { smtpUrl: smtp.url, from: 'monitoring@provider.example' },
        monitoring: {
          allowPrivateTargets: true,
          irc: { host: '127.0.0.1', port: deadIrc, tls: false, nick: 'monbot' },
          operators: { channel: '#ops' },
        },
      },
    });
    cleanup.push(
      () => t.close(),
      () => t.app.monitoring.stop(),
    );
  });
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('emails the administrators once IRC has been unreachable for two minutes', async () => {
    const admin = await buildAccount(t.app, { role: 'admin' });
    const customer = await buildAccount(t.app);
    await t.app.monitoring.start();
    const target = await portTarget();
    cleanup.push(() => target.close());
    const check = await t.app.monitoring.checks.create(actorFor(customer.id), {
      name: 'shop',
      type: 'tcp',
      params: { host: '127.0.0.1', port: target.port },
      ...quick,
    });
    await probe(t.app, t.clock, check.id);
    await target.stop();
    await probe(t.app, t.clock, check.id);
    expect(t.app.monitoring.engine.state(check.id)?.hard).toBe('down');

    // Under two minutes: still waiting for IRC.
    t.clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(smtp.mails).toEqual([]);

    t.clock.advance(61_000);
    await waitFor(() => smtp.mails.length >= 1, 10_000, 'the fallback email');
    await new Promise((r) => setTimeout(r, 1_500));
    const line = `shop [${check.ref}]: 127.0.0.1 => connection refused on port ${target.port}`;
    expect(smtp.mails.map((m) => [m.to.join(), m.subject, m.text.split('\n')[0]])).toEqual([
      [admin.email, `[PROBLEM] shop [${check.ref}]`, `${line} (IRC unreachable)`],
    ]);
    expect(t.app.monitoring.irc?.online()).toBe(false);
  });
});
