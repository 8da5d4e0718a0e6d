// Monitoring: owns checks, their state and alerts, time series, and the notifiers (IRC, email, webhooks).
// The store (persistence), panel pages and API sit on top of this door; nothing reaches inside.
// See docs/benchmarks-monitoring.md for what it costs at 10,000 checks.
import { AppError } from '../core/errors.js';
import { formatDuration, labelOf } from './format.js';
import type { EngineDeps } from './engine.js';
import { createEngine } from './engine.js';
import type { CommandHandler } from './notifiers/irc-commands.js';

export type Monitoring = ReturnType<typeof createEngine> & {
  /** The engine's answers to `!status`, `!ack` and `!silence`, for the IRC notifier. */
  commands: CommandHandler;
};

/** Build the monitoring module. Call start() to load state and begin probing. */
export function createMonitoring(deps: EngineDeps): Monitoring {
  const engine = createEngine(deps);
  const polite =
    <A extends unknown[]>(fn: (...a: A) => string | string[]) =>
    (...a: A): string[] => {
      try {
        const out = fn(...a);
        return Array.isArray(out) ? out : [out];
      } catch (err) {
        if (err instanceof AppError) return [err.message];
        throw err;
      }
    };
  const commands: CommandHandler = {
    status: polite((check: string | null) => engine.status(check)),
    ack: (check, by, comment) => polite(() => engine.acknowledge(check, by, comment))().join(' '),
    silence: (check, ms, by, reason) =>
      polite(() => {
        engine.silence(check, deps.clock.now() + ms, reason, by);
        return `${labelOf(engine.get(check))}: silenced for ${formatDuration(ms)} by ${by}${reason ? ` (${reason})` : ''}`;
      })().join(' '),
  };
  return Object.assign(engine, { commands });
}

export type { EngineDeps, EngineOptions } from './engine.js';
export type { EngineSnapshot, MonitoringPersistence, ResultBatch } from './persistence.js';
export type { AlertingOptions, GroupState } from './alerts.js';
export type { CheckState } from './state.js';
export type * from './types.js';
export { checks } from './checks/index.js';
export type {
  BeatKind,
  BeatRecord,
  Check,
  CheckRegistry,
  MetricSample,
  ProbeContext,
} from './checks/index.js';
export { formatDuration, labelOf, parseDuration, serverCheckNames } from './format.js';
export type {
  HourPoint,
  RawBlock,
  RawPoint,
  RollupDay,
  SeriesStorage,
  TimeSeries,
} from './timeseries.js';
export { memorySeriesStorage } from './timeseries.js';
export type { Notifier } from './notifiers/notifier.js';
export type { Destination, Router } from './notifiers/router.js';
export { createRouter } from './notifiers/router.js';
export type { IrcNotifier, IrcOptions } from './notifiers/irc.js';
export { createIrcNotifier } from './notifiers/irc.js';
export type { CommandHandler } from './notifiers/irc-commands.js';
export type { SendMail } from './notifiers/email.js';
export { createEmailNotifier, smtpSender } from './notifiers/email.js';
export type { WebhookFormat, WebhookOptions } from './notifiers/webhook.js';
export { createWebhookNotifier } from './notifiers/webhook.js';
export { memoryPersistence } from './persistence.js';
