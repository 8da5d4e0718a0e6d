// The engine end to end in memory: probes to alerts, batched saves, restarts, beats and commands.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Check, CheckRegistry } from './checks/index.js';
import { checks as realChecks } from './checks/index.js';
import { createMonitoring } from './index.js';
import { memoryPersistence } from './persistence.js';
import type { Alert, CheckDefinition, ProbeResult } from './types.js';

const flush = () => new Promise((r) => setImmediate(r));

function tcpCheck(id: string, over: Partial<CheckDefinition> = {}): CheckDefinition {
  return {
    id,
    name: `managed pi:${id}-ssh`,
    ref: `${id}-ssh`,
    where: '10.0.0.9',
    accountId: null,
    type: 'tcp',
    params: { host: `10.0.0.${id.length}`, port: 22 },
    intervalMs: 60_000,
    retryIntervalMs: 10_000,
    downRetries: 1,
    upRetries: 1,
    timeoutMs: 5_000,
    flapDetection: false,
    ...over,
  } as CheckDefinition;
}

function setup(
  opts: {
    persistence?: ReturnType<typeof memoryPersistence>;
    hangNotify?: boolean;
    clockAt?: number;
  } = {},
) {
  const clock = createFakeClock(opts.clockAt ?? 0);
  const results = new Map<string, ProbeResult>();
  const fake: Check = {
    type: 'tcp',
    hostOf: () => 'h',
    run: async (_p, ctx) =>
      results.get(ctx.checkId) ?? { status: 'up', message: 'ok', latencyMs: 1 },
  };
  const registry = { ...realChecks, tcp: fake } as CheckRegistry;
  const sent: Alert[] = [];
  const persistence = opts.persistence ?? memoryPersistence();
  const m = createMonitoring({
    clock,
    logger: silentLogger,
    registry: new Registry(),
    persistence,
    checks: registry,
    notify: (a) =>
      opts.hangNotify ? new Promise(() => undefined) : (sent.push(a), Promise.resolve()),
    options: { perHostLimit: 100 },
  });
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += 1000) {
      clock.advance(1000);
      m.poll();
      m.tick();
      await flush();
    }
  };
  return { m, clock, results, sent, persistence, advance, lines: () => sent.map((a) => a.line) };
}

describe('monitoring engine', () => {
  it('turns a failing probe into one alert and a recovery into back to normal', async () => {
    const { m, results, advance, lines } = setup();
    m.upsert(tcpCheck('alpha'));
    await m.start();
    await advance(60_000);
    results.set('alpha', { status: 'down', message: 'connection refused on port 22' });
    await advance(120_000);
    results.delete('alpha');
    await advance(60_000);
    await m.stop();
    expect(lines()).toEqual([
      'managed pi:alpha-ssh [alpha-ssh]: 10.0.0.9 => connection refused on port 22',
      'managed pi:alpha-ssh [alpha-ssh]: back to normal',
    ]);
  });

  it('writes results in batches, not one write per check', async () => {
    const { m, advance, persistence } = setup();
    for (let i = 0; i < 200; i++) m.upsert(tcpCheck(`c${i}`));
    await m.start();
    await advance(60_000);
    await m.flush();
    await m.stop();
    expect(persistence.results).toBe(200);
    expect(persistence.batches).toBeLessThanOrEqual(3);
  });

  it('neither re-alerts a known-down check nor loses a pending transition after a restart', async () => {
    const persistence = memoryPersistence();
    const first = setup({ persistence });
    first.m.upsert(tcpCheck('down1'));
    first.m.upsert(tcpCheck('slow', { downRetries: 3, retryIntervalMs: 60_000 }));
    first.results.set('down1', { status: 'down', message: 'connection refused on port 22' });
    first.results.set('slow', { status: 'down', message: 'no answer within 5s on port 22' });
    await first.m.start();
    await first.advance(60_000);
    first.m.runNow('slow');
    await flush();
    expect(first.lines()).toEqual([
      'managed pi:down1-ssh [down1-ssh]: 10.0.0.9 => connection refused on port 22',
    ]);
    expect(first.m.state('slow')?.streak).toBe(2);
    await first.m.stop();

    const second = setup({ persistence, clockAt: first.clock.now() });
    second.m.upsert(tcpCheck('down1'));
    second.m.upsert(tcpCheck('slow', { downRetries: 3, retryIntervalMs: 60_000 }));
    second.results.set('down1', { status: 'down', message: 'connection refused on port 22' });
    second.results.set('slow', { status: 'down', message: 'no answer within 5s on port 22' });
    await second.m.start();
    second.m.runNow('down1');
    second.m.runNow('slow');
    await flush();
    await second.m.stop();
    expect(second.lines()).toEqual([
      'managed pi:slow-ssh [slow-ssh]: 10.0.0.9 => no answer within 5s on port 22',
    ]);
  });

  it('keeps undelivered alerts in the outbox and sends them after a restart', async () => {
    const persistence = memoryPersistence();
    const first = setup({ persistence, hangNotify: true });
    first.m.upsert(tcpCheck('a'));
    first.results.set('a', { status: 'down', message: 'connection refused on port 22' });
    await first.m.start();
    await first.advance(61_000);
    await first.m.stop();
    expect(persistence.saved.outbox.map((a: Alert) => a.kind)).toEqual(['problem']);
    const second = setup({ persistence });
    second.m.upsert(tcpCheck('a'));
    await second.m.start();
    await flush();
    await second.m.flush();
    await second.m.stop();
    expect(second.lines()).toEqual([
      'managed pi:a-ssh [a-ssh]: 10.0.0.9 => connection refused on port 22',
    ]);
    expect(persistence.saved.outbox).toEqual([]);
  });

  it('judges a heartbeat at once and alerts when the beats stop', async () => {
    const { m, advance, lines } = setup();
    m.upsert({
      ...tcpCheck('backup'),
      name: 'backup nightly',
      ref: 'b1-push',
      where: '',
      type: 'push',
      params: { periodMs: 120_000, graceMs: 30_000 },
    });
    await m.start();
    m.beat('backup');
    await advance(60_000);
    m.beat('b1-push');
    await advance(240_000);
    m.beat('backup');
    await advance(1_000);
    await m.stop();
    expect(lines()).toHaveLength(2);
    expect(lines()[0]).toMatch(
      /^backup nightly \[b1-push\]: => no beat for 2m\d\ds \(expected every 2m\)$/,
    );
    expect(lines()[1]).toBe('backup nightly [b1-push]: back to normal');
  });

  it('answers channel commands by id, ref or name, and politely for unknown checks', async () => {
    const { m, results, advance } = setup();
    m.upsert(tcpCheck('alpha'));
    results.set('alpha', { status: 'down', message: 'connection refused on port 22' });
    await m.start();
    await advance(61_000);
    expect(await m.commands.ack('alpha-ssh', 'alice', 'looking')).toBe(
      'managed pi:alpha-ssh [alpha-ssh]: acknowledged by alice',
    );
    expect(await m.commands.silence('nope', 60_000, 'bob', '')).toBe('check nope not found');
    expect(await m.commands.silence('managed pi:alpha-ssh', 7_200_000, 'bob', 'rebuild')).toBe(
      'managed pi:alpha-ssh [alpha-ssh]: silenced for 2h by bob (rebuild)',
    );
    expect((await m.commands.status(null))[0]).toMatch(
      /^1 checks: 0 up, 1 down \(1 acknowledged, 0 behind a down parent\), 0 unknown, 1 silenced\. Down: managed pi:alpha-ssh \[alpha-ssh\] \d+s$/,
    );
    await m.stop();
  });
});
