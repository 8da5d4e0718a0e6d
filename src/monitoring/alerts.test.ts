// What people are told: one line per hard transition, silences, acks, parents and storms.
import { describe, expect, it } from 'vitest';
import type { AlertWorld } from './alerts.js';
import { acknowledge, applyResult, setSilence, tick } from './alerts.js';
import { initialState } from './state.js';
import type { Alert, CheckDefinition, Status } from './types.js';

function def(id: string, over: Partial<CheckDefinition> = {}): CheckDefinition {
  return {
    id,
    name: `managed pi:${id}-ssh`,
    ref: `${id}-ssh`,
    where: '10.0.0.1',
    accountId: 'acct',
    intervalMs: 60_000,
    retryIntervalMs: 10_000,
    downRetries: 1,
    upRetries: 1,
    timeoutMs: 5_000,
    flapDetection: false,
    type: 'tcp',
    params: { host: '10.0.0.1', port: 22 },
    ...over,
  } as CheckDefinition;
}

function setup(defs: CheckDefinition[]) {
  const w: AlertWorld = {
    states: new Map(),
    defs: new Map(),
    children: new Map(),
    groups: new Map(),
    seq: 0,
  };
  for (const d of defs) {
    w.defs.set(d.id, d);
    w.states.set(d.id, initialState(0));
    if (d.parentId) w.children.set(d.parentId, (w.children.get(d.parentId) ?? new Set()).add(d.id));
  }
  const sent: Alert[] = [];
  const checkNow: string[] = [];
  const feed = (
    id: string,
    status: Status,
    at: number,
    message = 'connection refused on port 22',
  ) => {
    const out = applyResult(w, id, { status, message, at });
    sent.push(...out.alerts);
    checkNow.push(...out.checkNow);
    return out;
  };
  const advance = (at: number) => sent.push(...tick(w, at).alerts);
  const lines = () => sent.map((a) => a.line);
  return { w, feed, advance, lines, sent, checkNow };
}

describe('alerting', () => {
  it('sends exactly one problem and one back to normal per outage', () => {
    const { feed, lines } = setup([def('a', { downRetries: 2, upRetries: 2 })]);
    for (const [s, t] of [
      ['up', 1],
      ['down', 2],
      ['down', 3],
      ['down', 4],
      ['up', 5],
      ['down', 6],
      ['up', 7],
      ['up', 8],
      ['up', 9],
    ] as const)
      feed('a', s, t * 1000);
    expect(lines()).toEqual([
      'managed pi:a-ssh [a-ssh]: 10.0.0.1 => connection refused on port 22',
      'managed pi:a-ssh [a-ssh]: back to normal',
    ]);
  });

  it('dates a recovery from the first failure so a queued pair can say how long', () => {
    const { feed, sent } = setup([def('a', { downRetries: 3 })]);
    feed('a', 'up', 0);
    for (const t of [10_000, 20_000, 30_000]) feed('a', 'down', t);
    feed('a', 'up', 202_000);
    expect(sent.map((a) => [a.kind, a.downSince])).toEqual([
      ['problem', undefined],
      ['recovery', 10_000],
    ]);
  });

  it('keeps a silenced check quiet and alerts when the window ends with it still down', () => {
    const { w, feed, advance, lines } = setup([def('a')]);
    feed('a', 'up', 0);
    setSilence(w, 'a', { until: 60_000, reason: 'kernel upgrade', by: 'ops' }, 1000);
    feed('a', 'down', 2000);
    advance(30_000);
    expect(lines()).toEqual([]);
    advance(60_000);
    expect(lines()).toEqual([
      'managed pi:a-ssh [a-ssh]: 10.0.0.1 => connection refused on port 22',
    ]);
  });

  it('says nothing when a check recovers inside its maintenance window', () => {
    const { w, feed, advance, lines } = setup([def('a')]);
    feed('a', 'up', 0);
    setSilence(w, 'a', { until: 60_000, reason: 'reboot', by: 'ops' }, 1000);
    feed('a', 'down', 2000);
    feed('a', 'up', 40_000);
    advance(61_000);
    expect(lines()).toEqual([]);
  });

  it('stops reminders once acknowledged and clears the ack on recovery', () => {
    const { w, feed, advance, sent } = setup([def('a', { renotifyMs: 3_600_000 })]);
    feed('a', 'up', 0);
    feed('a', 'down', 1000);
    advance(3_601_000);
    expect(sent.map((a) => a.kind)).toEqual(['problem', 'reminder']);
    expect(acknowledge(w, 'a', 'alice', 'on it', 3_700_000)).toContain('acknowledged by alice');
    advance(9_000_000);
    feed('a', 'up', 9_100_000);
    expect(sent.map((a) => a.kind)).toEqual(['problem', 'reminder', 'recovery']);
    expect(w.states.get('a')?.ack).toBeNull();
  });

  it('refuses to acknowledge a check that is up', () => {
    const { w, feed } = setup([def('a')]);
    feed('a', 'up', 0);
    expect(acknowledge(w, 'a', 'bob', '', 1)).toContain('is not down');
  });

  it('holds a child until its parent answers, then suppresses it behind the parent', () => {
    const { feed, lines, checkNow } = setup([
      def('host', { type: 'ping', params: { host: '10.0.0.1' } }),
      def('web', { parentId: 'host' }),
    ]);
    feed('host', 'up', 0);
    feed('web', 'up', 0);
    feed('web', 'down', 1000);
    expect(checkNow).toEqual(['host']);
    expect(lines()).toEqual([]);
    feed('host', 'down', 1500, 'no reply (100% packet loss)');
    feed('host', 'up', 90_000, 'rtt 1 ms');
    feed('web', 'up', 90_500);
    expect(lines()).toEqual([
      'managed pi:host-ssh [host-ssh]: 10.0.0.1 => no reply (100% packet loss) (+1 dependent checks down)',
      'managed pi:host-ssh [host-ssh]: back to normal',
    ]);
  });

  it('releases a held child when the parent answers up', () => {
    const { feed, lines } = setup([def('host'), def('web', { parentId: 'host' })]);
    feed('host', 'up', 0);
    feed('web', 'down', 1000);
    feed('host', 'up', 1200);
    expect(lines()).toEqual([
      'managed pi:web-ssh [web-ssh]: 10.0.0.1 => connection refused on port 22',
    ]);
  });

  it('releases a held child when the parent never answers', () => {
    const { feed, advance, lines } = setup([def('host'), def('web', { parentId: 'host' })]);
    feed('host', 'up', 0);
    feed('web', 'down', 1000);
    advance(5_000);
    expect(lines()).toEqual([]);
    advance(12_000);
    expect(lines()).toHaveLength(1);
  });

  it('groups a storm of 1,000 children behind one parent into a few lines', () => {
    const kids = Array.from({ length: 1000 }, (_, i) => def(`c${i}`, { parentId: 'host' }));
    const { feed, advance, lines } = setup([def('host'), ...kids]);
    feed('host', 'up', 0);
    kids.forEach((k) => feed(k.id, 'up', 0));
    kids.slice(0, 100).forEach((k, i) => feed(k.id, 'down', 1000 + i));
    feed('host', 'down', 2000);
    kids.slice(100).forEach((k, i) => feed(k.id, 'down', 2000 + i * 8));
    for (let t = 3000; t <= 120_000; t += 1000) advance(t);
    expect(lines()).toEqual([
      'managed pi:host-ssh [host-ssh]: 10.0.0.1 => connection refused on port 22 (+100 dependent checks down)',
      'managed pi:host-ssh [host-ssh]: 1000 dependent checks down',
    ]);
  });

  it('summarises children still down after their parent recovers', () => {
    const kids = Array.from({ length: 5 }, (_, i) => def(`c${i}`, { parentId: 'host' }));
    const { feed, advance, lines, sent, checkNow } = setup([def('host'), ...kids]);
    feed('host', 'up', 0);
    feed('host', 'down', 1000);
    kids.forEach((k) => feed(k.id, 'down', 2000));
    feed('host', 'up', 60_000);
    expect(checkNow).toEqual(kids.map((k) => k.id));
    kids.forEach((k) => feed(k.id, 'down', 60_500));
    expect(lines()).toHaveLength(2);
    advance(61_000);
    expect(lines()[2]).toMatch(
      /^5 checks behind managed pi:host-ssh \[host-ssh\] down: managed pi:c0-ssh/,
    );
    expect(sent[2]?.members).toHaveLength(5);
  });

  it('announces flapping once, stays quiet while it flaps, and announces the end', () => {
    const { feed, lines } = setup([
      def('a', { flapDetection: true, downRetries: 1, upRetries: 1 }),
    ]);
    let t = 0;
    for (let i = 0; i < 30; i++) feed('a', i % 2 ? 'down' : 'up', (t += 60_000));
    for (let i = 0; i < 30; i++) feed('a', 'up', (t += 60_000));
    const flaps = lines().filter((l) => l.includes('flapping'));
    expect(flaps).toEqual([
      'managed pi:a-ssh [a-ssh]: flapping, alerts paused until it settles',
      'managed pi:a-ssh [a-ssh]: stopped flapping, now up',
    ]);
    // The end line is the last word: "now up" is the recovery, no "back to normal" after it.
    expect(lines().at(-1)).toBe('managed pi:a-ssh [a-ssh]: stopped flapping, now up');
    expect(lines().length).toBeLessThan(25);
  });

  it('neither re-alerts nor forgets a pending transition after a JSON round trip', () => {
    const first = setup([def('a', { downRetries: 3 }), def('b')]);
    first.feed('a', 'up', 0);
    first.feed('b', 'up', 0);
    first.feed('b', 'down', 1000);
    first.feed('a', 'down', 1000);
    first.feed('a', 'down', 2000);
    const saved = JSON.stringify([...first.w.states]);
    const second = setup([def('a', { downRetries: 3 }), def('b')]);
    second.w.states = new Map(
      JSON.parse(saved) as Array<[string, ReturnType<typeof initialState>]>,
    );
    second.feed('b', 'down', 60_000);
    second.feed('a', 'down', 60_000);
    expect(second.lines()).toEqual([
      'managed pi:a-ssh [a-ssh]: 10.0.0.1 => connection refused on port 22',
    ]);
  });
});
