// A customer's check failing and recovering, through the whole app and a real InspIRCd: exactly the
// expected lines on the operators' channel and on the customer's own destinations (IRC channel and
// webhook), and nothing for another customer.
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
import { portTarget } from '../monitoring/support/targets.js';
import { actorFor, probe, quick, waitFor } from './support.js';

const skip = missingTools('inspircd').length > 0;

/** A webhook receiver that keeps every JSON body. */
async function hookServer() {
  const bodies: Array<Record<string, unknown>> = [];
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as Record<string, unknown>);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe.skipIf(skip)('alerts through the module on InspIRCd', () => {
  let ircd: Ircd;
  let t: TestApp;
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
    t = await buildTestApp({
      config: {
        monitoring: {
          // The targets live on loopback, which customers may not probe by default.
          allowPrivateTargets: true,
          irc: { host: '127.0.0.1', port: ircd.port, tls: false, nick: 'monbot' },
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
  });
});
