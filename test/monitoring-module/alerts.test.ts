// A customer's check failing and recovering, through the whole app and a real InspIRCd: exactly the
// expected lines on the operators' channel and on the customer's own destinations (IRC channel,
// email over a real SMTP receiver, JSON, Slack and Matrix webhooks), nothing for another customer;
// and the operators' !ack and !silence on the wire.
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import { missingTools } from '../support/tools.js';
import type { Ircd } from '../monitoring/support/ircd.js';
import { createIrcd } from '../monitoring/support/ircd.js';
import type { Listener } from '../monitoring/support/listener.js';
import { listen } from '../monitoring/support/listener.js';
import { smtpReceiver } from '../monitoring/support/smtp.js';
import { portTarget } from '../monitoring/support/targets.js';
import { actorFor, probe, quick, waitFor } from './support.js';

const skip = missingTools('inspircd').length > 0;

/** A webhook receiver that keeps every JSON body, with the method and path it came on. */
async function hookServer() {
  const bodies: Array<Record<string, unknown>> = [];
  const requests: Array<{ method: string; path: string; body: Record<string, unknown> }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      bodies.push(body);
      requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    requests,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe.skipIf(skip)('alerts through the module on InspIRCd', () => {
  let ircd: Ircd;
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
  const listeners: Record<'ops' | 'a' | 'b', Listener> = {} as never;
  const cleanup: Array<() => unknown> = [];

  beforeAll(async () => {
    ircd = await createIrcd('inspircd');
    await ircd.start();
    cleanup.push(() => ircd.kill());
    listeners.ops = await listen(ircd.port, '#ops', 'opswatch');
    listeners.a = await listen(ircd.port, '#cust-a', 'awatch');
    listeners.b = await listen(ircd.port, '#cust-b', 'bwatch');
    for (const l of Object.values(listeners)) cleanup.push(() => l.close());
    smtp = await smtpReceiver();
    cleanup.push(() => smtp.close());
    t = await buildTestApp({
      config: {
        mail: { smtpUrl: smtp.url, from: 'monitoring@provider.example' },
        monitoring: {
          // The targets live on loopback, which customers may not probe by default.
          allowPrivateTargets: true,
          irc: { host: '127.0.0.1', port: ircd.port, tls: false, nick: 'monbot' },
          operators: { channel: '#ops', emails: ['noc@provider.example'] },
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

  it('tells the operators and the owner, and nobody else', async () => {
    const { monitoring } = t.app;
    const alice = await buildAccount(t.app);
    const bob = await buildAccount(t.app);
    const hook = await hookServer();
    cleanup.push(() => hook.close());
    await monitoring.destinations.add(actorFor(alice.id), { kind: 'irc', target: '#cust-a' });
    await monitoring.destinations.add(actorFor(alice.id), {
      kind: 'webhook',
      target: hook.url,
      format: 'json',
    });
    await monitoring.destinations.add(actorFor(bob.id), { kind: 'irc', target: '#cust-b' });
    await monitoring.start();
    const irc = monitoring.irc!;
    await waitFor(
      () => ['#ops', '#cust-a', '#cust-b'].every((c) => irc.stats().joined.includes(c)),
      15_000,
      'the bot in every channel',
    );

    const aliceTarget = await portTarget();
    const bobTarget = await portTarget();
    cleanup.push(
      () => aliceTarget.close(),
      () => bobTarget.close(),
    );
    const mine = await monitoring.checks.create(actorFor(alice.id), {
      name: 'alice shop',
      type: 'tcp',
      params: { host: '127.0.0.1', port: aliceTarget.port },
      ...quick,
    });
    const theirs = await monitoring.checks.create(actorFor(bob.id), {
      name: 'bob blog',
      type: 'tcp',
      params: { host: '127.0.0.1', port: bobTarget.port },
      ...quick,
    });
    await probe(t.app, t.clock, mine.id);
    await probe(t.app, t.clock, theirs.id);
    expect(monitoring.engine.state(mine.id)?.hard).toBe('up');

    await aliceTarget.stop();
    await probe(t.app, t.clock, mine.id);
    await listeners.ops.waitFor((h) => h.length >= 1, 15_000, 'the problem line');
    await aliceTarget.start();
    await probe(t.app, t.clock, mine.id);
    await probe(t.app, t.clock, theirs.id);
    await listeners.ops.waitFor((h) => h.length >= 2, 15_000, 'back to normal');
    await listeners.a.waitFor((h) => h.length >= 2, 15_000, 'the customer’s lines');
    await waitFor(() => hook.bodies.length >= 2, 15_000, 'both webhooks');
    // Time for anything that should not arrive to arrive.
    await new Promise((r) => setTimeout(r, 1_500));

    const expected = [
      `alice shop [${mine.ref}]: 127.0.0.1 => connection refused on port ${aliceTarget.port}`,
      `alice shop [${mine.ref}]: back to normal`,
    ];
    expect(listeners.ops.from('monbot')).toEqual(expected);
    expect(listeners.a.from('monbot')).toEqual(expected);
    expect(listeners.b.from('monbot')).toEqual([]);
    expect(hook.bodies.map((b) => [b.kind, b.line, b.source])).toEqual([
      ['problem', expected[0], 'bestiary'],
      ['recovery', expected[1], 'bestiary'],
    ]);
    expect(ircd.log()).not.toMatch(/Excess Flood/);
    const history = await monitoring.checks.get(actorFor(alice.id), mine.id);
    expect(history.alerts.map((a) => a.line).reverse()).toEqual(expected);
    // The operators' address hears every alert by email too.
    await waitFor(() => smtp.mails.length >= 2, 15_000, 'the operators’ emails');
    expect(smtp.mails.map((m) => [m.to.join(), m.subject, m.text.split('\n')[0]])).toEqual([
      ['noc@provider.example', `[PROBLEM] alice shop [${mine.ref}]`, expected[0]],
      ['noc@provider.example', `[RECOVERY] alice shop [${mine.ref}]`, expected[1]],
    ]);
  });

  it('emails the owner and posts Slack and Matrix webhooks; another customer gets nothing', async () => {
    const { monitoring } = t.app;
    const carol = await buildAccount(t.app);
    const dave = await buildAccount(t.app);
    const hook = await hookServer();
    cleanup.push(() => hook.close());
    const base = hook.url.replace(/\/hook$/, '');
    await monitoring.destinations.add(actorFor(carol.id), {
      kind: 'email',
      target: 'carol@customer.example',
    });
    await monitoring.destinations.add(actorFor(carol.id), {
      kind: 'webhook',
      target: `${base}/slack/T000/B000`,
      format: 'slack',
    });
    await monitoring.destinations.add(actorFor(carol.id), {
      kind: 'webhook',
      target: `${base}/_matrix/client/v3/rooms/!alerts:example/send/m.room.message`,
      format: 'matrix',
    });
    await monitoring.destinations.add(actorFor(dave.id), {
      kind: 'email',
      target: 'dave@customer.example',
    });
    const target = await portTarget();
    cleanup.push(() => target.close());
    const check = await monitoring.checks.create(actorFor(carol.id), {
      name: 'carol api',
      type: 'tcp',
      params: { host: '127.0.0.1', port: target.port },
      ...quick,
    });
    const mailsBefore = smtp.mails.length;
    await probe(t.app, t.clock, check.id);
    await target.stop();
    await probe(t.app, t.clock, check.id);
    await target.start();
    await probe(t.app, t.clock, check.id);
    const mails = () => smtp.mails.slice(mailsBefore);
    await waitFor(() => mails().length >= 4, 15_000, 'two emails each for carol and the NOC');
    await waitFor(() => hook.requests.length >= 4, 15_000, 'two Slack and two Matrix posts');
    await new Promise((r) => setTimeout(r, 1_000));

    const problem = `carol api [${check.ref}]: 127.0.0.1 => connection refused on port ${target.port}`;
    const recovery = `carol api [${check.ref}]: back to normal`;
    const carolMail = mails().filter((m) => m.to.includes('carol@customer.example'));
    expect(carolMail.map((m) => [m.from, m.subject, m.text.split('\n')[0]])).toEqual([
      ['monitoring@provider.example', `[PROBLEM] carol api [${check.ref}]`, problem],
      ['monitoring@provider.example', `[RECOVERY] carol api [${check.ref}]`, recovery],
    ]);
    expect(mails().filter((m) => m.to.includes('noc@provider.example'))).toHaveLength(2);
    expect(mails().filter((m) => m.to.includes('dave@customer.example'))).toEqual([]);
    const slack = hook.requests.filter((r) => r.path.startsWith('/slack/'));
    expect(slack.map((r) => [r.method, r.body])).toEqual([
      ['POST', { text: problem }],
      ['POST', { text: recovery }],
    ]);
    const matrix = hook.requests.filter((r) => r.path.startsWith('/_matrix/'));
    expect(matrix.map((r) => [r.method, r.body.msgtype, r.body.body])).toEqual([
      ['PUT', 'm.notice', problem],
      ['PUT', 'm.notice', recovery],
    ]);
    // Matrix wants a transaction id per event, so a retried PUT is not posted twice.
    expect(new Set(matrix.map((r) => r.path)).size).toBe(2);
  });

  it('takes !ack and !silence from the operators’ channel only, and remembers who', async () => {
    const { monitoring } = t.app;
    const erin = await buildAccount(t.app);
    const target = await portTarget();
    cleanup.push(() => target.close());
    const check = await monitoring.checks.create(actorFor(erin.id), {
      name: 'erin db',
      type: 'tcp',
      params: { host: '127.0.0.1', port: target.port },
      ...quick,
    });
    await probe(t.app, t.clock, check.id);
    await target.stop();
    await probe(t.app, t.clock, check.id);
    expect(monitoring.engine.state(check.id)?.hard).toBe('down');
    const ops = listeners.ops;
    const seen = ops.from('monbot').length;
    const said = () => ops.from('monbot').slice(seen);
    await ops.waitFor(() => said().length >= 1, 15_000, 'the problem line');

    // A customer's channel may not command the bot: it does not answer, and nothing changes.
    listeners.a.say(`!ack ${check.ref} not mine`);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(monitoring.engine.state(check.id)?.ack ?? null).toBeNull();

    ops.say(`!ack ${check.ref} looking at it`);
    await ops.waitFor(() => said().length >= 2, 15_000, 'the ack reply');
    ops.say(`!silence ${check.ref} 2h disk swap`);
    await ops.waitFor(() => said().length >= 3, 15_000, 'the silence reply');
    ops.say('!silence nonsense 2h');
    await ops.waitFor(() => said().length >= 4, 15_000, 'the unknown-check reply');
    expect(said()).toEqual([
      `erin db [${check.ref}]: 127.0.0.1 => connection refused on port ${target.port}`,
      `erin db [${check.ref}]: acknowledged by opswatch`,
      `erin db [${check.ref}]: silenced for 2h by opswatch (disk swap)`,
      expect.stringMatching(/nonsense/),
    ]);
    expect(listeners.a.from('monbot').filter((l) => l.includes('erin'))).toEqual([]);
    const state = monitoring.engine.state(check.id);
    expect(state?.ack?.by).toBe('opswatch');
    expect(state?.silence?.reason).toBe('disk swap');
    const page = await monitoring.checks.get(actorFor(erin.id), check.id);
    expect(JSON.stringify(page)).toContain('opswatch (IRC)');
  });
});
