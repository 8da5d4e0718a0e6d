// The flood queue: token bucket pacing, problem+recovery collapsing, burst summaries, fallback.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../types.js';
import { createFloodQueue } from './irc-queue.js';

const alert = (id: string, kind: Alert['kind'], at = 0, over: Partial<Alert> = {}): Alert => ({
  id: `${id}-${kind}-${at}`,
  kind,
  checkId: id,
  accountId: null,
  label: `managed pi:${id}-ssh [${id}-ssh]`,
  line:
    kind === 'recovery'
      ? `managed pi:${id}-ssh [${id}-ssh]: back to normal`
      : `managed pi:${id}-ssh [${id}-ssh]: 10.0.0.1 => connection refused on port 22`,
  at,
  ...over,
});

function drain(q: ReturnType<typeof createFloodQueue>, now: number): string[] {
  const out: string[] = [];
  for (let line = q.take(now); line; line = q.take(now)) {
    out.push(line.text);
    line.done();
  }
  return out;
}

describe('flood queue', () => {
  it('lets a burst of four go, then one line per refill period', () => {
    const q = createFloodQueue({ burst: 4, refillMs: 1200, summariseAbove: 100 });
    for (let i = 0; i < 6; i++) void q.reply('#ops', `line ${i}`);
    expect(drain(q, 0)).toEqual(['line 0', 'line 1', 'line 2', 'line 3']);
    expect(q.waitMs(0)).toBe(1200);
    expect(drain(q, 600)).toEqual([]);
    expect(drain(q, 1200)).toEqual(['line 4']);
    expect(drain(q, 2400)).toEqual(['line 5']);
  });

  it('collapses a queued problem and its recovery into one line, resolving both', async () => {
    const q = createFloodQueue();
    const p1 = q.push('#ops', alert('a', 'problem', 1000));
    const p2 = q.push('#ops', alert('a', 'recovery', 193_000, { downSince: 1000 }));
    expect(q.length()).toBe(1);
    expect(drain(q, 5000)).toEqual(['managed pi:a-ssh [a-ssh]: was down 3m12s, back to normal']);
    await expect(Promise.all([p1, p2])).resolves.toBeDefined();
  });

  it('does not collapse across channels', () => {
    const q = createFloodQueue({ burst: 10 });
    void q.push('#ops', alert('a', 'problem'));
    void q.push('#customer', alert('a', 'recovery', 10));
    expect(q.length()).toBe(2);
  });

  it('keeps a small burst in order, line by line', () => {
    const q = createFloodQueue({ burst: 10, summariseAbove: 4 });
    ['a', 'b', 'c'].forEach((id) => void q.push('#ops', alert(id, 'problem')));
    expect(drain(q, 0).map((l) => l.slice(0, 16))).toEqual([
      'managed pi:a-ssh',
      'managed pi:b-ssh',
      'managed pi:c-ssh',
    ]);
  });

  it('turns a large burst into one summary line within the byte limit', () => {
    const q = createFloodQueue({ burst: 4, summariseAbove: 4, maxLineBytes: 400 });
    for (let i = 0; i < 50; i++) void q.push('#ops', alert(`pi${i}`, 'problem'));
    const lines = drain(q, 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^50 alerts: managed pi:pi0-ssh \[pi0-ssh\] down, .* \+\d+ more \(!status\)$/,
    );
    expect(Buffer.byteLength(lines[0] ?? '')).toBeLessThanOrEqual(400);
  });

  it('never merges command replies', () => {
    const q = createFloodQueue({ burst: 10, summariseAbove: 1 });
    void q.reply('#ops', 'one');
    void q.reply('#ops', 'two');
    expect(drain(q, 0)).toEqual(['one', 'two']);
  });

  it('hands each queued alert to the fallback once, and a later collapse again', () => {
    const q = createFloodQueue();
    void q.push('#ops', alert('a', 'problem', 0));
    expect(q.takeForFallback().map((a) => a.kind)).toEqual(['problem']);
    expect(q.takeForFallback()).toEqual([]);
    void q.push('#ops', alert('a', 'recovery', 60_000, { downSince: 0 }));
    expect(q.takeForFallback().map((a) => a.line)).toEqual([
      'managed pi:a-ssh [a-ssh]: was down 1m, back to normal',
    ]);
  });
});
