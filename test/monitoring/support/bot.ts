// Builders for the alert bot and a monitoring engine wired to it, as main.ts will wire them.
import { Registry } from 'prom-client';
import type { Clock } from '../../../src/core/clock.js';
import { systemClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type {
  CheckDefinition,
  CommandHandler,
  EngineOptions,
  IrcNotifier,
  IrcOptions,
  MonitoringPersistence,
} from '../../../src/monitoring/index.js';
import {
  createIrcNotifier,
  createMonitoring,
  createRouter,
  memoryPersistence,
} from '../../../src/monitoring/index.js';
import type { Alert, CheckRegistry } from '../../../src/monitoring/index.js';

export const channel = '#alerts';

export function buildBot(
  port: number,
  deps: {
    clock?: Clock;
    commands?: CommandHandler;
    fallback?: (a: Alert) => Promise<void>;
    registry?: Registry;
  } = {},
  over: Partial<IrcOptions> = {},
): IrcNotifier {
  return createIrcNotifier(
    {
      host: '127.0.0.1',
      port,
      nick: 'monbot',
      channels: [channel],
      backoffMinMs: 200,
      backoffMaxMs: 2_000,
      ...over,
    },
    {
      clock: deps.clock ?? systemClock,
      logger: silentLogger,
      registry: deps.registry ?? new Registry(),
      commands: deps.commands,
      fallback: deps.fallback,
    },
  );
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An engine whose alerts go to the bot's channel. Commands from the channel reach the engine. */
export function buildMonitoring(
  bot: { notifier: IrcNotifier | null },
  opts: {
    clock?: Clock;
    persistence?: MonitoringPersistence;
    checks?: CheckRegistry;
    options?: EngineOptions;
  } = {},
) {
  const registry = new Registry();
  const router = {
    dispatch: (a: Alert) =>
      bot.notifier
        ? createRouter(
            [{ notifier: bot.notifier, target: channel, scope: 'all' }],
            silentLogger,
          ).dispatch(a)
        : Promise.resolve(),
  };
  return createMonitoring({
    clock: opts.clock ?? systemClock,
    logger: silentLogger,
    registry,
    persistence: opts.persistence ?? memoryPersistence(),
    notify: (a) => router.dispatch(a),
    checks: opts.checks,
    options: { perHostLimit: 8, tickMs: 20, flushEveryMs: 200, ...opts.options },
  });
}

/** Defaults for fast checks on loopback. */
export function fastCheck(
  def: Partial<CheckDefinition> & Pick<CheckDefinition, 'id' | 'type' | 'params'>,
): CheckDefinition {
  return {
    name: `managed pi:${def.id}`,
    ref: `${def.id}`,
    where: '127.0.0.1',
    accountId: null,
    intervalMs: 400,
    retryIntervalMs: 200,
    downRetries: 2,
    upRetries: 1,
    timeoutMs: 1_500,
    flapDetection: false,
    ...def,
  };
}
