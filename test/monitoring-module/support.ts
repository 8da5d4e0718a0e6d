// Helpers for monitoring through the whole app: probing on a frozen clock, waiting for results.
import type { Actor } from '../../src/core/actor.js';
import type { FakeClock } from '../../src/core/clock.js';
import type { App } from '../../src/main.js';

export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
) {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Run one probe of a check now: the clock moves a second (so results are ordered) and the test
 * waits for the result to be recorded. Nothing runs on its own while the clock stands still.
 */
export async function probe(app: App, clock: FakeClock, id: string): Promise<void> {
  const before = app.monitoring.engine.state(id)?.last?.at ?? -1;
  clock.advance(1_000);
  app.monitoring.engine.runNow(id);
  await waitFor(
    () => (app.monitoring.engine.state(id)?.last?.at ?? -1) > before,
    10_000,
    `a result for ${id}`,
  );
}

export const actorFor = (accountId: string, isAdmin = false): Actor => ({
  accountId,
  ip: '127.0.0.1',
  channel: 'panel',
  isAdmin,
});

/** Settings that make checks quick to confirm: one failure is down, one success is up. */
export const quick = {
  intervalSeconds: 60,
  downRetries: 1,
  upRetries: 1,
  timeoutSeconds: 2,
  flapDetection: false,
};
