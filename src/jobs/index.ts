// Jobs: a durable queue in the database and the runner that works it. Owns the jobs table.
// Every long or failure-prone action is a named, typed, idempotent job that carries ids.
import { hostname } from 'node:os';
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import { newId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/index.js';
import type { JobRow } from './store.js';
import { createJobStore } from './store.js';
import type { JobsTables } from './tables.js';

export type { JobRow } from './store.js';
export type { JobState } from './tables.js';

/** Every job's payload, by name. A module adds its jobs by declaration merging:
 *  `declare module '../jobs/index.js' { interface JobPayloads { 'domains.register': {…} } }` */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}
export type JobName = Extract<keyof JobPayloads, string>;

export interface JobContext {
  id: string;
  attempt: number;
  maxAttempts: number;
  /** Aborted when the job's timeout passes or the runner stops. */
  signal: AbortSignal;
  logger: Logger;
  /** Record a human-readable progress line and renew the lease. */
  progress(text: string): Promise<void>;
}

export interface JobDefinition<N extends JobName> {
  name: N;
  /** Attempts before the job is marked failed (default 5). */
  maxAttempts?: number;
  /** Per-attempt timeout (default 300 s). */
  timeoutSeconds?: number;
  run(payload: JobPayloads[N], ctx: JobContext): Promise<void>;
}

/** Throw to fail a job at once, without retries (the input can never succeed). */
export class PermanentJobError extends Error {}

export interface EnqueueOptions {
  /** Run no earlier than this (ms since epoch). */
  runAt?: number;
  /** At most one job with this key ever exists; enqueueing again returns the first one's id. */
  uniqueKey?: string;
  maxAttempts?: number;
}

export interface Jobs {
  define<N extends JobName>(definition: JobDefinition<N>): void;
  enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options?: EnqueueOptions,
  ): Promise<string>;
  get(id: string): Promise<JobRow | undefined>;
  countByState(): Promise<Record<string, number>>;
  recent(limit: number): Promise<JobRow[]>;
  /** Start polling in the background. */
  start(): void;
  /** Stop claiming, and wait for running jobs (they are aborted after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** Claim and run due jobs until none is left; for tests and the CLI. */
  drain(): Promise<number>;
  /** True once start() ran and until stop(). */
  readonly running: boolean;
}

export interface JobsDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  pollMs: number;
  concurrency: number;
  leaseSeconds: number;
}

/** Exponential backoff with ±20% jitter: 2 s, 4 s, 8 s … capped at 10 minutes. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(2_000 * 2 ** Math.max(0, attempt - 1), 600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function createJobs(deps: JobsDeps): Jobs {
  const store = createJobStore(deps.db.forModule<JobsTables>(), deps.db.dialect);
  const definitions = new Map<string, JobDefinition<JobName>>();
  const runnerId = `${hostname()}:${process.pid}:${newId().slice(-6)}`;
  const active = new Map<string, { promise: Promise<void>; abort: AbortController }>();
  const log = deps.logger.child({ module: 'jobs' });
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let polling = false;

  const leaseUntil = () => isoAt(deps.clock.now() + deps.leaseSeconds * 1000);

  async function execute(row: JobRow): Promise<void> {
    const definition = definitions.get(row.name);
    if (!definition) return;
    const abort = new AbortController();
    const timeoutMs = (definition.timeoutSeconds ?? 300) * 1000;
    const timeout = setTimeout(
      () => abort.abort(new Error(`timed out after ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    const renew = setInterval(
      () => {
        void store.extendLease(row.id, runnerId, leaseUntil()).catch(() => undefined);
      },
      (deps.leaseSeconds * 1000) / 3,
    );
    const jobLog = log.child({ job: row.name, jobId: row.id, attempt: row.attempts });
    const run = async () => {
      try {
        await definition.run(JSON.parse(row.payload) as never, {
          id: row.id,
          attempt: row.attempts,
          maxAttempts: row.max_attempts,
          signal: abort.signal,
          logger: jobLog,
          progress: async (text) => {
            await store.extendLease(row.id, runnerId, leaseUntil(), text);
          },
        });
        await store.finish(row.id, runnerId, isoAt(deps.clock.now()));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const permanent = err instanceof PermanentJobError;
        const retryAt =
          !permanent && row.attempts < row.max_attempts
            ? isoAt(deps.clock.now() + backoffMs(row.attempts))
            : null;
        jobLog.warn({ err, retryAt }, retryAt ? 'job failed; will retry' : 'job failed for good');
        await store.fail(row.id, runnerId, message, retryAt, isoAt(deps.clock.now()));
      } finally {
        clearTimeout(timeout);
        clearInterval(renew);
      }
    };
    const promise = run().finally(() => active.delete(row.id));
    active.set(row.id, { promise, abort });
    return promise;
  }

  async function claimAndRun(): Promise<JobRow[]> {
    const free = deps.concurrency - active.size;
    if (free <= 0) return [];
    const claimed = await store.claim(runnerId, isoAt(deps.clock.now()), leaseUntil(), free, [
      ...definitions.keys(),
    ]);
    for (const row of claimed) void execute(row);
    return claimed;
  }

  async function poll(): Promise<void> {
    if (!started || polling) return;
    polling = true;
    try {
      const claimed = await claimAndRun();
      if (claimed.length > 0) {
        await Promise.race([...active.values()].map((a) => a.promise));
        setImmediate(() => void poll());
      }
    } catch (err) {
      log.error({ err }, 'job poll failed');
    } finally {
      polling = false;
    }
  }

  return {
    define(definition) {
      definitions.set(definition.name, definition);
    },
    async enqueue(name, payload, options = {}) {
      const now = isoAt(deps.clock.now());
      const id = await store.insert({
        id: newId(),
        name,
        payload: JSON.stringify(payload),
        state: 'queued',
        unique_key: options.uniqueKey ?? null,
        attempts: 0,
        max_attempts: options.maxAttempts ?? definitions.get(name)?.maxAttempts ?? 5,
        run_at: options.runAt ? isoAt(options.runAt) : now,
        locked_by: null,
        locked_until: null,
        progress: null,
        last_error: null,
        created_at: now,
        updated_at: now,
        finished_at: null,
      });
      if (started) setImmediate(() => void poll());
      return id;
    },
    get: (id) => store.get(id),
    countByState: () => store.countByState(),
    recent: (limit) => store.recent(limit),
    start() {
      if (started) return;
      started = true;
      const tick = () => {
        void poll().finally(() => {
          if (started) timer = setTimeout(tick, deps.pollMs);
        });
      };
      tick();
    },
    async stop(graceMs = 10_000) {
      started = false;
      if (timer) clearTimeout(timer);
      const pending = [...active.values()];
      const grace = setTimeout(
        () => pending.forEach((a) => a.abort.abort(new Error('runner stopping'))),
        graceMs,
      );
      await Promise.allSettled(pending.map((a) => a.promise));
      clearTimeout(grace);
    },
    async drain() {
      let total = 0;
      for (;;) {
        const claimed = await claimAndRun();
        total += claimed.length;
        if (active.size === 0 && claimed.length === 0) return total;
        await Promise.race([...active.values()].map((a) => a.promise));
      }
    },
    get running() {
      return started;
    },
  };
}
