// The per-check state machine, driven by result sequences: `u` up, `d` down, `?` unknown.
import { describe, expect, it } from 'vitest';
import type { CheckState, StateConfig, Transition } from './state.js';
import { defaultFlap, flapScore, initialState, step } from './state.js';
import type { Status } from './types.js';

const statusOf: Record<string, Status> = { u: 'up', d: 'down', '?': 'unknown' };

function run(cfg: StateConfig, results: string, from?: CheckState) {
  let st = from ?? initialState(0);
  const seen: Array<[number, Transition]> = [];
  [...results].forEach((c, i) => {
    const out = step(st, cfg, {
      status: statusOf[c] ?? 'unknown',
      message: `r${i}`,
      at: (i + 1) * 1000,
    });
    st = out.state;
    for (const t of out.transitions) seen.push([i, t]);
  });
  return { st, seen };
}

const noFlap = { flap: null };

describe('state machine', () => {
  it.each([
    {
      name: 'first success confirms up silently',
      cfg: { downRetries: 3, upRetries: 2 },
      results: 'u',
      hard: 'up',
      seen: [],
    },
    {
      name: 'goes hard down only after the down retries',
      cfg: { downRetries: 3, upRetries: 1 },
      results: 'udd',
      hard: 'up',
      seen: [],
    },
    {
      name: 'third failure makes it hard down',
      cfg: { downRetries: 3, upRetries: 1 },
      results: 'uddd',
      hard: 'down',
      seen: [[3, 'problem']],
    },
    {
      name: 'a success in between resets the count',
      cfg: { downRetries: 3, upRetries: 1 },
      results: 'uddudd',
      hard: 'up',
      seen: [],
    },
    {
      name: 'needs up retries to recover',
      cfg: { downRetries: 1, upRetries: 2 },
      results: 'udu',
      hard: 'down',
      seen: [[1, 'problem']],
    },
    {
      name: 'recovers after the up retries',
      cfg: { downRetries: 1, upRetries: 2 },
      results: 'uduu',
      hard: 'up',
      seen: [
        [1, 'problem'],
        [3, 'recovery'],
      ],
    },
    {
      name: 'a failure between successes restarts the up count',
      cfg: { downRetries: 1, upRetries: 2 },
      results: 'ududuu',
      hard: 'up',
      seen: [
        [1, 'problem'],
        [5, 'recovery'],
      ],
    },
    {
      name: 'a never-up check alerts once confirmed down',
      cfg: { downRetries: 2, upRetries: 1 },
      results: 'dd',
      hard: 'down',
      seen: [[1, 'problem']],
    },
    {
      name: 'unknown results neither confirm nor reset',
      cfg: { downRetries: 2, upRetries: 1 },
      results: 'ud?d',
      hard: 'down',
      seen: [[3, 'problem']],
    },
    {
      name: 'stays down without repeating the transition',
      cfg: { downRetries: 1, upRetries: 1 },
      results: 'udddd',
      hard: 'down',
      seen: [[1, 'problem']],
    },
  ])('$name', ({ cfg, results, hard, seen }) => {
    const out = run({ ...cfg, ...noFlap }, results);
    expect(out.st.hard).toBe(hard);
    expect(out.seen).toEqual(seen);
  });

  it('dates a problem from its first failure and tells the confirming message', () => {
    const { st } = run({ downRetries: 3, upRetries: 1, ...noFlap }, 'uddd');
    expect(st.problem).toEqual({ message: 'r3', since: 2000 });
  });

  it('keeps a pending transition across a JSON round trip', () => {
    const half = run({ downRetries: 3, upRetries: 1, ...noFlap }, 'udd').st;
    const restored = JSON.parse(JSON.stringify(half)) as CheckState;
    const { seen } = run({ downRetries: 3, upRetries: 1, ...noFlap }, 'd', restored);
    expect(seen).toEqual([[0, 'problem']]);
  });
});

describe('flap detection', () => {
  it.each([
    { name: 'steady history scores zero', recent: 'uuuuuuuuuuuuuuuuuuuuu', low: 0, high: 0 },
    {
      name: 'alternating history scores one',
      recent: 'ududududududududududu',
      low: 0.999,
      high: 1.001,
    },
    {
      name: 'a single old change weighs less than a new one',
      recent: 'duuuuuuuuuuuuuuuuuuuu',
      low: 0.03,
      high: 0.045,
    },
  ])('$name', ({ recent, low, high }) => {
    const score = flapScore(recent);
    expect(score).toBeGreaterThanOrEqual(low);
    expect(score).toBeLessThanOrEqual(high);
  });

  it('starts flapping within 21 results of a 200/503 alternation and ends once settled', () => {
    const cfg = { downRetries: 2, upRetries: 2, flap: defaultFlap };
    const { seen, st } = run(cfg, 'ud'.repeat(11) + 'u'.repeat(30));
    const starts = seen.filter(([, t]) => t === 'flap-start');
    const ends = seen.filter(([, t]) => t === 'flap-end');
    expect(starts).toHaveLength(1);
    expect(starts[0]?.[0]).toBeLessThan(21);
    expect(ends).toHaveLength(1);
    expect(st.flapping).toBe(false);
  });

  it('does not flap on rare independent failures', () => {
    const cfg = { downRetries: 2, upRetries: 1, flap: defaultFlap };
    const { seen } = run(cfg, ('u'.repeat(19) + 'd').repeat(50));
    expect(seen).toEqual([]);
  });
});
