// The one interface every check type implements, and what a probe may use while it runs.
import type { CheckType, ParamsByType, ProbeResult } from '../types.js';

/** The last beat of a push check, as recorded by the beat endpoint. */
export interface BeatRecord {
  /** When the last successful beat arrived. */
  lastAt: number | null;
  /** When a run last said it started (`/start`), if it did. */
  startedAt: number | null;
  /** A beat that reported failure (`/fail` or a non-zero exit code) and its text. */
  failed: { at: number; message: string } | null;
  /** Set by the beat endpoint when a beat broke a rule ("too early", "too fast"). */
  flagged: { at: number; message: string } | null;
  /** When the check started waiting for beats (its creation), for "never beat". */
  since: number;
}

/** The last pushed value of a metric check. */
export interface MetricSample {
  value: number;
  at: number;
}

/** Everything a probe may use besides its parameters. Passive checks read, never wait. */
export interface ProbeContext {
  checkId: string;
  now(): number;
  timeoutMs: number;
  /** Interval of the check, for passive checks' defaults. */
  intervalMs: number;
  beat(checkId: string): BeatRecord | undefined;
  metric(checkId: string): MetricSample | undefined;
}

/** One check type: how to probe, and which host it loads (for per-host concurrency). */
export interface Check<T extends CheckType = CheckType> {
  readonly type: T;
  /** Never throws: a failure is a `down` or `unknown` result with a message. */
  run(params: ParamsByType[T], ctx: ProbeContext): Promise<ProbeResult>;
  /** The target host, so the scheduler can limit concurrent probes per host. */
  hostOf(params: ParamsByType[T]): string;
}

/** Milliseconds since `start`, rounded to 0.1 ms. */
export const since = (start: bigint): number =>
  Math.round(Number(process.hrtime.bigint() - start) / 1e5) / 10;

/** `1.2.3.4:22`, `[::1]:22`: an address as people write it. */
export const hostPort = (host: string, port: number): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

const plainWords: Record<string, (timeoutMs: number) => string> = {
  ECONNREFUSED: () => 'connection refused',
  ETIMEDOUT: (t) => `no answer within ${t / 1000}s`,
  TIMEOUT: (t) => `no answer within ${t / 1000}s`,
  ECONNRESET: () => 'connection reset',
  EHOSTUNREACH: () => 'host unreachable',
  ENETUNREACH: () => 'network unreachable',
  ENOTFOUND: () => 'name not found',
  EAI_AGAIN: () => 'name lookup failed',
};

/** Node's error codes, said the way an operator reads them. */
export function describeError(err: unknown, timeoutMs: number): string {
  const code = (err as { code?: string } | null)?.code ?? '';
  const words = plainWords[code];
  if (words) return words(timeoutMs);
  return err instanceof Error ? err.message : String(err);
}

/** An error carrying the `TIMEOUT` code, for probes that time themselves out. */
export const timeoutError = (): Error => Object.assign(new Error('timeout'), { code: 'TIMEOUT' });

/**
 * When a probe's timer fires much later than asked, our own event loop was stalled (a busy
 * host, a long GC) and the reply may be sitting unread: the target is not to blame, so the
 * verdict is `unknown`, which never moves a check's state.
 */
export function stalled(start: bigint, timeoutMs: number): boolean {
  return since(start) > timeoutMs + Math.max(200, timeoutMs / 5);
}

export const stalledResult = {
  status: 'unknown',
  message: 'monitor too busy to time this probe',
} as const;
