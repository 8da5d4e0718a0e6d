// One check's state machine (pure): soft/hard states with retries both ways, and flap detection.
import type { Status } from './types.js';

/** Icinga's weighted flap detection: the last 21 results, start above 30 %, end below 25 %. */
export interface FlapConfig {
  window: number;
  high: number;
  low: number;
}
export const defaultFlap: FlapConfig = { window: 21, high: 0.3, low: 0.25 };

export interface StateConfig {
  downRetries: number;
  upRetries: number;
  flap?: FlapConfig | null;
}

/** Everything the engine knows about one check. Plain JSON, so it survives a restart as is. */
export interface CheckState {
  /** The confirmed state; `unknown` only until the first confirmation. */
  hard: Status;
  hardSince: number;
  /** Consecutive results that disagree with `hard`: a pending transition. */
  streak: number;
  /** When the pending transition's first result came in. */
  streakSince: number | null;
  /** Recent results, oldest first: `u` for up, `d` for down (unknown results are skipped). */
  recent: string;
  flapping: boolean;
  last: { status: Status; message: string; at: number } | null;
  /** The current hard problem: its first message and when its first failure came in. */
  problem: { message: string; since: number } | null;
  /** What people were last told: alerting compares this with `hard`. */
  notified: 'ok' | 'problem';
  notifiedAt: number;
  ack: { by: string; at: number; comment: string } | null;
  silence: { until: number; reason: string; by: string } | null;
  /** Set while the alert waits to learn whether the parent explains it. */
  heldSince: number | null;
  /** The parent that was down when this check's problem was suppressed. */
  suppressedBy: string | null;
}

export type Transition = 'problem' | 'recovery' | 'flap-start' | 'flap-end';

/** The state of a check that has never run. */
export function initialState(now: number): CheckState {
  return {
    hard: 'unknown',
    hardSince: now,
    streak: 0,
    streakSince: null,
    recent: '',
    flapping: false,
    last: null,
    problem: null,
    notified: 'ok',
    notifiedAt: now,
    ack: null,
    silence: null,
    heldSince: null,
    suppressedBy: null,
  };
}

/**
 * Weighted share of state changes in `recent` (0..1). Newer changes weigh more (0.8 → 1.2),
 * so flapping ends sooner once a check settles.
 */
export function flapScore(recent: string): number {
  const n = recent.length;
  if (n < 2) return 0;
  let sum = 0;
  for (let i = 1; i < n; i++) {
    if (recent[i] !== recent[i - 1]) sum += n === 2 ? 1 : 0.8 + (0.4 * (i - 1)) / (n - 2);
  }
  return sum / (n - 1);
}

/**
 * Feed one result to a check's state. Returns the next state and what happened.
 * Unknown results (the monitor could not tell) are recorded but never move the state.
 */
export function step(
  st: CheckState,
  cfg: StateConfig,
  r: { status: Status; message: string; at: number },
): { state: CheckState; transitions: Transition[] } {
  const next: CheckState = { ...st, last: { status: r.status, message: r.message, at: r.at } };
  const transitions: Transition[] = [];
  if (r.status === 'unknown') return { state: next, transitions };

  const cls = r.status === 'up' ? 'u' : 'd';
  const flap = cfg.flap === undefined ? defaultFlap : cfg.flap;
  next.recent = (st.recent + cls).slice(-(flap?.window ?? 1));
  const hardCls = st.hard === 'up' ? 'u' : st.hard === 'down' ? 'd' : null;

  if (cls === hardCls || (hardCls === null && cls === 'u')) {
    // Agrees with the confirmed state (or a first success, which needs no confirmation).
    next.streak = 0;
    next.streakSince = null;
    if (hardCls === null) {
      next.hard = 'up';
      next.hardSince = r.at;
    }
  } else {
    next.streak = st.streak + 1;
    next.streakSince = st.streakSince ?? r.at;
    const needed = cls === 'd' ? cfg.downRetries : cfg.upRetries;
    if (next.streak >= Math.max(1, needed)) {
      next.hard = cls === 'u' ? 'up' : 'down';
      next.hardSince = r.at;
      if (cls === 'd') {
        next.problem = { message: r.message, since: next.streakSince };
        transitions.push('problem');
      } else transitions.push('recovery');
      next.streak = 0;
      next.streakSince = null;
    }
  }

  if (flap && next.recent.length >= flap.window) {
    const score = flapScore(next.recent);
    if (!st.flapping && score > flap.high) {
      next.flapping = true;
      transitions.push('flap-start');
    } else if (st.flapping && score < flap.low) {
      next.flapping = false;
      transitions.push('flap-end');
    }
  }
  return { state: next, transitions };
}

/** True when the hard state is a problem people should hear about. */
export const isProblem = (st: CheckState): boolean => st.hard === 'down';

/** True while a change away from the hard state is being confirmed by retries. */
export const isPending = (st: CheckState): boolean => st.streak > 0 || st.hard === 'unknown';
